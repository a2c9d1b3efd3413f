// The entry rows every store's queries select (the same column names in
// SQLite and PostgreSQL), what they become, and one page of them with the
// cursor after its last entry.
import type { EntryPage, QueriedEntry } from "./audit-query.js";
import { encodeCursor } from "./cursor.js";
import type { CheckedPage } from "./query-input.js";
import type { TraceEntry } from "./trace-walk.js";

export interface EntrySqlRow {
  idx: number;
  event_id: string;
  leaf_data: Uint8Array;
  occurred_ms: number;
  received_ms: number;
}

export interface TraceSqlRow extends EntrySqlRow {
  caused_by: string | null;
  run_id: string | null;
}

export const toEntry = (r: EntrySqlRow): QueriedEntry => ({
  index: r.idx,
  eventId: r.event_id,
  leafData: r.leaf_data,
  occurredMs: r.occurred_ms,
  receivedMs: r.received_ms,
});

export const toTraceEntry = (r: TraceSqlRow): TraceEntry => ({ ...toEntry(r), causedBy: r.caused_by, runId: r.run_id });

/** A page from `rows`, which a query read with one row more than the page's limit to tell whether more follow. */
export function pageOf(rows: readonly EntrySqlRow[], page: CheckedPage): EntryPage {
  const entries = rows.slice(0, page.limit).map(toEntry);
  const last = entries[entries.length - 1];
  const more = rows.length > page.limit && last !== undefined;
  return {
    entries,
    nextCursor: more ? encodeCursor({ occurredMs: last.occurredMs, index: last.index }, page.order) : null,
  };
}
