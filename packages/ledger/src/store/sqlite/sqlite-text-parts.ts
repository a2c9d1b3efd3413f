// The full-text index of a tenant's search projection, in parts: FTS5 tables
// of consecutive log indexes, search_fts for the first part (from index 0)
// and search_fts_<k> for each later one, listed in search_text_parts by the
// index each starts at. The projection writes only the newest part; a text
// query reads every part its range of indexes overlaps.
//
// Why parts: FTS5 keeps merging its segments as it grows, and a merge reads
// the segments it combines. In the 30-minute soak (docs/benchmarks.md) the
// service held its rate until the single index outgrew the tenant file's
// page cache, at about 1.25M entries; from there the merges read pages back
// from the OS (94% of the file's reads) and the rate the service could make
// durable fell by half. A part stops growing at DEFAULT_TEXT_PART_ENTRIES, so
// the merges of the part being written stay the size they were at the start,
// whatever the size of the log.
import type { SqliteDatabase } from "./sqlite-database.js";
import type { SqlQuery } from "./sqlite-search-sql.js";

/**
 * Entries per part: about 11 MB of full-text index at the bench's messages
 * (21 bytes per entry), a third of the default page cache.
 */
export const DEFAULT_TEXT_PART_ENTRIES = 1 << 19;

/** One part: its FTS5 table and the log indexes it holds, [lo, hi) (hi undefined for the newest). */
export interface TextPart {
  part: number;
  table: string;
  lo: number;
  hi: number | undefined;
}

/** The FTS5 table of a part. Part numbers are integers, so the name is safe in SQL. */
export function textTableOf(part: number): string {
  return part === 0 ? "search_fts" : `search_fts_${part}`;
}

/**
 * The part's external content: a view of search_rows over the part's
 * indexes. FTS5 reads it only to check the part against the rows
 * (integrity-check) and to rebuild it, so each part is checked against its
 * own rows alone. Rows without a message are not indexed, so not in it.
 */
function textViewOf(part: number): string {
  return `search_text_${part}`;
}

function textViewSql(part: number, lo: number, hi?: number): string {
  const upper = hi === undefined ? "" : ` AND idx < ${hi}`;
  return `CREATE VIEW IF NOT EXISTS ${textViewOf(part)} AS
  SELECT idx, message FROM search_rows WHERE idx >= ${lo}${upper} AND message IS NOT NULL`;
}

/** DDL of a part starting at index `lo` (integers only, so safe in SQL): its content view and its FTS5 table. */
export function textPartSql(part: number, lo: number): string {
  return `${textViewSql(part, lo)};
CREATE VIRTUAL TABLE IF NOT EXISTS ${textTableOf(part)} USING fts5 (
  message,
  content = '${textViewOf(part)}',
  content_rowid = 'idx',
  tokenize = 'unicode61 remove_diacritics 2'
)`;
}

/** DDL that closes part `part` (started at `lo`) at `hi` and opens part + 1 there. */
export function nextTextPartSql(part: number, lo: number, hi: number): string {
  return `DROP VIEW ${textViewOf(part)};
${textViewSql(part, lo, hi)};
${textPartSql(part + 1, hi)};
INSERT INTO search_text_parts (part, first_idx) VALUES (${part + 1}, ${hi})`;
}

/**
 * Layout 2 kept one full-text index over all of search_rows. Before the
 * layout-3 schema is applied, that index is dropped so the schema makes the
 * first part in its place, and rebuildFirstTextPart then fills it from the rows.
 * Returns whether it did (the caller rebuilds after the schema).
 */
export function dropSingleTextIndex(db: SqliteDatabase): boolean {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").get() as
    | { sql: string }
    | undefined;
  if (row === undefined || !/content\s*=\s*'search_rows'/.test(row.sql)) return false;
  db.exec("DROP TABLE search_fts");
  return true;
}

/** Fills the first part from its rows (after dropSingleTextIndex and the schema). */
export function rebuildFirstTextPart(db: SqliteDatabase): void {
  db.exec(`INSERT INTO ${textTableOf(0)} (${textTableOf(0)}) VALUES ('rebuild')`);
}

/** The parts of the full-text index, oldest first, the first one included (textPartsOf reads the rows). */
export const TEXT_PARTS_SQL: SqlQuery = {
  sql: "SELECT 0 AS part, 0 AS first_idx UNION ALL SELECT part, first_idx FROM search_text_parts ORDER BY part",
  params: [],
};

/** Every part of a tenant's file, oldest first. */
export function readTextParts(db: SqliteDatabase): TextPart[] {
  return textPartsOf(db.prepare(TEXT_PARTS_SQL.sql).all() as { part: number; first_idx: number }[]);
}

/** Parts from the rows TEXT_PARTS_SQL reads, in part order. */
export function textPartsOf(rows: readonly { part: number; first_idx: number }[]): TextPart[] {
  return rows.map((r, k) => ({
    part: r.part,
    table: textTableOf(r.part),
    lo: r.first_idx,
    hi: rows[k + 1]?.first_idx,
  }));
}

/** The parts holding any index in [lo, hi) (either bound optional), oldest first. */
export function textPartsIn(parts: readonly TextPart[], lo?: number, hi?: number): TextPart[] {
  return parts.filter((p) => (hi === undefined || p.lo < hi) && (lo === undefined || p.hi === undefined || p.hi > lo));
}

/** The part that holds index `idx`. */
export function textPartOf(parts: readonly TextPart[], idx: number): TextPart {
  const [part] = textPartsIn(parts, idx, idx + 1);
  if (part === undefined) throw new Error(`no full-text part holds index ${idx}`);
  return part;
}
