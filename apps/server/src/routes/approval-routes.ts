// Dual control over HTTP: list, read, approve and reject a tenant's
// requests (admin); the operator's single-admin switch for a tenant; and the
// first change under dual control, signing-key rotation.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import {
  ApprovalListQuerySchema,
  ApprovalListSchema,
  ApprovalParamsSchema,
  ApprovalResponseSchema,
  DualControlBodySchema,
  DualControlSchema,
  KeyRotationBodySchema,
  ProblemResponses,
  TenantParamsSchema,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { type DualControl, toWireApproval } from "../approvals/dual-control.js";
import type { MetaAudit } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";

const common = { tags: ["admin"], security: [{ bearer: [] }] };

export function registerApprovalRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  audit: MetaAudit,
  dualControl: DualControl,
): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { approvals, ledger } = deps;

  dualControl.register({
    action: "signing_key.rotate",
    async run(req, tenant, _request, approvalId) {
      const verifiers = await ledger.rotateSigningKey(tenant);
      const active = verifiers.find((v) => v.retired_at === null) ?? verifiers[verifiers.length - 1];
      const verifierKey = active?.verifier_key ?? "";
      await audit.record(req, {
        action: "signing_key.rotate",
        target: { type: "log", id: tenant },
        metadata: { approval_id: approvalId, verifier_key: verifierKey },
      });
      return { verifier_key: verifierKey };
    },
  });

  api.get(
    "/v1/approvals",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Requests under dual control, newest first",
        querystring: ApprovalListQuerySchema,
        response: { 200: ApprovalListSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenantId = request.principal?.tenantId as number;
      const { status, limit = 100 } = request.query;
      const now = new Date().toISOString();
      // Expired is pending past its time: read pending ones and tell them apart here.
      const stored = status === "expired" ? "pending" : status;
      const records = await approvals.listApprovals(tenantId, { ...(stored ? { status: stored } : {}), limit });
      const wire = records.map((r) => toWireApproval(r, now));
      return { approvals: status === undefined ? wire : wire.filter((a) => a.status === status) };
    },
  );

  api.get(
    "/v1/approvals/:id",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "One request under dual control",
        params: ApprovalParamsSchema,
        response: { 200: ApprovalResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const record = await approvals.findApproval(request.principal?.tenantId as number, request.params.id);
      if (record === undefined) {
        throw new TrailproofError(
          "APPROVAL_NOT_FOUND",
          `no approval ${JSON.stringify(request.params.id)} in this tenant`,
        );
      }
      return { approval: toWireApproval(record) };
    },
  );

  for (const [verb, status] of [
    ["approve", "approved"],
    ["reject", "rejected"],
  ] as const) {
    api.post(
      `/v1/approvals/:id/${verb}`,
      {
        config: { permission: "administer" },
        schema: {
          ...common,
          summary:
            verb === "approve"
              ? "Approve a pending request and carry it out (a different person from the one who asked)"
              : "Reject a pending request",
          params: ApprovalParamsSchema,
          response: { 200: ApprovalResponseSchema, ...ProblemResponses },
        },
      },
      async (request) => ({ approval: await dualControl.decide(request, request.params.id, status) }),
    );
  }

  api.post(
    "/v1/log/key/rotate",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Rotate the tenant's signing key, under dual control",
        description:
          "Answers 202 with a pending approval that a different admin approves (POST /v1/approvals/{id}/approve); in single-admin mode the key is rotated at once (200). Old checkpoints keep verifying with the retired key, which /v1/log/key keeps listing.",
        body: KeyRotationBodySchema,
        response: { 200: ApprovalResponseSchema, 202: ApprovalResponseSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { approval, pending } = await dualControl.request(request, "signing_key.rotate", {
        reason: request.body.reason,
      });
      return reply.code(pending ? 202 : 200).send({ approval });
    },
  );

  api.get(
    "/v1/tenants/:tenant/dual-control",
    {
      config: { permission: "operate" },
      schema: {
        tags: ["operator"],
        security: [{ bearer: [] }],
        summary: "A tenant's dual-control setting",
        params: TenantParamsSchema,
        response: { 200: DualControlSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const record = await ledger.tenantRecord(request.params.tenant);
      const setting = await approvals.dualControl(record.tenantId);
      return { tenant: record.name, single_admin: setting.singleAdmin, set_by: setting.setBy, set_at: setting.setAt };
    },
  );

  api.put(
    "/v1/tenants/:tenant/dual-control",
    {
      config: { permission: "operate" },
      schema: {
        tags: ["operator"],
        security: [{ bearer: [] }],
        summary: "Turn single-admin mode on or off for a tenant (logged in the tenant's log)",
        description:
          "Single-admin mode lets a tenant with one admin carry out changes under dual control alone. It is the operator's explicit decision, with a reason, recorded as tenant.dual_control.update.",
        params: TenantParamsSchema,
        body: DualControlBodySchema,
        response: { 200: DualControlSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const record = await ledger.tenantRecord(request.params.tenant);
      const before = await approvals.dualControl(record.tenantId);
      const by = `operator:${request.principal?.id}`;
      const at = new Date().toISOString();
      await audit.record(request, {
        tenant: record.name,
        action: "tenant.dual_control.update",
        target: { type: "tenant", id: record.name },
        metadata: { reason: request.body.reason },
        change: { before: { single_admin: before.singleAdmin }, after: { single_admin: request.body.single_admin } },
      });
      await approvals.setSingleAdmin(record.tenantId, request.body.single_admin, by, at);
      return { tenant: record.name, single_admin: request.body.single_admin, set_by: by, set_at: at };
    },
  );
}
