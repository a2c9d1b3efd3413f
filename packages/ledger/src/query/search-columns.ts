// What both stores' search projections share: the column each equality
// filter field compares (search_rows has the same columns on SQLite and
// PostgreSQL), and the upper bound of an action prefix's range.
import type { EventFilterField } from "@trailproof/protocol";

/** Filter fields compared for equality, and their search_rows columns. */
export const EQUAL_COLUMNS: [EventFilterField, string][] = [
  ["actorId", "actor_id"],
  ["actorType", "actor_type"],
  ["action", "action"],
  ["kind", "kind"],
  ["category", "category"],
  ["targetType", "target_type"],
  ["targetId", "target_id"],
  ["outcome", "outcome"],
  ["risk", "risk"],
  ["sessionId", "session_id"],
  ["runId", "run_id"],
  ["workflowId", "workflow_id"],
  ["causedBy", "caused_by"],
  ["environment", "environment"],
];

/** The column of each equality field. */
export const COLUMN_OF: ReadonlyMap<EventFilterField, string> = new Map(EQUAL_COLUMNS);

/**
 * Smallest string greater than every string starting with `prefix`
 * (non-empty), in code-unit order: SQLite's BINARY and PostgreSQL's "C"
 * collation both compare so.
 */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
