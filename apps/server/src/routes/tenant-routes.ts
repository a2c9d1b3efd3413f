// Platform operation (operator credential): create and list tenants. The
// operator reads no tenant's events; it only learns names and sizes.
import { provisionTenant } from "@trailproof/ledger";
import { ProblemDetailsSchema } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppDeps } from "../deps.js";

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
            name: Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,62}$", description: "1-63 of a-z, 0-9 and -" }),
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
        ...(unknownActions ? { unknownActions } : {}),
      });
      return reply.code(201).send({ tenant: made.tenant.name, origin: made.tenant.origin, admin_key: made.adminKey });
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
