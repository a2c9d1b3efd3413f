// Baseline A, the ceiling: the same rows into SQLite with the service's own
// schema, indexes and search structures (FTS5 on message, tag index), WAL and
// synchronous=FULL, but no validation, canonicalisation, hashing or tree.
import { join } from "node:path";
import Database from "better-sqlite3";
import { applySqliteQuerySchema } from "../packages/ledger/src/store/sqlite/sqlite-query-schema.js";
import { SQLITE_SCHEMA } from "../packages/ledger/src/store/sqlite/sqlite-schema.js";
import { type BenchEvent, eventChunks } from "./event-generator.js";
import { perSecond, Stopwatch } from "./stats.js";

export interface InsertResult {
  events: number;
  eventsPerSecond: number;
  seconds: number;
  /** Rows per transaction (SQLite) or per INSERT statement (PostgreSQL). */
  batch: number;
}

export async function runBaselineSqlite(dir: string, total: number, batch: number): Promise<InsertResult> {
  const db = new Database(join(dir, "baseline-a.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("cache_size = -65536");
  db.exec(SQLITE_SCHEMA);
  applySqliteQuerySchema(db);
  db.prepare("INSERT INTO tenants (name, origin, unknown_actions, created_at) VALUES ('b', 'b', 'reject', 'x')").run();
  const insert = db.prepare(`INSERT INTO entries (tenant_id, idx, event_id, leaf_data, leaf_hash, content_digest,
    received_ms, occurred_ms, action, kind, category, outcome, risk, actor_type, actor_id, target_type, target_id,
    session_id, run_id, workflow_id, caused_by, environment, trigger_id, message, tags)
    VALUES (1, ?, ?, ?, x'00', '', ?, ?, ?, 'update', 'configuration', ?, 'low', ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)`);
  const watch = await insertAll(db, insert, total, batch);
  db.close();
  return { events: total, eventsPerSecond: perSecond(total, watch.ms), seconds: watch.ms / 1000, batch };
}

/** The 18 parameters of one row (see the INSERTs), the leaf data a plain JSON.stringify of the event. */
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
