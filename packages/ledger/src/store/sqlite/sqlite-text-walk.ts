// A text search for a common word, exact and bounded: the word's full-text
// matches are read in log-index order (FTS5 doclists are in rowid order, so
// this reads only the newest matches) in chunks, and the walk stops once no
// block of indexes still ahead can hold an event that sorts before the
// page's last one, by (occurred_ms, index). occurred_at mostly grows with
// the index, so a page usually ends within the first chunk; late events
// (occurred long before received) only lower a block's minimum and never
// lengthen a descending walk; an event dated in the future widens its block
// and makes walks read further, never return wrong pages.
import type { CheckedFilter, CheckedPage } from "../../query/query-input.js";
import { BLOCK_BITS } from "./sqlite-search-projection.js";
import { blockBoundSql, type SqlQuery, textWalkSql } from "./sqlite-search-sql.js";

/** Matches read per step. */
const DEFAULT_CHUNK = 256;

interface Hit {
  idx: number;
  occurred_ms: number;
}

/**
 * The indexes of the first `page.limit + 1` matches in the page's order.
 * `all` runs a query on the tenant's file. Requires canDriveByText(f).
 */
export function walkTextMatches(
  all: <T>(q: SqlQuery) => T[],
  f: CheckedFilter,
  page: CheckedPage,
  chunk = DEFAULT_CHUNK,
): number[] {
  const desc = page.order === "desc";
  // Sorts hits in page order: for desc the latest first, ties by the larger index.
  const before = (a: Hit, b: Hit) =>
    desc ? b.occurred_ms - a.occurred_ms || b.idx - a.idx : a.occurred_ms - b.occurred_ms || a.idx - b.idx;
  const need = page.limit + 1;
  let best: Hit[] = [];
  let bound: number | undefined;
  for (;;) {
    const rows = all<Hit>(textWalkSql(f, page, bound, chunk));
    if (rows.length > 0) {
      best = [...best, ...rows].sort(before).slice(0, need);
      bound = (rows[rows.length - 1] as Hit).idx;
    }
    if (rows.length < chunk || bound === undefined) break;
    const last = best[need - 1];
    if (last === undefined) continue;
    const [edge] = all<{ ms: number | null }>(blockBoundSql(page.order, bound, BLOCK_BITS));
    // Every index still ahead lies in those blocks and is smaller (desc) or
    // larger (asc) than any index held, so an equal time sorts after `last`.
    if (edge?.ms == null) continue;
    if (desc ? edge.ms <= last.occurred_ms : edge.ms >= last.occurred_ms) break;
  }
  return best.map((h) => h.idx);
}
