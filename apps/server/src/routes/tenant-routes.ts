// Platform operation (operator credential): create and list tenants, and
// issue a recovery admin key to a tenant locked out of its administration.
// The operator reads no tenant's events; it only learns names and sizes (a
// recovery key is the exception, and the tenant's own log records it).
import { issueRecoveryAdminKey, provisionTenant } from "@trailproof/ledger";
import { CreatedApiKeySchema, ProblemDetailsSchema } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import { META_AUDIT_APPENDER } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";
import { toWireKey } from "./admin-routes.js";

const TENANT_NAME = { pattern: "^[a-z0-9][a-z0-9-]{0,62}$", description: "1-63 of a-z, 0-9 and -" };

export function registerTenantRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post(
    "/v1/tenants",
    {
      config: { permission: "operate" },
      schema: {
        tags: ["operator"],
        security: [{ bearer: [] }],
        summary: "Create a tenant; its first admin key is shown once in the response",
        body: Type.Object(
          {
            name: Type.String(TENANT_NAME),
            unknown_actions: Type.Optional(Type.Union([Type.Literal("reject"), Type.Literal("accept")])),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ tenant: Type.String(), origin: Type.String(), admin_key: Type.String() }),
          "4xx": ProblemDetailsSchema,
          "5xx": ProblemDetailsSchema,
        },
      },
    },
    async (request, reply) => {
      const { name, unknown_actions: unknownActions } = request.body as {
        name: string;
        unknown_actions?: "reject" | "accept";
      };
      const made = await provisionTenant(deps.ledger, deps.access, name, {
        createdBy: `operator:${request.principal?.id}`,
        appendedBy: META_AUDIT_APPENDER,
        ...(unknownActions ? { unknownActions } : {}),
      });
      return reply.code(201).send({ tenant: made.tenant.name, origin: made.tenant.origin, admin_key: made.adminKey });
    },
  );

  app.post(
    "/v1/tenants/:tenant/keys",
    {
      config: { permission: "operate" },
      schema: {
        tags: ["operator"],
        security: [{ bearer: [] }],
        summary: "Issue a recovery admin key to a tenant; the key is shown once in the response",
        description:
          "For a tenant that can no longer administer itself (docs/runbooks/operations.md). Only admin keys; the tenant's log records it as apikey.create with recovery: true.",
        params: Type.Object({ tenant: Type.String(TENANT_NAME) }),
        body: Type.Object(
          { name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) },
          { additionalProperties: false },
        ),
        response: { 201: CreatedApiKeySchema, "4xx": ProblemDetailsSchema, "5xx": ProblemDetailsSchema },
      },
    },
    async (request, reply) => {
      const { tenant } = request.params as { tenant: string };
      const { name } = (request.body ?? {}) as { name?: string };
      const issued = await issueRecoveryAdminKey(deps.ledger, deps.access, tenant, {
        createdBy: `operator:${request.principal?.id}`,
        appendedBy: META_AUDIT_APPENDER,
        ...(name ? { name } : {}),
      });
      return reply.code(201).send({ ...toWireKey(issued.record), key: issued.key });
    },
  );

  app.get(
    "/v1/tenants",
    {
      config: { permission: "operate" },
      schema: {
        tags: ["operator"],
        security: [{ bearer: [] }],
        summary: "Tenants, with their origins and log sizes",
        response: {
          200: Type.Object({
            tenants: Type.Array(
              Type.Object({
                tenant: Type.String(),
                origin: Type.String(),
                created_at: Type.String(),
                tree_size: Type.Integer(),
              }),
            ),
          }),
          "4xx": ProblemDetailsSchema,
        },
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
