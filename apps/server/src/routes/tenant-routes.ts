// Platform operation (operator credential): create and list tenants, and
// issue a recovery admin key to a tenant locked out of its administration.
// The operator reads no tenant's events; it only learns names and sizes (a
// recovery key is the exception, and the tenant's own log records it).
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { issueRecoveryAdminKey, provisionTenant } from "@trailproof/ledger";
import {
  CreatedApiKeySchema,
  CreatedTenantSchema,
  NewTenantSchema,
  ProblemResponses,
  RecoveryKeyBodySchema,
  TenantListSchema,
  TenantParamsSchema,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { META_AUDIT_APPENDER } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";
import { toWireKey } from "./admin-routes.js";

export function registerTenantRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    "/v1/tenants",
    {
      config: { permission: "operate" },
      schema: {
        tags: ["operator"],
        security: [{ bearer: [] }],
        summary: "Create a tenant; its first admin key is shown once in the response",
        body: NewTenantSchema,
        response: { 201: CreatedTenantSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { name, unknown_actions: unknownActions, second_approver: secondApprover } = request.body;
      const made = await provisionTenant(deps.ledger, deps.access, name, {
        createdBy: `operator:${request.principal?.id}`,
        appendedBy: META_AUDIT_APPENDER,
        ...(unknownActions ? { unknownActions } : {}),
        ...(secondApprover ? { secondApprover: secondApprover.name } : {}),
      });
      return reply.code(201).send({
        tenant: made.tenant.name,
        origin: made.tenant.origin,
        admin_key: made.adminKey,
        ...(made.secondAdminKey ? { second_admin_key: made.secondAdminKey } : {}),
      });
    },
  );

  api.post(
    "/v1/tenants/:tenant/keys",
    {
      config: { permission: "operate" },
      schema: {
        tags: ["operator"],
        security: [{ bearer: [] }],
        summary: "Issue a recovery admin key to a tenant; the key is shown once in the response",
        description:
          "For a tenant that can no longer administer itself (docs/runbooks/operations.md). Only admin keys; the tenant's log records it as apikey.create with recovery: true.",
        params: TenantParamsSchema,
        body: RecoveryKeyBodySchema,
        response: { 201: CreatedApiKeySchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { tenant } = request.params;
      // The body may be left out altogether: a recovery key then gets the default name.
      const name = request.body?.name;
      const issued = await issueRecoveryAdminKey(deps.ledger, deps.access, tenant, {
        createdBy: `operator:${request.principal?.id}`,
        appendedBy: META_AUDIT_APPENDER,
        ...(name ? { name } : {}),
      });
      return reply.code(201).send({ ...toWireKey(issued.record), key: issued.key });
    },
  );

  api.get(
    "/v1/tenants",
    {
      config: { permission: "operate" },
      schema: {
        tags: ["operator"],
        security: [{ bearer: [] }],
        summary: "Tenants, with their origins and log sizes",
        response: { 200: TenantListSchema, ...ProblemResponses },
      },
    },
    async () => {
      const tenants = await deps.ledger.listTenants();
      return {
        tenants: await Promise.all(
          tenants.map(async (t) => ({
            tenant: t.name,
            origin: t.origin,
            created_at: t.createdAt,
            tree_size: await deps.ledger.treeSize(t.name),
          })),
        ),
      };
    },
  );
}
