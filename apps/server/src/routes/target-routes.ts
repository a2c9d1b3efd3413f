// Entity histories (viewer and up): every recorded change to one target with
// its diff, and with ?at= the entity's state at that moment, reconstructed
// from the recorded changes.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { InvalidInputError } from "@trailproof/core";
import {
  ProblemResponses,
  parseFilterDate,
  type TargetHistory,
  TargetHistoryQuerySchema,
  TargetHistorySchema,
  TargetParamsSchema,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { toEventItems } from "./event-view.js";
import { pageParams, stableQuery } from "./search-params.js";

export function registerTargetRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const { ledger, query } = deps;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/v1/targets/:type/:id/history",
    {
      config: { permission: "read", readsSearch: true },
      schema: {
        tags: ["events"],
        security: [{ bearer: [] }],
        summary: "Every change to one target, with diffs; with `at`, its state at that moment",
        params: TargetParamsSchema,
        querystring: TargetHistoryQuerySchema,
        response: { 200: TargetHistorySchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { type, id } = request.params;
      const params = request.query;
      const record = await ledger.tenantRecord(tenant);
      const page = await query.targetHistory(record.tenantId, type, id, pageParams(params));
      let stateAt: TargetHistory["state_at"];
      if (params.at !== undefined) {
        const parsed = parseFilterDate(params.at);
        if ("problem" in parsed) {
          throw new InvalidInputError("REQUEST_INVALID", "at must be a date", {
            problems: [{ pointer: "/query/at", message: parsed.problem }],
          });
        }
        const atMs = parsed.ms;
        const s = await query.stateAt(record.tenantId, type, id, atMs);
        stateAt = {
          at: new Date(atMs).toISOString(),
          state: s.state,
          as_of: s.asOf && { index: s.asOf.index, event_id: s.asOf.eventId, occurred_at: s.asOf.occurredAt },
          applied_events: s.appliedEvents,
          gaps: s.gaps,
        };
      }
      // Recorded against the log, not the entity: reading a history must not add to it.
      await audit.record(request, {
        action: "audit.history.read",
        target: { type: "log", id: tenant },
        metadata: { query: { target_type: type, target_id: id, ...stableQuery(params) } },
        dedupeKey: JSON.stringify(stableQuery(params)),
      });
      return {
        target: { type, id },
        events: await toEventItems(ledger, tenant, request.principal?.role ?? "viewer", page.entries),
        next_cursor: page.nextCursor,
        ...(stateAt ? { state_at: stateAt } : {}),
      };
    },
  );
}
