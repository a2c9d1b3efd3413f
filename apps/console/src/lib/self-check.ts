// The service's scheduled self-check (issue 12) as an `integrity.check` event
// records it. The event is untrusted JSON: each metadata field is checked,
// and a check counts as passed only with outcome "success" and no failures.
import type { AuditEvent } from "../api/types.js";

export interface SelfCheck {
  id: string | undefined;
  /** When the check ran (the event's occurred_at). */
  ranAt: string | undefined;
  passed: boolean;
  /** The newest signed checkpoint's size, which the check reached. */
  checkpointSize: number | undefined;
  /** Entries hashed since the previous check. */
  newEntries: number | undefined;
  /** Older entries proven in the checkpoint by inclusion proofs. */
  sampled: number | undefined;
  failures: string[];
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

export function toSelfCheck(event: AuditEvent): SelfCheck {
  const m = event.metadata ?? {};
  const failures = Array.isArray(m.failures) ? m.failures.filter((f): f is string => typeof f === "string") : [];
  return {
    id: event.id,
    ranAt: event.occurred_at,
    passed: event.outcome?.status === "success" && failures.length === 0,
    checkpointSize: count(m.checkpoint_size),
    newEntries: count(m.new_entries),
    sampled: count(m.sampled),
    failures,
  };
}
