// AuditQuery.trace over any store: walks automation.caused_by upward to the
// root cause and downward breadth first, and lists the event's run. Event ids
// are client-chosen, so causes can form cycles: every walk is bounded and
// never visits an event twice.
import type { QueriedEntry, TraceResult } from "./audit-query.js";

/** An entry with the two links a trace follows. */
export interface TraceEntry extends QueriedEntry {
  causedBy: string | null;
  runId: string | null;
}

/** The three lookups a store provides; each is scoped to one tenant by the store. */
export interface TraceSource {
  byEventId(eventId: string): Promise<TraceEntry | undefined>;
  /** Entries whose caused_by is one of `eventIds`, by occurred_at then index, at most `limit`. */
  causedBy(eventIds: readonly string[], limit: number): Promise<TraceEntry[]>;
  /** Entries of the run, by occurred_at then index, at most `limit`. */
  run(runId: string, limit: number): Promise<TraceEntry[]>;
}

const queried = ({ causedBy: _c, runId: _r, ...entry }: TraceEntry): QueriedEntry => entry;

/** Requires 1 <= maxEvents. */
export async function walkTrace(
  source: TraceSource,
  eventId: string,
  maxEvents: number,
): Promise<TraceResult | undefined> {
  const event = await source.byEventId(eventId);
  if (event === undefined) return undefined;
  let truncated = false;

  const ancestors: TraceEntry[] = [];
  const upward = new Set([event.eventId]);
  let unresolvedCause: string | null = null;
  for (let current = event; current.causedBy !== null; ) {
    if (ancestors.length >= maxEvents || upward.has(current.causedBy)) {
      truncated = true;
      break;
    }
    const parent = await source.byEventId(current.causedBy);
    if (parent === undefined) {
      unresolvedCause = current.causedBy;
      break;
    }
    ancestors.unshift(parent);
    upward.add(parent.eventId);
    current = parent;
  }

  let run: TraceEntry[] = [];
  if (event.runId !== null) {
    run = await source.run(event.runId, maxEvents + 1);
    if (run.length > maxEvents) {
      truncated = true;
      run = run.slice(0, maxEvents);
    }
  }

  const descendants: TraceEntry[] = [];
  const downward = new Set([event.eventId]);
  let frontier = [event.eventId];
  while (frontier.length > 0) {
    const room = maxEvents - descendants.length;
    // Already-seen entries (a cycle) may fill the limit, so ask for enough to see past them.
    const rows = await source.causedBy(frontier, room + downward.size + 1);
    const level = rows.filter((e) => !downward.has(e.eventId));
    if (level.length > room) truncated = true;
    const kept = level.slice(0, room);
    for (const e of kept) downward.add(e.eventId);
    descendants.push(...kept);
    frontier = kept.map((e) => e.eventId);
    if (truncated) break;
  }

  return {
    event: queried(event),
    ancestors: ancestors.map(queried),
    unresolvedCause,
    run: run.map(queried),
    descendants: descendants.map(queried),
    truncated,
  };
}
