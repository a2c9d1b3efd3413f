// GET /v1/stats (viewer and up): counts for a filter, bucketed by time and
// optionally grouped by action, actor, outcome or risk.
import { ProblemDetailsSchema, parseEventFilterParams } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { MIN_INDEX_PROPERTY } from "./read-your-writes.js";
import { FILTER_QUERY_PROPERTIES, stableQuery } from "./search-params.js";

const GROUPS = ["action", "actor", "outcome", "risk", "kind", "category"] as const;

export function registerStatsRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  app.get(
    "/v1/stats",
    {
      config: { permission: "read", readsSearch: true },
      schema: {
        tags: ["events"],
        security: [{ bearer: [] }],
        summary: "Event counts for a filter, by time bucket, optionally grouped",
        querystring: Type.Object(
          {
            ...FILTER_QUERY_PROPERTIES,
            ...MIN_INDEX_PROPERTY,
            bucket: Type.Optional(
              Type.Union([Type.Literal("minute"), Type.Literal("hour"), Type.Literal("day"), Type.Literal("week")], {
                default: "hour",
              }),
            ),
            group_by: Type.Optional(Type.Union(GROUPS.map((g) => Type.Literal(g)))),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            bucket: Type.String(),
            group_by: Type.Union([Type.String(), Type.Null()]),
            groups: Type.Optional(Type.Array(Type.String(), { description: "the named groups, largest first" })),
            buckets: Type.Array(
              Type.Object({
                start: Type.String(),
                count: Type.Integer(),
                groups: Type.Optional(Type.Record(Type.String(), Type.Integer())),
                other: Type.Optional(Type.Integer({ description: "events outside the named groups" })),
              }),
            ),
          }),
          "4xx": ProblemDetailsSchema,
          "5xx": ProblemDetailsSchema,
        },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const params = request.query as Record<string, string | undefined>;
      const { bucket = "hour", group_by: groupBy, ...filterParams } = params;
      const filter = parseEventFilterParams(filterParams);
      const record = await deps.ledger.tenantRecord(tenant);
      const stats = await deps.query.stats(record.tenantId, filter, {
        bucket: bucket as "minute" | "hour" | "day" | "week",
        ...(groupBy ? { groupBy: groupBy as (typeof GROUPS)[number] } : {}),
      });
      await audit.record(request, {
        action: "audit.stats.read",
        target: { type: "log", id: tenant },
        metadata: { query: stableQuery(params) },
        dedupeKey: JSON.stringify(stableQuery(params)),
      });
      return {
        total: stats.total,
        bucket,
        group_by: groupBy ?? null,
        ...(stats.groups ? { groups: stats.groups } : {}),
        buckets: stats.buckets,
      };
    },
  );
}
