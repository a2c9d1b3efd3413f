// The search projection inside each tenant's file: copies of the searchable
// fields of every entry, derived from its leaf data by the search follower
// (sqlite-search-projection.ts) behind the durable log. It holds copies,
// never the log: the leaf data stays authoritative, and the whole projection
// can be dropped and rebuilt from `entries`.
import { textPartSql } from "./sqlite-text-parts.js";

/**
 * Indexes chosen by the queries the service runs (docs/storage.md): time
 * order, one actor, an action or action prefix, one target's history, and
 * the small sets a trace walks (session, run, cause). Every index ends in
 * the rowid (the log index), which is the keyset's tie-break, so a page is
 * read in (occurred_ms, idx) order straight from the index. Kind, category,
 * outcome, risk, actor type and environment have a handful of values each:
 * they are checked while walking the time index, which stops at `limit`.
 *
 * search_fts is FTS5 with external content (the text is read from
 * search_rows, not stored twice), keyed by the log index. Being per tenant,
 * one tenant's common words never slow another tenant's text search. It is
 * the first part of the full-text index; search_text_parts lists the others
 * (sqlite-text-parts.ts).
 *
 * search_hours counts entries per UTC hour of occurred_at, so a histogram
 * of a week over every event reads 168 rows instead of every entry.
 *
 * search_blocks bounds occurred_ms per block of 1,024 indexes (see
 * sqlite-text-walk.ts).
 *
 * projection_state holds each follower's durable cursor: the projection and
 * its cursor advance in one transaction, so after a crash the follower
 * resumes exactly where its last commit ended.
 */
export const SQLITE_SEARCH_SCHEMA = `
CREATE TABLE IF NOT EXISTS search_rows (
  idx INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  occurred_ms INTEGER NOT NULL,
  action TEXT NOT NULL,
  kind TEXT NOT NULL,
  category TEXT NOT NULL,
  outcome TEXT NOT NULL,
  risk TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  session_id TEXT,
  run_id TEXT,
  workflow_id TEXT,
  caused_by TEXT,
  environment TEXT,
  trigger_id TEXT,
  message TEXT
);
CREATE INDEX IF NOT EXISTS search_time ON search_rows (occurred_ms);
CREATE INDEX IF NOT EXISTS search_actor ON search_rows (actor_id, occurred_ms);
CREATE INDEX IF NOT EXISTS search_action ON search_rows (action, occurred_ms);
CREATE INDEX IF NOT EXISTS search_target ON search_rows (target_type, target_id, occurred_ms);
CREATE INDEX IF NOT EXISTS search_session ON search_rows (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS search_run ON search_rows (run_id) WHERE run_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS search_workflow ON search_rows (workflow_id, occurred_ms) WHERE workflow_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS search_caused_by ON search_rows (caused_by) WHERE caused_by IS NOT NULL;

${textPartSql(0, 0)};

-- The parts of the full-text index after the first (sqlite-text-parts.ts):
-- part k holds the indexes from its first_idx up to the next part's. The
-- first part (search_fts, from index 0) is not listed, so that this schema
-- writes nothing to a file that has it (a read-only open applies it too).
CREATE TABLE IF NOT EXISTS search_text_parts (
  part INTEGER PRIMARY KEY CHECK (part > 0),
  first_idx INTEGER NOT NULL UNIQUE CHECK (first_idx > 0)
);

CREATE TABLE IF NOT EXISTS search_tags (
  tag TEXT NOT NULL,
  occurred_ms INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  PRIMARY KEY (tag, occurred_ms, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS search_hours (
  hour_ms INTEGER PRIMARY KEY,
  n INTEGER NOT NULL
);

-- Oldest and newest occurred_ms of each block of 1,024 log indexes: lets a
-- text search walk a common word's matches newest-index-first and stop once
-- no older block can hold an event later than the page's last one.
CREATE TABLE IF NOT EXISTS search_blocks (
  block INTEGER PRIMARY KEY,
  min_ms INTEGER NOT NULL,
  max_ms INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS projection_state (
  name TEXT PRIMARY KEY,
  covered INTEGER NOT NULL
);

CREATE TRIGGER IF NOT EXISTS search_rows_no_update BEFORE UPDATE ON search_rows
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: search_rows is append-only'); END;
CREATE TRIGGER IF NOT EXISTS search_tags_no_update BEFORE UPDATE ON search_tags
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: search_tags is append-only'); END;
`;
