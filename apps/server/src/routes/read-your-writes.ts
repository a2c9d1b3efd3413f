// Read your own writes: the search projection may follow the durable log a
// little behind (issue 9; /metrics shows by how much), so search-backed reads
// take `min_index`, an index from an ingest receipt, and answer only once the
// projection covers it. Waits at most MAX_WAIT_MS, then 503 with Retry-After.
import { MIN_INDEX_MAX_WAIT_MS, MinIndexProperty } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { sendProblem } from "../http/problem.js";

export const MAX_WAIT_MS = MIN_INDEX_MAX_WAIT_MS;

/** The query parameter (protocol's), for the querystring schema of every route with config.readsSearch. */
export const MIN_INDEX_PROPERTY = MinIndexProperty;

export function registerReadYourWrites(app: FastifyInstance, deps: AppDeps): void {
  app.addHook("preHandler", async (request, reply) => {
    if (request.routeOptions.config.readsSearch !== true) return;
    const query = request.query as { min_index?: number };
    const minIndex = query.min_index;
    // Removed before the handler: it is not a filter, and must not key the meta-audit's deduplication.
    delete query.min_index;
    const tenantId = request.principal?.tenantId;
    if (minIndex === undefined || tenantId == null || !deps.waitForSearch) return;
    // An index the log has not reached is no receipt of ours: refuse it now, not after the wait.
    const size = await deps.ledger.treeSize(tenantOf(request));
    if (minIndex >= size) {
      return sendProblem(
        request,
        reply,
        "SEARCH_QUERY_INVALID",
        `min_index ${minIndex} is beyond the log, which holds ${size} entries`,
        [{ pointer: "/querystring/min_index", message: `must be below ${size}, an index from an ingest receipt` }],
      );
    }
    if (await deps.waitForSearch(tenantId, minIndex + 1, MAX_WAIT_MS)) return;
    reply.header("retry-after", "1");
    return sendProblem(
      request,
      reply,
      "SERVICE_UNAVAILABLE",
      `the search does not cover index ${minIndex} yet; retry shortly`,
      [{ pointer: "/querystring/min_index", message: "not yet searchable" }],
    );
  });
}
