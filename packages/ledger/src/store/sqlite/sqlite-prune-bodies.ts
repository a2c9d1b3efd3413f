// Retention pruning on a SQLite tenant file (LogStore.pruneBodies): records
// the ranges in pruned_ranges and, in the same transaction, blanks their
// leaf data (the layout-5 trigger allows nothing else), deletes their
// personal values and their search-projection rows with what those rows
// contributed to the full-text, tag, hourly and block indexes, so the
// projection stays exactly what its leaves derive.
import type { PrunedRange } from "../log-store.js";
import { checkPruneRanges } from "../prune-ranges.js";
import type { SqliteDatabase } from "./sqlite-database.js";
import { BLOCK_BITS } from "./sqlite-search-projection.js";
import { readTextParts, textPartOf } from "./sqlite-text-parts.js";

const HOUR_MS = 3_600_000;

export function readSqlitePrunedRanges(db: SqliteDatabase): PrunedRange[] {
  const rows = db.prepare("SELECT start_idx, end_idx, prune_idx FROM pruned_ranges ORDER BY start_idx").all() as {
    start_idx: number;
    end_idx: number;
    prune_idx: number;
  }[];
  return rows.map((r) => ({ start: r.start_idx, end: r.end_idx, pruneIndex: r.prune_idx }));
}

/** The whole pruning of one retention.prune entry, as one transaction of the tenant's file. */
export function pruneSqliteBodies(db: SqliteDatabase, ranges: readonly PrunedRange[]): void {
  db.transaction((ranges: readonly PrunedRange[]) => {
    const size = (db.prepare("SELECT COALESCE(MAX(idx) + 1, 0) AS size FROM entries").get() as { size: number }).size;
    checkPruneRanges(ranges, readSqlitePrunedRanges(db), size);
    const record = db.prepare("INSERT INTO pruned_ranges (start_idx, end_idx, prune_idx) VALUES (?, ?, ?)");
    const blank = db.prepare("UPDATE entries SET leaf_data = x'' WHERE idx >= ? AND idx < ?");
    const disclosures = db.prepare("DELETE FROM disclosures WHERE idx >= ? AND idx < ?");
    const rows = db.prepare("SELECT idx, occurred_ms, message FROM search_rows WHERE idx >= ? AND idx < ?");
    const tags = db.prepare("DELETE FROM search_tags WHERE idx = ?");
    const dropRow = db.prepare("DELETE FROM search_rows WHERE idx >= ? AND idx < ?");
    const hour = db.prepare("UPDATE search_hours SET n = n - ? WHERE hour_ms = ?");
    const emptyHours = db.prepare("DELETE FROM search_hours WHERE n <= 0");
    const bounds = db.prepare(
      "SELECT min(occurred_ms) AS lo, max(occurred_ms) AS hi FROM search_rows WHERE idx >= ? AND idx < ?",
    );
    const setBlock = db.prepare("UPDATE search_blocks SET min_ms = ?, max_ms = ? WHERE block = ?");
    const dropBlock = db.prepare("DELETE FROM search_blocks WHERE block = ?");
    const parts = readTextParts(db);
    const hours = new Map<number, number>();
    const blocks = new Set<number>();
    for (const r of ranges) {
      record.run(r.start, r.end, r.pruneIndex);
      for (const row of rows.all(r.start, r.end) as { idx: number; occurred_ms: number; message: string | null }[]) {
        if (row.message !== null) {
          // External-content FTS5 forgets a row only when told its old text.
          const table = textPartOf(parts, row.idx).table;
          db.prepare(`INSERT INTO ${table} (${table}, rowid, message) VALUES ('delete', ?, ?)`).run(
            row.idx,
            row.message,
          );
        }
        tags.run(row.idx);
        const h = Math.floor(row.occurred_ms / HOUR_MS) * HOUR_MS;
        hours.set(h, (hours.get(h) ?? 0) + 1);
        blocks.add(row.idx >> BLOCK_BITS);
      }
      dropRow.run(r.start, r.end);
      disclosures.run(r.start, r.end);
      blank.run(r.start, r.end);
    }
    for (const [h, n] of hours) hour.run(n, h);
    emptyHours.run();
    for (const block of blocks) {
      const b = bounds.get(block << BLOCK_BITS, (block + 1) << BLOCK_BITS) as { lo: number | null; hi: number | null };
      if (b.lo === null || b.hi === null) dropBlock.run(block);
      else setBlock.run(b.lo, b.hi, block);
    }
  })(ranges);
}
