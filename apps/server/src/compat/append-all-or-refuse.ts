// The append every drop-in source shares: a request's mapped events are
// appended all or nothing (ingest/append-events.ts), counted in /metrics, and
// a request with any refused event writes nothing and is refused with each
// problem's pointer under the source item it came from. Each source says
// only where its items sit in the body and which error its clients get.
import type { Problem } from "@trailproof/core";
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
 * The error a refused request throws, in its source's convention: given
 * every problem (pointers already under their source items), how many events
 * were refused and how many the request had.
 */
export type RefusalError = (problems: Problem[], refused: number, total: number) => Error;

/**
 * The refusal of sources whose clients only tell 2xx from the rest (OPA
 * decision logs, the Kubernetes audit webhook): 400 EVENT_INVALID naming how
 * many `itemName`s were refused, so the client logs it and retries.
 */
export function refusedItems(itemName: string): RefusalError {
  return (problems, refused, total) =>
    new HttpProblem(
      "EVENT_INVALID",
      `${refused} of the ${total} ${itemName}s map to events the tenant refuses, so none was recorded (each pointer names the ${itemName} in the body, then the field of the event it maps to: docs/compat.md)`,
      { problems },
    );
}

/**
 * Appends `events` (mapped from the source items at `sourcePointer[i]` of the
 * body, e.g. "" for a one-event body, `/3` or `/items/3`) to `tenant` for the
 * request's principal, all or nothing. Throws `refusal(...)` when any is
 * refused: each problem's pointer is the source item's pointer followed by
 * the pointer into the event it was mapped to. A request with no events
 * writes nothing and is not refused.
 */
export async function appendAllOrRefuse(
  deps: AppDeps,
  request: FastifyRequest,
  tenant: string,
  events: readonly Record<string, unknown>[],
  sourcePointer: readonly string[],
  refusal: RefusalError,
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
    throw refusal(problems, results.filter((r) => r.status === "rejected").length, events.length);
  }
  return {
    created: results.filter((r) => r.status === "created").length,
    duplicate: results.filter((r) => r.status === "duplicate").length,
  };
}
