// Notification channels over HTTP (docs/notifications.md): a tenant's
// channels (/v1/channels: admin changes, auditor reads; every change an
// event in the tenant's log) and the operator's channels for operator alerts
// (/v1/operator/channels: the operator credential; like platform keys they
// belong to no tenant, so the service log records their changes). The
// signing secret is answered at creation and rotation only.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import type { ChannelRecord } from "@trailproof/ledger";
import {
  ChannelListSchema,
  ChannelParamsSchema,
  ChannelPatchSchema,
  ChannelResponseSchema,
  ChannelTestResultSchema,
  ChannelWithSecretSchema,
  NewChannelSchema,
  type Permission,
  ProblemResponses,
} from "@trailproof/protocol";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";
import { fromFastify } from "../http/problem.js";
import { channelUrlProblems, urlOrigin } from "./channel-url.js";
import { channelState, newChannelId, newChannelSecret, toWireChannel } from "./channel-wire.js";
import type { DeliveryWorker } from "./delivery-worker.js";
import { sendTest } from "./test-delivery.js";

interface Scope {
  prefix: string;
  tag: string;
  change: Permission;
  read: Permission;
  tenantId(request: FastifyRequest): number | null;
  tenantName(request: FastifyRequest): string;
  /** Records a change: an event in the tenant's log, or the service log's line for the operator's. */
  record(
    request: FastifyRequest,
    action: string,
    channel: ChannelRecord,
    change: { before: unknown; after: unknown },
  ): Promise<void>;
}

export function registerChannelRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit, worker: DeliveryWorker) {
  const tenantScope: Scope = {
    prefix: "/v1/channels",
    tag: "notifications",
    change: "administer",
    read: "verify",
    tenantId: (request) => request.principal?.tenantId as number,
    tenantName: (request) => request.principal?.tenant as string,
    record: async (request, action, c, change) => {
      await audit.record(request, {
        action,
        target: { type: "notification_channel", id: c.channelId, name: c.name },
        metadata: { format: c.format, url_origin: urlOrigin(c.url) },
        change,
      });
    },
  };
  const operatorScope: Scope = {
    prefix: "/v1/operator/channels",
    tag: "operator",
    change: "operate",
    read: "operate",
    tenantId: () => null,
    tenantName: () => "operator",
    record: async (request, action, c) => {
      request.log.info(
        { action, channel: c.channelId, url_origin: urlOrigin(c.url), by: request.principal?.id },
        "operator notification channel changed",
      );
    },
  };
  registerScope(app, deps, worker, tenantScope, true);
  registerScope(app, deps, worker, operatorScope, false);
}

