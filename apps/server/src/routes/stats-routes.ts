// GET /v1/stats (viewer and up): counts for a filter, bucketed by time and
// optionally grouped by action, actor, outcome or risk. Actor groups are
// keyed pseudonyms for readers who may not see personal values, and for
// anyone who asks (the console's dashboards do): counting people needs no names.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  EventFilterQueryProperties,
  MinIndexProperty,
  ProblemResponses,
  parseEventFilterParams,
  roleAllows,
  StatsQueryProperties,
  StatsSchema,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { pseudonymiseGroups } from "../privacy/pseudonymise-groups.js";
import { pseudonymizer } from "../privacy/pseudonyms.js";
import { stableQuery } from "./search-params.js";

export function registerStatsRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/v1/stats",
    {
      config: { permission: "read", readsSearch: true },
      schema: {
        tags: ["events"],
        security: [{ bearer: [] }],
        summary: "Event counts for a filter, by time bucket, optionally grouped",
        querystring: Type.Object(
          { ...EventFilterQueryProperties, ...MinIndexProperty, ...StatsQueryProperties },
          { additionalProperties: false },
        ),
        response: { 200: StatsSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const params = request.query;
      // min_index is gone by now (read-your-writes.ts); the filter is every other parameter.
      const { bucket = "hour", group_by: groupBy, pseudonyms, min_index: _minIndex, ...filterParams } = params;
      const filter = parseEventFilterParams(filterParams);
      const record = await deps.ledger.tenantRecord(tenant);
      const stats = await deps.query.stats(record.tenantId, filter, { bucket, ...(groupBy ? { groupBy } : {}) });
      await audit.record(request, {
        action: "audit.stats.read",
        target: { type: "log", id: tenant },
        metadata: { query: stableQuery(params) },
        dedupeKey: JSON.stringify(stableQuery(params)),
      });
      const role = request.principal?.role ?? "viewer";
      const hide = groupBy === "actor" && (pseudonyms === true || !roleAllows(role, "read_personal"));
      const shown = hide ? pseudonymiseGroups(stats, await pseudonymizer(deps.ledger, tenant)) : stats;
      return {
        total: shown.total,
        bucket,
        group_by: groupBy ?? null,
        ...(groupBy === "actor" ? { pseudonyms: hide } : {}),
        ...(shown.groups ? { groups: shown.groups } : {}),
        buckets: shown.buckets,
      };
    },
  );
}
