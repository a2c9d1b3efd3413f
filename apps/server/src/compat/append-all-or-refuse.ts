// The append every drop-in source whose clients only tell 2xx from the rest
// shares (OPA decision logs, the Kubernetes audit webhook): a request's mapped
// events are appended all or nothing, and a request with any refused event is
// answered 400 problem+json listing each problem, so the client logs it and
// retries the same body, and nothing of it is written.
import type { AppendResult } from "@trailproof/ledger";
import type { FastifyRequest } from "fastify";
import { appenderOf } from "../auth/principal.js";
import type { AppDeps } from "../deps.js";
import { HttpProblem } from "../http/problem.js";
import { appendRefusingServiceActions, countResults } from "../ingest/append-events.js";

/** How many events a request created, and how many were redeliveries of events already recorded. */
export interface AppendedCounts {
  created: number;
  duplicate: number;
}

/**
 * Appends `events` (mapped from the source items at `sourcePointer[i]` of the
 * body, e.g. `/3` or `/items/3`) to `tenant` for the request's principal.
 * Throws HttpProblem EVENT_INVALID when any is refused: each problem's
 * pointer is the source item's pointer followed by the pointer into the event
 * it was mapped to.
 */
export async function appendAllOrRefuse(
  deps: AppDeps,
  request: FastifyRequest,
  tenant: string,
  events: readonly Record<string, unknown>[],
  sourcePointer: readonly string[],
  itemName: string,
): Promise<AppendedCounts> {
  if (events.length === 0) return { created: 0, duplicate: 0 };
  const results: AppendResult[] = await appendRefusingServiceActions(
    deps,
    tenant,
    events,
    appenderOf(request.principal),
    { allOrNothing: true },
  );
  countResults(deps, results);
  const problems = results.flatMap((r, i) =>
    r.status === "rejected"
      ? r.problems.map((p) => ({ pointer: `${sourcePointer[i]}${p.pointer}`, message: p.message }))
      : [],
  );
  if (problems.length > 0) {
    const refused = results.filter((r) => r.status === "rejected").length;
    throw new HttpProblem(
      "EVENT_INVALID",
      `${refused} of the ${events.length} ${itemName}s map to events the tenant refuses, so none was recorded (each pointer names the ${itemName} in the body, then the field of the event it maps to: docs/compat.md)`,
      { problems },
    );
  }
  return {
    created: results.filter((r) => r.status === "created").length,
    duplicate: results.filter((r) => r.status === "duplicate").length,
  };
}