function registerScope(app: FastifyInstance, deps: AppDeps, worker: DeliveryWorker, scope: Scope, full: boolean) {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const store = deps.notifications;
  const common = { tags: [scope.tag], security: [{ bearer: [] }] };
  const httpHosts = deps.config.notifyHttpHosts;
  const found = async (request: FastifyRequest, id: string) => {
    const channel = await store.findChannel(scope.tenantId(request), id);
    if (!channel) throw new TrailproofError("CHANNEL_NOT_FOUND", "no channel with this id");
    return channel;
  };
  /**
   * Every problem of a channel's body at once: the schema's (the route
   * attaches them rather than answering them alone) and the URL's.
   */
  const checkBody = (request: FastifyRequest, url: unknown) => {
    const invalid = request.validationError ? fromFastify(request.validationError as FastifyError) : undefined;
    const problems = [
      ...(invalid?.problems ?? []),
      ...(typeof url === "string" ? channelUrlProblems(url, httpHosts) : []),
    ];
    if (problems.length === 0) return;
    throw invalid
      ? new TrailproofError("REQUEST_INVALID", invalid.detail, { problems })
      : new TrailproofError("CHANNEL_INVALID", "the channel cannot be used", { problems });
  };

  api.post(
    scope.prefix,
    {
      config: { permission: scope.change },
      attachValidation: true,
      schema: {
        ...common,
        summary: "Create a webhook channel; its signing secret is answered this once",
        description:
          "`url`: https, or http to 127.0.0.1/localhost (or a host in TRAILPROOF_NOTIFY_HTTP_HOSTS). `format`: native (default) or slack. Every delivery is signed with the secret (docs/notifications.md).",
        body: NewChannelSchema,
        response: { 201: ChannelWithSecretSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      checkBody(request, (request.body as { url?: unknown } | undefined)?.url);
      const { name, url, format, enabled } = request.body;
      const at = new Date().toISOString();
      const by = request.principal?.id as string;
      const channel: ChannelRecord = {
        channelId: newChannelId(),
        tenantId: scope.tenantId(request),
        name,
        kind: "webhook",
        format: format ?? "native",
        url,
        enabled: enabled ?? true,
        createdAt: at,
        createdBy: by,
        updatedAt: at,
        updatedBy: by,
      };
      const secret = newChannelSecret();
      await store.insertChannel(channel, secret);
      await scope.record(request, "channel.create", channel, { before: {}, after: channelState(channel) });
      return reply.code(201).send({ channel: toWireChannel(channel), secret });
    },
  );

  api.get(
    scope.prefix,
    {
      config: { permission: scope.read },
      schema: {
        ...common,
        summary: "Webhook channels, oldest first (never their secrets)",
        response: { 200: ChannelListSchema, ...ProblemResponses },
      },
    },
    async (request) => ({ channels: (await store.listChannels(scope.tenantId(request))).map(toWireChannel) }),
  );

  api.delete(
    `${scope.prefix}/:id`,
    {
      config: { permission: scope.change },
      schema: {
        ...common,
        summary: "Delete a channel; its pending deliveries become dead letters",
        params: ChannelParamsSchema,
        response: { 200: ChannelResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const channel = await found(request, request.params.id);
      if (!(await store.deleteChannel(scope.tenantId(request), channel.channelId, new Date().toISOString()))) {
        throw new TrailproofError("CHANNEL_NOT_FOUND", "no channel with this id");
      }
      await scope.record(request, "channel.delete", channel, { before: channelState(channel), after: {} });
      return { channel: toWireChannel(channel) };
    },
  );

  if (!full) return;

  api.get(
    `${scope.prefix}/:id`,
    {
      config: { permission: scope.read },
      schema: {
        ...common,
        summary: "A channel (never its secret)",
        params: ChannelParamsSchema,
        response: { 200: ChannelResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => ({ channel: toWireChannel(await found(request, request.params.id)) }),
  );

  api.patch(
    `${scope.prefix}/:id`,
    {
      config: { permission: scope.change },
      attachValidation: true,
      schema: {
        ...common,
        summary: "Change a channel's name, URL, format, or enable/disable it",
        description: "A disabled channel's pending deliveries wait until it is enabled again.",
        params: ChannelParamsSchema,
        body: ChannelPatchSchema,
        response: { 200: ChannelResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      checkBody(request, (request.body as { url?: unknown } | undefined)?.url);
      const before = await found(request, request.params.id);
      const after = await store.updateChannel(scope.tenantId(request), before.channelId, {
        ...request.body,
        updatedAt: new Date().toISOString(),
        updatedBy: request.principal?.id as string,
      });
      if (!after) throw new TrailproofError("CHANNEL_NOT_FOUND", "no channel with this id");
      await scope.record(request, "channel.update", after, {
        before: channelState(before),
        after: channelState(after),
      });
      if (after.enabled && !before.enabled) worker.kick();
      return { channel: toWireChannel(after) };
    },
  );

  api.post(
    `${scope.prefix}/:id/rotate-secret`,
    {
      config: { permission: scope.change },
      schema: {
        ...common,
        summary: "Replace a channel's signing secret; the new one is answered this once",
        description: "Deliveries sent from now on are signed with the new secret, retries of earlier ones too.",
        params: ChannelParamsSchema,
        response: { 200: ChannelWithSecretSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const before = await found(request, request.params.id);
      const secret = newChannelSecret();
      const after = await store.updateChannel(scope.tenantId(request), before.channelId, {
        secret,
        updatedAt: new Date().toISOString(),
        updatedBy: request.principal?.id as string,
      });
      if (!after) throw new TrailproofError("CHANNEL_NOT_FOUND", "no channel with this id");
      await scope.record(request, "channel.rotate_secret", after, {
        before: channelState(before),
        after: channelState(after),
      });
      return { channel: toWireChannel(after), secret };
    },
  );

  api.post(
    `${scope.prefix}/:id/test`,
    {
      config: { permission: scope.change },
      schema: {
        ...common,
        summary: "Send a signed test payload to the channel now and answer how the receiver took it",
        description: "Not queued and not retried: one attempt, its result answered.",
        params: ChannelParamsSchema,
        response: { 200: ChannelTestResultSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const channel = await found(request, request.params.id);
      const secret = await store.channelSecret(scope.tenantId(request), channel.channelId);
      if (secret === undefined) throw new TrailproofError("CHANNEL_NOT_FOUND", "no channel with this id");
      return sendTest(deps, channel, secret, scope.tenantName(request));
    },
  );
}
