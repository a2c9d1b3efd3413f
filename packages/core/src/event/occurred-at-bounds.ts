// The plausible range of occurred_at (log format v2): an audited event did
// not happen before the Unix epoch, nor later than shortly after the service
// received it. Outside it a timestamp is a clock or encoding bug (year 0000),
// or an attempt to pin an event to the top of every newest-first timeline
// (year 2999), and is refused rather than sealed.
import type { Problem } from "../errors.js";
import { TrailproofError } from "../errors.js";
import { parseTimestamp } from "./normalize-timestamp.js";

export interface OccurredAtBounds {
  /** The earliest occurred_at accepted, in milliseconds since the epoch (UTC). */
  minMs: number;
  /** How far occurred_at may lie after the event's received_at, in milliseconds. */
  maxAheadMs: number;
}

/**
 * 1970-01-01T00:00:00Z, and one day after received_at: a day covers any UTC
 * offset mislabelled as Z (at most 14 hours) and ordinary clock drift, while a
 * wrong clock shows at once as a rejection at /occurred_at instead of as
 * events sorted into the future.
 */
export const DEFAULT_OCCURRED_AT_BOUNDS: OccurredAtBounds = { minMs: 0, maxAheadMs: 24 * 60 * 60 * 1000 };

/** Throws EVENT_CONTEXT_INVALID unless both bounds are safe integers and maxAheadMs >= 0. */
export function checkOccurredAtBounds(bounds: OccurredAtBounds): void {
  if (!Number.isSafeInteger(bounds.minMs) || !Number.isSafeInteger(bounds.maxAheadMs) || bounds.maxAheadMs < 0) {
    throw new TrailproofError(
      "EVENT_CONTEXT_INVALID",
      "occurred_at bounds must be integers of milliseconds, maxAheadMs >= 0",
    );
  }
}

/**
 * The problem with `event`'s occurred_at (untrusted) when it is a valid RFC
 * 3339 timestamp outside `bounds` for an event received at `receivedMs`; an
 * absent or malformed occurred_at is the envelope's problem, not this one's.
 */
export function occurredAtProblems(event: unknown, bounds: OccurredAtBounds, receivedMs: number): Problem[] {
  if (typeof event !== "object" || event === null || Array.isArray(event)) return [];
  const text = (event as { occurred_at?: unknown }).occurred_at;
  if (typeof text !== "string") return [];
  const parsed = parseTimestamp(text);
  if ("problem" in parsed) return [];
  if (parsed.ms < bounds.minMs) {
    const min = new Date(bounds.minMs).toISOString();
    return [{ pointer: "/occurred_at", message: `is before ${min}, the earliest occurred_at this service accepts` }];
  }
  const latest = receivedMs + bounds.maxAheadMs;
  if (parsed.ms > latest) {
    return [
      {
        pointer: "/occurred_at",
        message: `is after ${new Date(latest).toISOString()}: at most ${bounds.maxAheadMs} ms after the time the service received the event`,
      },
    ];
  }
  return [];
}
