// Search structures on top of SQLite schema v1, derived from `entries` and
// kept by AFTER INSERT triggers: a full-text index of messages and a tag
// index. They hold copies, never the log: the leaf data stays authoritative.
import { TrailproofError } from "@trailproof/core";
import type { SqliteDatabase } from "./sqlite-database.js";

/**
 * FTS5 over entries.message as an external-content table: the text is read
 * from `entries`, so it is not stored twice, and FTS5 never writes to its
 * content table, so the index cannot alter an entry. It maps back to entries
 * by rowid; `entries` has no INTEGER PRIMARY KEY, so rowids stay valid only
 * because entries are never deleted (a VACUUM then renumbers nothing). The
 * retention job that deletes entries MUST rebuild this index afterwards.
 *
 * entry_tags carries occurred_ms in its key so that one tag's newest entries
 * are read in (occurred_ms, idx) order straight from the key, as keyset
 * pagination wants, instead of sorting every entry with the tag.
 *
 * No other index is added: entries_time, entries_actor, entries_action,
 * entries_target, entries_workflow, entries_session, entries_run and
 * entries_caused_by (schema v1) already serve every selective filter. Kind,
 * category, outcome, risk, actor type and environment have a handful of
 * values each; they are checked while walking entries_time in order, which
 * stops after `limit` matches, and an index on them would cost every append.
 */
const SEARCH_TABLES = `
CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5 (
  message,
  content = 'entries',
  content_rowid = 'rowid',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS entries_fts_insert AFTER INSERT ON entries
WHEN new.message IS NOT NULL
BEGIN
  INSERT INTO entries_fts (rowid, message) VALUES (new.rowid, new.message);
END;

CREATE TABLE IF NOT EXISTS entry_tags (
  tenant_id INTEGER NOT NULL,
  tag TEXT NOT NULL,
  occurred_ms INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, tag, occurred_ms, idx)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS entry_tags_insert AFTER INSERT ON entries
WHEN new.tags IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO entry_tags (tenant_id, tag, occurred_ms, idx)
    SELECT new.tenant_id, value, new.occurred_ms, new.idx FROM json_each(new.tags) WHERE type = 'text';
END;
CREATE TRIGGER IF NOT EXISTS entry_tags_no_update BEFORE UPDATE ON entry_tags
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: entry_tags is append-only'); END;
CREATE TRIGGER IF NOT EXISTS entry_tags_no_delete BEFORE DELETE ON entry_tags
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: entry_tags is append-only'); END;
`;

/** Fills the new structures from the entries written before they existed. */
const BACKFILL = `
INSERT INTO entries_fts (entries_fts) VALUES ('rebuild');
INSERT OR IGNORE INTO entry_tags (tenant_id, tag, occurred_ms, idx)
  SELECT e.tenant_id, t.value, e.occurred_ms, e.idx FROM entries AS e, json_each(e.tags) AS t
  WHERE e.tags IS NOT NULL AND t.type = 'text';
`;

/**
 * Creates the search structures when missing and backfills them, in one
 * transaction: a crash leaves either nothing or complete indexes. Requires
 * the v1 schema (SqliteStore creates it), else STORE_SCHEMA_MISSING. Idempotent.
 */
export function applySqliteQuerySchema(db: SqliteDatabase): void {
  const entries = db.prepare("SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = 'entries'").get();
  if (entries === undefined) {
    throw new TrailproofError(
      "STORE_SCHEMA_MISSING",
      "the search structures need the entries table: open SqliteStore first",
    );
  }
  const install = db.transaction(() => {
    const existing = db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('entries_fts', 'entry_tags')")
      .get() as { n: number };
    db.exec(SEARCH_TABLES);
    if (existing.n < 2) db.exec(BACKFILL);
  });
  install(undefined);
}
