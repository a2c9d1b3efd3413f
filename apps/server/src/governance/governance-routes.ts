// GET /v1/governance (viewer and up): policy decisions by phase and policy,
// denials with remediation, policy changes and by whom (governance-view.ts).
// Viewers see people as the tenant's keyed pseudonyms, as in every event view.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  GovernanceQueryProperties,
  GovernanceSchema,
  ProblemResponses,
  parseEventFilterParams,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { stableQuery } from "../routes/search-params.js";
import { buildGovernance } from "./governance-view.js";

export function registerGovernanceRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/v1/governance",
    {
      config: { permission: "read" },
      schema: {
        tags: ["governance"],
        security: [{ bearer: [] }],
        summary: "Policy decisions by phase and policy, denials with remediation, policy changes and by whom",
        querystring: Type.Object(GovernanceQueryProperties, { additionalProperties: false }),
        response: { 200: GovernanceSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const params = request.query;
      // Untrusted dates: the search's own parser normalises them and lists every problem (SEARCH_QUERY_INVALID).
      const period = parseEventFilterParams({ from: params.from, to: params.to });
      const record = await deps.ledger.tenantRecord(tenant);
      const view = await buildGovernance(deps.ledger, deps.query, {
        tenant,
        tenantId: record.tenantId,
        role: request.principal?.role ?? "viewer",
        ...(period.from === undefined ? {} : { from: period.from }),
        ...(period.to === undefined ? {} : { to: period.to }),
        ...(params.phase === undefined ? {} : { phase: params.phase }),
        limit: params.limit ?? 50,
      });
      await audit.record(request, {
        action: "audit.governance.read",
        target: { type: "log", id: tenant },
        metadata: { query: stableQuery(params) },
        dedupeKey: JSON.stringify(stableQuery(params)),
      });
      return view;
    },
  );
}
