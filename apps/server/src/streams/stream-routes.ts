// SIEM streams over HTTP (docs/streams.md): a tenant's streams under
// /v1/streams (admins change them, auditors read them with their health),
// each change an event in the tenant's log. A destination's secret is
// answered at creation and rotation only.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import type { StreamRecord, StreamStatus } from "@trailproof/ledger";
import {
  NewStreamSchema,
  ProblemResponses,
  type Role,
  roleAllows,
  StreamListSchema,
  StreamParamsSchema,
  StreamResponseSchema,
  StreamWithSecretSchema,
} from "@trailproof/protocol";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";
import { fromFastify } from "../http/problem.js";
import type { StreamManager } from "./stream-manager.js";
import type { DestinationConfig } from "./stream-types.js";
import { destinationProblems, filterProblems, type Problem } from "./stream-validation.js";
import { describeDestination, newStreamId, newStreamSecret, streamState, toWireStream } from "./stream-wire.js";

export function registerStreamRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  audit: MetaAudit,
  manager: StreamManager,
): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const store = deps.streams;
  const common = { tags: ["streams"], security: [{ bearer: [] }] };
  const tenantId = (request: FastifyRequest) => request.principal?.tenantId as number;
  const found = async (request: FastifyRequest, id: string) => {
    const stream = await store.findStream(tenantId(request), id);
    if (!stream) throw new TrailproofError("STREAM_NOT_FOUND", "no stream with this id");
    return stream;
  };
  const record = async (
    request: FastifyRequest,
    action: string,
    s: StreamRecord,
    change: { before: unknown; after: unknown },
  ) => {
    await audit.record(request, {
      action,
      target: { type: "stream", id: s.streamId, name: s.name },
      metadata: {
        destination_type: s.destinationType,
        destination: describeDestination(s.destination as unknown as DestinationConfig),
        format: s.format,
      },
      change,
    });
  };
  const withHealth = async (s: StreamRecord, request?: FastifyRequest) =>
    toWireStream(
      s,
      await manager.health(s),
      request === undefined || roleAllows(request.principal?.role as Role, "administer"),
    );

  api.post(
    "/v1/streams",
    {
      config: { permission: "administer" },
      attachValidation: true,
      schema: {
        ...common,
        summary: "Create a stream to a SIEM; a webhook's signing secret is answered this once",
        description:
          "Destinations: syslog (RFC 5424 over TCP with octet counting, or TLS per RFC 5425), NATS JetStream, an HTTPS webhook (NDJSON, signed). Every message carries the log's origin, the entry's index and the index sent before it on this stream (docs/streams.md).",
        body: NewStreamSchema,
        response: { 201: StreamWithSecretSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const invalid = request.validationError ? fromFastify(request.validationError as FastifyError) : undefined;
      const body = request.body as Partial<typeof request.body> | undefined;
      const problems: Problem[] = [...(invalid?.problems ?? [])];
      if (typeof body?.filter === "string") problems.push(...filterProblems(body.filter));
      if (!invalid && body?.destination) {
        problems.push(...destinationProblems(body.destination as DestinationConfig, deps.config.notifyHttpHosts));
      }
      if (problems.length > 0) {
        throw invalid
          ? new TrailproofError("REQUEST_INVALID", invalid.detail, { problems })
          : new TrailproofError("STREAM_INVALID", "the stream cannot be used", { problems });
      }
      const { name, destination, format, filter, personal, start, secret: given } = request.body;
      const at = new Date().toISOString();
      const by = request.principal?.id as string;
      const stream: StreamRecord = {
        streamId: newStreamId(),
        tenantId: tenantId(request),
        name,
        destinationType: destination.type,
        destination: destination as unknown as StreamRecord["destination"],
        format: format ?? "native",
        filter: filter ?? "",
        personal: personal ?? "drop",
        status: "active",
        hasSecret: false,
        createdAt: at,
        createdBy: by,
        updatedAt: at,
        updatedBy: by,
      };
      const secret =
        destination.type === "webhook" ? newStreamSecret() : destination.type === "nats" ? given : undefined;
      stream.hasSecret = secret !== undefined;
      // "now" starts at the stream's own stream.create entry, appended next.
      const covered = start === "beginning" ? 0 : await deps.ledger.store.treeSize(stream.tenantId);
      await store.insertStream(stream, covered, secret);
      await record(request, "stream.create", stream, { before: {}, after: streamState(stream) });
      await manager.run(stream);
      return reply
        .code(201)
        .send({ stream: await withHealth(stream), secret: destination.type === "webhook" ? (secret ?? null) : null });
    },
  );

  api.get(
    "/v1/streams",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "Streams, oldest first, with their health (never their secrets)",
        description: "Readers who may not change streams see a webhook's URL origin only and no CA certificate.",
        response: { 200: StreamListSchema, ...ProblemResponses },
      },
    },
    async (request) => ({
      streams: await Promise.all((await store.listStreams(tenantId(request))).map((s) => withHealth(s, request))),
    }),
  );

  api.get(
    "/v1/streams/:id",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "A stream and its health: lag in entries and seconds, delivered count, last error",
        params: StreamParamsSchema,
        response: { 200: StreamResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => ({ stream: await withHealth(await found(request, request.params.id), request) }),
  );

  const transition = (verb: "pause" | "resume", to: StreamStatus) =>
    api.post(
      `/v1/streams/:id/${verb}`,
      {
        config: { permission: "administer" },
        schema: {
          ...common,
          summary:
            verb === "pause"
              ? "Pause a stream: nothing is sent until it is resumed; its cursor stays"
              : "Resume a paused stream from its cursor: what was committed meanwhile is sent",
          params: StreamParamsSchema,
          response: { 200: StreamResponseSchema, ...ProblemResponses },
        },
      },
      async (request) => {
        const before = await found(request, request.params.id);
        if (before.status === to) {
          throw new TrailproofError("STREAM_STATE_CONFLICT", `the stream is ${to} already`);
        }
        const after = await store.setStatus(
          before.tenantId,
          before.streamId,
          to,
          new Date().toISOString(),
          request.principal?.id as string,
        );
        if (!after) throw new TrailproofError("STREAM_NOT_FOUND", "no stream with this id");
        if (to === "paused") await manager.halt(after.streamId);
        await record(request, `stream.${verb}`, after, { before: streamState(before), after: streamState(after) });
        if (to === "active") await manager.run(after);
        return { stream: await withHealth(after) };
      },
    );
  transition("pause", "paused");
  transition("resume", "active");

  api.delete(
    "/v1/streams/:id",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Delete a stream: it stops, and its cursor and secret are removed",
        params: StreamParamsSchema,
        response: { 200: StreamResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const stream = await found(request, request.params.id);
      await manager.halt(stream.streamId);
      if (!(await store.deleteStream(stream.tenantId, stream.streamId))) {
        throw new TrailproofError("STREAM_NOT_FOUND", "no stream with this id");
      }
      await record(request, "stream.delete", stream, { before: streamState(stream), after: {} });
      return { stream: toWireStream(stream) };
    },
  );

  api.post(
    "/v1/streams/:id/rotate-secret",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary:
          "Replace the destination's secret: a new webhook signing secret (answered this once) or a new NATS token",
        description:
          "Body (NATS only): `{secret}`, the new token. The stream reconnects with the new secret at once. A syslog stream has no secret (STREAM_NO_SECRET).",
        params: StreamParamsSchema,
        // No body schema: a webhook's rotation has no body; the NATS token is checked below.
        response: { 200: StreamWithSecretSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const before = await found(request, request.params.id);
      const given = (request.body as { secret?: unknown } | null | undefined)?.secret;
      if (given !== undefined && (typeof given !== "string" || given.length === 0 || given.length > 4096)) {
        throw new TrailproofError("STREAM_INVALID", "the new secret cannot be used", {
          problems: [{ pointer: "/body/secret", message: "must be a string of 1 to 4096 characters" }],
        });
      }
      let secret: string;
      if (before.destinationType === "webhook") secret = newStreamSecret();
      else if (before.destinationType === "nats" && given !== undefined) secret = given;
      else if (before.destinationType === "nats") {
        throw new TrailproofError("STREAM_INVALID", "a NATS stream's new token is given in the body", {
          problems: [{ pointer: "/body/secret", message: "is required for a NATS stream" }],
        });
      } else throw new TrailproofError("STREAM_NO_SECRET", "a syslog stream has no secret to rotate");
      const at = new Date().toISOString();
      const by = request.principal?.id as string;
      if (!(await store.setSecret(before.tenantId, before.streamId, secret, at, by))) {
        throw new TrailproofError("STREAM_NOT_FOUND", "no stream with this id");
      }
      const after = { ...before, hasSecret: true, updatedAt: at, updatedBy: by };
      await record(request, "stream.rotate_secret", after, { before: streamState(before), after: streamState(after) });
      if (after.status === "active") await manager.restart(after);
      return {
        stream: await withHealth(after),
        secret: before.destinationType === "webhook" ? secret : null,
      };
    },
  );
}
