// Entity histories (viewer and up): every recorded change to one target with
// its diff, and with ?at= the entity's state at that moment, reconstructed
// from the recorded changes.
import { InvalidInputError } from "@trailproof/core";
import { EventItemSchema, ProblemDetailsSchema, parseFilterDate } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { toEventItems } from "./event-view.js";
import { MIN_INDEX_PROPERTY } from "./read-your-writes.js";
import { pageParams, stableQuery } from "./search-params.js";

const errors = { "4xx": ProblemDetailsSchema, "5xx": ProblemDetailsSchema };

export function registerTargetRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const { ledger, query } = deps;
  app.get(
    "/v1/targets/:type/:id/history",
    {
      config: { permission: "read", readsSearch: true },
      schema: {
        tags: ["events"],
        security: [{ bearer: [] }],
        summary: "Every change to one target, with diffs; with `at`, its state at that moment",
        // The event format's own limits on target type and id.
        params: Type.Object({
          type: Type.String({ pattern: "^[a-z][a-z0-9_]*$", maxLength: 128 }),
          id: Type.String({ minLength: 1, maxLength: 256 }),
        }),
        querystring: Type.Object(
          {
            at: Type.Optional(Type.String({ description: "RFC 3339: reconstruct the state as of this moment" })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            order: Type.Optional(Type.Union([Type.Literal("desc"), Type.Literal("asc")], { default: "desc" })),
            cursor: Type.Optional(Type.String({ maxLength: 512 })),
            ...MIN_INDEX_PROPERTY,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            target: Type.Object({ type: Type.String(), id: Type.String() }),
            events: Type.Array(EventItemSchema),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
            state_at: Type.Optional(
              Type.Object({
                at: Type.String(),
                state: Type.Unknown(),
                as_of: Type.Union([
                  Type.Null(),
                  Type.Object({ index: Type.Integer(), event_id: Type.String(), occurred_at: Type.String() }),
                ]),
                applied_events: Type.Integer(),
                gaps: Type.Array(Type.Unknown()),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { type, id } = request.params as { type: string; id: string };
      const params = request.query as Record<string, unknown>;
      const record = await ledger.tenantRecord(tenant);
      const page = await query.targetHistory(record.tenantId, type, id, pageParams(params));
      let stateAt: Record<string, unknown> | undefined;
      if (typeof params.at === "string") {
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
