// Retention over HTTP (docs/retention.md): a tenant's rules (admin and
// auditor read them; a change is under dual control, retention.update), its
// legal holds (an admin places one at once, legal_hold.place; lifting is
// under dual control, legal_hold.lift), and a prune run on demand (admin or
// operator).
import { randomBytes } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { type JsonObject, TrailproofError } from "@trailproof/core";
import type { Pruner } from "@trailproof/ledger";
import {
  ApprovalResponseSchema,
  LegalHoldBodySchema,
  LegalHoldLiftBodySchema,
  LegalHoldListSchema,
  LegalHoldParamsSchema,
  LegalHoldResponseSchema,
  ProblemResponses,
  PruneResultSchema,
  RetentionBodySchema,
  RetentionSchema,
  TenantParamsSchema,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { DualControl } from "../approvals/dual-control.js";
import type { MetaAudit } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";
import {
  fromWireRetention,
  fromWireScope,
  isoTime,
  routeTenant,
  toWireHold,
  toWirePrune,
  toWireRetention,
  toWireScope,
} from "../retention/retention-wire.js";

const common = { tags: ["retention"], security: [{ bearer: [] }] };

export function registerRetentionRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  audit: MetaAudit,
  dualControl: DualControl,
  pruner: Pruner,
  now: () => number,
): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { ledger, retention } = deps;

  dualControl.register({
    action: "retention.update",
    async run(req, tenant, request, approvalId) {
      const record = await ledger.tenantRecord(tenant);
      const before = await retention.retentionPolicy(record.tenantId);
      const policy = fromWireRetention(request as { default_keep_days: unknown; rules: unknown });
      const after = { ...before, ...policy };
      await audit.record(req, {
        tenant,
        action: "retention.update",
        target: { type: "tenant", id: tenant },
        metadata: { approval_id: approvalId, reason: request.reason },
        change: {
          before: { default_keep_days: before.defaultKeepDays, rules: toWireRetention(tenant, before).rules },
          after: { default_keep_days: after.defaultKeepDays, rules: toWireRetention(tenant, after).rules },
        },
      });
      await retention.setRetentionPolicy(
        record.tenantId,
        policy,
        req.principal?.id ?? "",
        new Date(now()).toISOString(),
      );
      return toWireRetention(tenant, await retention.retentionPolicy(record.tenantId)) as unknown as JsonObject;
    },
  });

  dualControl.register({
    action: "legal_hold.lift",
    async run(req, tenant, request, approvalId) {
      const record = await ledger.tenantRecord(tenant);
      const holdId = String(request.hold_id);
      const hold = await retention.findLegalHold(record.tenantId, holdId);
      if (hold === undefined) throw new TrailproofError("LEGAL_HOLD_NOT_FOUND", `no legal hold ${holdId}`);
      // Refuse a lift of a lifted hold before recording it; the atomic lift below still
      // settles two lifts that race past this check.
      if (hold.liftedAt !== null) {
        throw new TrailproofError("LEGAL_HOLD_NOT_ACTIVE", `legal hold ${holdId} was already lifted`);
      }
      await audit.record(req, {
        tenant,
        action: "legal_hold.lift",
        target: { type: "legal_hold", id: holdId },
        metadata: { approval_id: approvalId, reason: request.reason },
      });
      const at = new Date(now()).toISOString();
      if (!(await retention.liftLegalHold(record.tenantId, holdId, req.principal?.id ?? "", at))) {
        throw new TrailproofError("LEGAL_HOLD_NOT_ACTIVE", `legal hold ${holdId} was already lifted`);
      }
      const lifted = await retention.findLegalHold(record.tenantId, holdId);
      return { legal_hold: lifted ? toWireHold(lifted, now()) : null } as unknown as JsonObject;
    },
  });

  api.get(
    "/v1/tenants/:tenant/retention",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "The tenant's retention rules and default (admin, auditor)",
        params: TenantParamsSchema,
        response: { 200: RetentionSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const record = await routeTenant(ledger, request, request.params.tenant);
      return toWireRetention(record.name, await retention.retentionPolicy(record.tenantId));
    },
  );

  api.put(
    "/v1/tenants/:tenant/retention",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Replace the tenant's retention rules, under dual control",
        description:
          "Answers 202 with a pending approval (action retention.update) that a different admin approves; in single-admin mode it takes effect at once (200). The change is a retention.update event with the rules before and after. Precedence: a tag rule, then the longest action prefix, then the category, then the default (docs/retention.md).",
        params: TenantParamsSchema,
        body: RetentionBodySchema,
        response: { 200: ApprovalResponseSchema, 202: ApprovalResponseSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      await routeTenant(ledger, request, request.params.tenant);
      // Checked before it is asked for: a request that could not be carried out is refused now.
      fromWireRetention(request.body);
      const { approval, pending } = await dualControl.request(request, "retention.update", {
        default_keep_days: request.body.default_keep_days ?? null,
        rules: request.body.rules,
        reason: request.body.reason,
      } as unknown as JsonObject);
      return reply.code(pending ? 202 : 200).send({ approval });
    },
  );

  api.post(
    "/v1/tenants/:tenant/retention/prune",
    {
      config: { permission: "administer", operatorToo: true },
      schema: {
        ...common,
        summary: "Prune entries past retention now: one bounded batch (admin or operator)",
        description:
          "Appends a retention.prune event with the ranges and counts, then removes those entries' bodies (leaf data, personal values, search rows) in one transaction; leaf hashes and tree nodes stay, so every proof stays valid.",
        params: TenantParamsSchema,
        response: { 200: PruneResultSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const record = await routeTenant(ledger, request, request.params.tenant);
      const waitForSearch = deps.waitForSearch;
      const result = await pruner.run(record.name, {
        nowMs: now(),
        ...(waitForSearch ? { searchCovers: (id: number, size: number) => waitForSearch(id, size, 5000) } : {}),
      });
      return toWirePrune(result);
    },
  );

  api.post(
    "/v1/tenants/:tenant/legal-holds",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Place a legal hold: it stops pruning of what it covers, at once",
        description:
          "Covers entries by target, actor id, tag, or occurred_at in [from, to). Active until lifted (under dual control) or until expires_at. Recorded as legal_hold.place.",
        params: TenantParamsSchema,
        body: LegalHoldBodySchema,
        response: { 201: LegalHoldResponseSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const record = await routeTenant(ledger, request, request.params.tenant);
      const scope = fromWireScope(request.body.scope);
      const expiresAt = request.body.expires_at ? isoTime(request.body.expires_at, "/expires_at") : null;
      const hold = {
        holdId: `hold_${randomBytes(12).toString("base64url")}`,
        tenantId: record.tenantId,
        scope,
        reason: request.body.reason,
        expiresAt,
        placedBy: request.principal?.id ?? "",
        placedAt: new Date(now()).toISOString(),
        liftedBy: null,
        liftedAt: null,
      };
      // Logged before it is stored: a hold the log does not show never exists.
      await audit.record(request, {
        tenant: record.name,
        action: "legal_hold.place",
        target: { type: "legal_hold", id: hold.holdId },
        metadata: { reason: hold.reason, scope: toWireScope(scope), expires_at: expiresAt },
      });
      await retention.insertLegalHold(hold);
      return reply.code(201).send({ legal_hold: toWireHold(hold, now()) });
    },
  );

  api.get(
    "/v1/tenants/:tenant/legal-holds",
    {
      config: { permission: "verify" },
      schema: {
        ...common,
        summary: "The tenant's legal holds, lifted and expired ones included (admin, auditor)",
        params: TenantParamsSchema,
        response: { 200: LegalHoldListSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const record = await routeTenant(ledger, request, request.params.tenant);
      const at = now();
      return { legal_holds: (await retention.listLegalHolds(record.tenantId)).map((h) => toWireHold(h, at)) };
    },
  );

  api.post(
    "/v1/tenants/:tenant/legal-holds/:id/lift",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Lift a legal hold, under dual control",
        description:
          "Answers 202 with a pending approval (action legal_hold.lift) that a different admin approves; in single-admin mode it is lifted at once (200). Recorded as legal_hold.lift.",
        params: LegalHoldParamsSchema,
        body: LegalHoldLiftBodySchema,
        response: { 200: ApprovalResponseSchema, 202: ApprovalResponseSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const record = await routeTenant(ledger, request, request.params.tenant);
      const hold = await retention.findLegalHold(record.tenantId, request.params.id);
      if (hold === undefined) {
        throw new TrailproofError("LEGAL_HOLD_NOT_FOUND", `no legal hold ${JSON.stringify(request.params.id)}`);
      }
      if (hold.liftedAt !== null) {
        throw new TrailproofError("LEGAL_HOLD_NOT_ACTIVE", `legal hold ${hold.holdId} was already lifted`);
      }
      const { approval, pending } = await dualControl.request(request, "legal_hold.lift", {
        hold_id: hold.holdId,
        reason: request.body.reason,
      });
      return reply.code(pending ? 202 : 200).send({ approval });
    },
  );
}
