// POST /v1/pseudonyms/resolve (auditor, admin): who a pseudonym stands for.
// Every attempt, found or not, is recorded in the tenant's log with the
// pseudonym and the stated reason, never the id.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import { ProblemResponses, PseudonymResolutionSchema, PseudonymResolveBodySchema } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { resolvePseudonym } from "../privacy/pseudonyms.js";

export function registerPseudonymRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    "/v1/pseudonyms/resolve",
    {
      config: { permission: "read_personal" },
      schema: {
        tags: ["events"],
        security: [{ bearer: [] }],
        summary: "The actor or target id a pseudonym stands for (recorded in the log with the reason)",
        body: PseudonymResolveBodySchema,
        response: { 200: PseudonymResolutionSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { pseudonym, reason } = request.body;
      const record = await deps.ledger.tenantRecord(tenant);
      const id = await resolvePseudonym(deps.ledger, deps.query, tenant, record.tenantId, pseudonym);
      await audit.record(request, {
        action: "pseudonym.resolve",
        target: { type: "pseudonym", id: pseudonym },
        metadata: { resolved: id !== undefined, reason },
      });
      if (id === undefined) {
        throw new TrailproofError(
          "PSEUDONYM_NOT_FOUND",
          `no actor or target of tenant ${tenant} has pseudonym ${pseudonym}`,
        );
      }
      return { pseudonym, id };
    },
  );
}
