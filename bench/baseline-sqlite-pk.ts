// Baseline A0, the physical ceiling of this disk and driver: the same rows as
// baseline A into SQLite with only the primary key (no secondary index, no
// full-text or tag index), WAL, synchronous=FULL, the same rows per transaction.
import { join } from "node:path";
import Database from "better-sqlite3";
import { type InsertResult, insertAll } from "./baseline-sqlite.js";
import { perSecond } from "./stats.js";

/** The columns of the service's v1 entries table, keyed by (tenant_id, idx) alone. */
const PK_ONLY_SCHEMA = `CREATE TABLE entries (
  tenant_id INTEGER NOT NULL, idx INTEGER NOT NULL, event_id TEXT NOT NULL, leaf_data BLOB NOT NULL,
  leaf_hash BLOB NOT NULL, content_digest TEXT NOT NULL, received_ms INTEGER NOT NULL, occurred_ms INTEGER NOT NULL,
  action TEXT NOT NULL, kind TEXT NOT NULL, category TEXT NOT NULL, outcome TEXT NOT NULL, risk TEXT NOT NULL,
  actor_type TEXT NOT NULL, actor_id TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL,
  session_id TEXT, run_id TEXT, workflow_id TEXT, caused_by TEXT, environment TEXT, trigger_id TEXT,
  message TEXT, tags TEXT,
  PRIMARY KEY (tenant_id, idx)
)`;

export async function runBaselineSqlitePk(dir: string, total: number, batch: number): Promise<InsertResult> {
  const db = new Database(join(dir, "baseline-a0.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("cache_size = -65536");
  db.exec(PK_ONLY_SCHEMA);
  const insert = db.prepare(`INSERT INTO entries (tenant_id, idx, event_id, leaf_data, leaf_hash, content_digest,
    received_ms, occurred_ms, action, kind, category, outcome, risk, actor_type, actor_id, target_type, target_id,
    session_id, run_id, workflow_id, caused_by, environment, trigger_id, message, tags)
    VALUES (1, ?, ?, ?, x'00', '', ?, ?, ?, 'update', 'configuration', ?, 'low', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`);
  const watch = await insertAll(db, insert, total, batch);
  db.close();
  return { events: total, eventsPerSecond: perSecond(total, watch.ms), seconds: watch.ms / 1000, batch };
}
