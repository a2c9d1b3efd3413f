// The one way a request's events reach the ledger, for POST /v1/events and
// every compat endpoint alike: actions only the service records are refused
// in place, the rest go through the same validation, privacy classes and
// sealing, and the outcome is counted in /metrics.
import { type AppendedBy, isServiceAction } from "@trailproof/core";
import type { AppendResult } from "@trailproof/ledger";
import type { AppDeps } from "../deps.js";
import { rejectionReason } from "../http/metrics.js";

/**
 * Appends `events` for `appendedBy`, except those naming an action only the
 * service records (audit.*, apikey.*, ...): those are rejected at /action, in
 * place, so the results keep the order of the request. With `allOrNothing`,
 * one refused event (a reserved action included) withholds all the others.
 */
export async function appendRefusingServiceActions(
  deps: AppDeps,
  tenant: string,
  events: readonly unknown[],
  appendedBy: AppendedBy,
  options: { allOrNothing?: boolean } = {},
): Promise<AppendResult[]> {
  const reserved = events.map((e) => isServiceAction((e as { action?: unknown } | null)?.action));
  const idOf = (e: unknown) => {
    const id = (e as { id?: unknown } | null)?.id;
    return typeof id === "string" ? id : null;
  };
  const refusal = (e: unknown): AppendResult => ({
    status: "rejected",
    id: idOf(e),
    problems: [{ pointer: "/action", message: "is recorded by the service itself and cannot be sent" }],
  });
  if (!reserved.includes(true)) {
    return deps.ledger.append(tenant, events, { appendedBy, allOrNothing: options.allOrNothing === true });
  }
  if (options.allOrNothing) {
    return events.map((e, i) => (reserved[i] ? refusal(e) : { status: "withheld", id: idOf(e) }));
  }
  const appended = await deps.ledger.append(
    tenant,
    events.filter((_, i) => !reserved[i]),
    { appendedBy },
  );
  let next = 0;
  return events.map((e, i): AppendResult => (reserved[i] ? refusal(e) : (appended[next++] as AppendResult)));
}

/** Counts a request's results in /metrics (trailproof_events_appended_total and the rejection reasons). */
export function countResults(deps: AppDeps, results: readonly AppendResult[]): void {
  let created = 0;
  let duplicate = 0;
  for (const r of results) {
    if (r.status === "created") created++;
    else if (r.status === "duplicate") duplicate++;
    else if (r.status === "rejected") {
      deps.metrics.appendedEvents.inc({ status: "rejected" });
      deps.metrics.rejectedEvents.inc({ reason: rejectionReason(r.problems[0]?.pointer) });
    }
  }
  if (created > 0) deps.metrics.appendedEvents.inc({ status: "created" }, created);
  if (duplicate > 0) deps.metrics.appendedEvents.inc({ status: "duplicate" }, duplicate);
}
