// Reading events (viewer and up): search with filters or the search syntax,
// one event with its inclusion proof, and its causation trace.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { fromUtf8, TrailproofError } from "@trailproof/core";
import {
  EventDetailSchema,
  EventIdParamsSchema,
  EventPageSchema,
  EventPrunedProblemSchema,
  eventMatchesFilter,
  PROBLEM_CONTENT_TYPE,
  ProblemResponses,
  parseEventFilterParams,
  roleAllows,
  SearchQuerySchema,
  TraceSchema,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { toEventItem, toEventItems } from "./event-view.js";
import { prunedProblem } from "./pruned-event.js";
import { pageParams, stableQuery } from "./search-params.js";
import { checkpointCovering, proofIn } from "./signed-checkpoint.js";

const common = { tags: ["events"], security: [{ bearer: [] }] };

function notFound(id: string): TrailproofError {
  return new TrailproofError("EVENT_NOT_FOUND", `no event ${JSON.stringify(id)} in this tenant`);
}

/**
 * A viewer token's pinned filter applied to a search: a request may narrow
 * it, never widen or replace it.
 */
function withPinnedFilter<Params extends Readonly<Record<string, unknown>>>(
  pinned: Record<string, string> | undefined,
  params: Params,
): Params {
  if (!pinned) return params;
  for (const [key, value] of Object.entries(pinned)) {
    if (params[key] !== undefined && params[key] !== value) {
      throw new TrailproofError("AUTH_FORBIDDEN", `this viewer token only reads ${key}=${value}`);
    }
  }
  return { ...params, ...pinned };
}

/** The string parameters of a query: the filter's (page size and min_index are numbers, read elsewhere). */
function stringParams(query: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

export function registerEventRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const { ledger, query } = deps;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    "/v1/events",
    {
      config: { permission: "read", embeddable: true, readsSearch: true },
      schema: {
        ...common,
        summary: "Search events",
        description:
          'Filters as parameters or as `q` in the search syntax (`actor:alice action:app.* risk:high after:2026-01-01 "checkout page"`), sorted by occurred_at either way, keyset-paginated with `cursor`.',
        querystring: SearchQuerySchema,
        response: { 200: EventPageSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const params = withPinnedFilter(request.principal?.pinnedFilter, request.query);
      const filter = parseEventFilterParams(stringParams(params));
      const page = pageParams(params);
      const record = await ledger.tenantRecord(tenant);
      const result = await query.search(record.tenantId, filter, page);
      // One search is one read, however many pages it is read in.
      await audit.record(request, {
        action: "audit.search",
        target: { type: "log", id: tenant },
        metadata: { query: stableQuery(params), result_count: result.entries.length },
        dedupeKey: JSON.stringify(stableQuery(params)),
      });
      const principal = request.principal;
      return {
        events: await toEventItems(ledger, tenant, principal?.role ?? "viewer", result.entries),
        next_cursor: result.nextCursor,
      };
    },
  );

  api.get(
    "/v1/events/:id",
    {
      config: { permission: "read", embeddable: true },
      schema: {
        ...common,
        summary: "One event, its log index and (auditor and up) an inclusion proof against the latest checkpoint",
        description:
          "The proof is omitted while no signed checkpoint covers the event yet: the publisher signs within TRAILPROOF_CHECKPOINT_INTERVAL_MS, and this waits up to two intervals (at most 5 s) for it.",
        params: EventIdParamsSchema,
        response: { 200: EventDetailSchema, 410: EventPrunedProblemSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const { id } = request.params;
      const entry = await ledger.findEntry(tenant, id);
      const pinned = request.principal?.pinnedFilter;
      // A pruned body cannot be matched against a pinned filter: absent to such a token.
      if (entry && entry.leafData.length === 0 && !pinned) {
        await audit.record(request, { action: "audit.event.read", target: { type: "event", id }, dedupeKey: "" });
        return reply
          .code(410)
          .type(PROBLEM_CONTENT_TYPE)
          .send(await prunedProblem(deps, request, tenant, entry));
      }
      if (
        !entry ||
        entry.leafData.length === 0 ||
        (pinned && !eventMatchesFilter(JSON.parse(fromUtf8(entry.leafData)), parseEventFilterParams(pinned)))
      ) {
        throw notFound(id);
      }
      await audit.record(request, { action: "audit.event.read", target: { type: "event", id }, dedupeKey: "" });
      const role = request.principal?.role ?? "viewer";
      const item = await toEventItem(ledger, tenant, role, entry);
      if (!roleAllows(role, "prove")) return item;
      // A GET never signs: an entry newer than the latest checkpoint waits for
      // the publisher's next round, and is served without a proof if none comes.
      const checkpoint = await checkpointCovering(ledger, tenant, entry.index, deps.config.checkpointIntervalMs);
      if (!checkpoint || checkpoint.treeSize <= entry.index) return item;
      return { ...item, proof: await proofIn(ledger, tenant, entry, checkpoint) };
    },
  );

  api.get(
    "/v1/events/:id/trace",
    {
      config: { permission: "read" },
      schema: {
        ...common,
        summary: "The causation chain: what set this event in motion, its run, and what it set in motion",
        params: EventIdParamsSchema,
        response: { 200: TraceSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { id } = request.params;
      const record = await ledger.tenantRecord(tenant);
      const trace = await query.trace(record.tenantId, id, { maxEvents: 500 });
      if (!trace) throw notFound(id);
      await audit.record(request, { action: "audit.trace.read", target: { type: "event", id }, dedupeKey: "" });
      const role = request.principal?.role ?? "viewer";
      const items = (entries: typeof trace.ancestors) => toEventItems(ledger, tenant, role, entries);
      return {
        event: await toEventItem(ledger, tenant, role, trace.event),
        ancestors: await items(trace.ancestors),
        unresolved_cause: trace.unresolvedCause,
        run: await items(trace.run),
        descendants: await items(trace.descendants),
        truncated: trace.truncated,
      };
    },
  );
}
