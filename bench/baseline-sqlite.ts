// Baseline A, every search index without sealing: the same rows into SQLite
// with the service's v1 schema (the entries table with its ten indexes, FTS5
// on message and the tag table, each filled by a trigger), WAL and
// synchronous=FULL, but no validation, canonicalisation, hashing or tree.
// The schema is a copy, frozen here, so the baseline stays the same one
// (issue 9's figures were measured against it) while the store's own layout
// changes.
import { join } from "node:path";
import Database from "better-sqlite3";
import { type BenchEvent, eventChunks } from "./event-generator.js";
import { perSecond, Stopwatch } from "./stats.js";

export interface InsertResult {
  events: number;
  eventsPerSecond: number;
  seconds: number;
  /** Rows per transaction (SQLite) or per INSERT statement (PostgreSQL). */
  batch: number;
}

/** The v1 entries table's columns (without its foreign key to tenants). */
export const ENTRY_COLUMNS = `
  tenant_id INTEGER NOT NULL, idx INTEGER NOT NULL, event_id TEXT NOT NULL, leaf_data BLOB NOT NULL,
  leaf_hash BLOB NOT NULL, content_digest TEXT NOT NULL, received_ms INTEGER NOT NULL, occurred_ms INTEGER NOT NULL,
  action TEXT NOT NULL, kind TEXT NOT NULL, category TEXT NOT NULL, outcome TEXT NOT NULL, risk TEXT NOT NULL,
  actor_type TEXT NOT NULL, actor_id TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,
  session_id TEXT, run_id TEXT, workflow_id TEXT, caused_by TEXT, environment TEXT, trigger_id TEXT,
  message TEXT, tags TEXT`;

/** Schema v1's indexes and search structures, as packages/ledger created them at commit b88f833. */
const V1_INDEXES = `
CREATE UNIQUE INDEX entries_index ON entries (tenant_id, idx);
CREATE UNIQUE INDEX entries_event_id ON entries (tenant_id, event_id);
CREATE INDEX entries_time ON entries (tenant_id, occurred_ms);
CREATE INDEX entries_actor ON entries (tenant_id, actor_id, occurred_ms);
CREATE INDEX entries_action ON entries (tenant_id, action, occurred_ms);
CREATE INDEX entries_target ON entries (tenant_id, target_type, target_id, occurred_ms);
CREATE INDEX entries_session ON entries (tenant_id, session_id) WHERE session_id IS NOT NULL;
CREATE INDEX entries_run ON entries (tenant_id, run_id) WHERE run_id IS NOT NULL;
CREATE INDEX entries_workflow ON entries (tenant_id, workflow_id, occurred_ms) WHERE workflow_id IS NOT NULL;
CREATE INDEX entries_caused_by ON entries (tenant_id, caused_by) WHERE caused_by IS NOT NULL;
CREATE VIRTUAL TABLE entries_fts USING fts5 (
  message, content = 'entries', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries WHEN new.message IS NOT NULL
BEGIN
  INSERT INTO entries_fts (rowid, message) VALUES (new.rowid, new.message);
END;
CREATE TABLE entry_tags (
  tenant_id INTEGER NOT NULL, tag TEXT NOT NULL, occurred_ms INTEGER NOT NULL, idx INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, tag, occurred_ms, idx)
) WITHOUT ROWID;
CREATE TRIGGER entry_tags_insert AFTER INSERT ON entries WHEN new.tags IS NOT NULL
BEGIN
  INSERT OR IGNORE INTO entry_tags (tenant_id, tag, occurred_ms, idx)
    SELECT new.tenant_id, value, new.occurred_ms, new.idx FROM json_each(new.tags) WHERE type = 'text';
END;`;

/** One row of the 18 parameters rowOf gives, for tenant 1. */
export const INSERT_ENTRY = `INSERT INTO entries (tenant_id, idx, event_id, leaf_data, leaf_hash, content_digest,
    received_ms, occurred_ms, action, kind, category, outcome, risk, actor_type, actor_id, target_type, target_id,
    session_id, run_id, workflow_id, caused_by, environment, trigger_id, message, tags)
    VALUES (1, ?, ?, ?, x'00', '', ?, ?, ?, 'update', 'configuration', ?, 'low', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`;

export async function runBaselineSqlite(dir: string, total: number, batch: number): Promise<InsertResult> {
  const db = new Database(join(dir, "baseline-a.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("cache_size = -65536");
  db.exec(`CREATE TABLE entries (${ENTRY_COLUMNS});\n${V1_INDEXES}`);
  const insert = db.prepare(INSERT_ENTRY);
  const watch = await insertAll(db, insert, total, batch);
  db.close();
  return { events: total, eventsPerSecond: perSecond(total, watch.ms), seconds: watch.ms / 1000, batch };
}

/** The 18 parameters of one row (INSERT_ENTRY), the leaf data a plain JSON.stringify of the event. */
export function rowOf(e: BenchEvent, index: number): unknown[] {
  return [
    index,
    e.id,
    Buffer.from(JSON.stringify(e)),
    Date.now(),
    Date.parse(e.occurred_at),
    e.action,
    e.outcome?.status ?? "success",
    e.actor.type,
    e.actor.id,
    e.target.type,
    e.target.id,
    e.context.session_id ?? null,
    e.automation?.run_id ?? null,
    e.automation?.workflow_id ?? null,
    e.context.environment ?? null,
    e.automation?.trigger_id ?? null,
    e.message,
    JSON.stringify(e.tags),
  ];
}

/** Inserts `total` generated events, `batch` rows per transaction; only the inserts are timed. */
export async function insertAll(
  db: Database.Database,
  insert: Database.Statement,
  total: number,
  batch: number,
): Promise<Stopwatch> {
  let next = 0;
  const insertMany = db.transaction((events: BenchEvent[]) => {
    for (const e of events) insert.run(rowOf(e, next++));
  });
  const watch = new Stopwatch();
  for (const chunk of eventChunks(total)) {
    await watch.time(() => {
      for (let i = 0; i < chunk.length; i += batch) insertMany(chunk.slice(i, i + batch));
    });
  }
  return watch;
}
