// A text search for a common word, exact and bounded. The word's full-text
// matches are read in log-index order (FTS5 doclists are in rowid order, so
// this reads only the newest matches) until the page is full. From then on
// only blocks of 1,024 indexes that can still hold an event sorting before
// the page's last one are read: search_blocks keeps each block's oldest and
// newest occurred_ms, and occurred_at mostly grows with the index, so
// usually that is the block in hand and nothing else. A late event (occurred
// long before received) or a future-dated one widens its own block only, and
// costs a read of that block, never a wrong page.
import type { CheckedPage } from "../../query/query-input.js";
import { BLOCK_BITS } from "./sqlite-search-projection.js";
import { nextBlockSql, type SqliteFilter, type SqlQuery, textWalkSql } from "./sqlite-search-sql.js";
import { textPartsIn } from "./sqlite-text-parts.js";

/** Matches read per step while the page fills. */
const DEFAULT_CHUNK = 256;
const BLOCK = 1 << BLOCK_BITS;

interface Hit {
  idx: number;
  occurred_ms: number;
}

/**
 * The indexes of the first `page.limit + 1` matches in the page's order.
 * `all` runs a query on the tenant's file. Requires canDriveByText(f).
 * The full-text index is in parts of consecutive indexes
 * (sqlite-text-parts.ts): the walk reads them one after another in its
 * direction, and a block's step reads each part the block overlaps.
 */
export function walkTextMatches(
  all: <T>(q: SqlQuery) => T[],
  f: SqliteFilter,
  page: CheckedPage,
  chunk = DEFAULT_CHUNK,
): number[] {
  const desc = page.order === "desc";
  // Page order: for desc the latest first, ties by the larger index.
  const before = (a: Hit, b: Hit) =>
    desc ? b.occurred_ms - a.occurred_ms || b.idx - a.idx : a.occurred_ms - b.occurred_ms || a.idx - b.idx;
  const need = page.limit + 1;
  let best: Hit[] = [];
  const take = (rows: Hit[]) => {
    best = [...best, ...rows].sort(before).slice(0, need);
  };
  // `bound`: every match past it, in walk order, has been read (exclusive).
  let bound: number | undefined;
  let full = false;
  const parts = desc ? [...f.textParts].reverse() : f.textParts;
  for (const part of parts) {
    for (;;) {
      const range = bound === undefined ? {} : desc ? { hi: bound } : { lo: bound + 1 };
      const rows = all<Hit>(textWalkSql(f, page, range, chunk, part));
      if (rows.length === 0) break;
      take(rows);
      bound = (rows[rows.length - 1] as Hit).idx;
      // Fewer than asked: this part has no more matches.
      if (rows.length < chunk) break;
      if (best.length === need) {
        full = true;
        break;
      }
    }
    if (full) break;
  }
  if (!full || bound === undefined) return best.map((h) => h.idx);
  let at: number = bound;
  // The page is full. Every index still ahead is smaller (desc) or larger
  // (asc) than any held, so an event at the same time sorts after the last.
  for (;;) {
    const last = best[need - 1] as Hit;
    const [next] = all<{ block: number }>(nextBlockSql(page.order, at, last.occurred_ms, BLOCK_BITS));
    if (next === undefined) break;
    const start = next.block * BLOCK;
    const range = desc
      ? { lo: start, hi: Math.min(bound, start + BLOCK) }
      : { lo: Math.max(bound + 1, start), hi: start + BLOCK };
    for (const part of textPartsIn(f.textParts, range.lo, range.hi)) {
      take(all<Hit>(textWalkSql(f, page, range, BLOCK, part)));
    }
    at = desc ? start : start + BLOCK - 1;
  }
  return best.map((h) => h.idx);
}
