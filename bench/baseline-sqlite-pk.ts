// Baseline A0, the physical ceiling of this disk and driver: the same rows as
// baseline A into SQLite with only the primary key (no secondary index, no
// full-text or tag index), WAL, synchronous=FULL, the same rows per transaction.
import { join } from "node:path";
import Database from "better-sqlite3";
import { ENTRY_COLUMNS, INSERT_ENTRY, type InsertResult, insertAll } from "./baseline-sqlite.js";
import { perSecond } from "./stats.js";

export async function runBaselineSqlitePk(dir: string, total: number, batch: number): Promise<InsertResult> {
  const db = new Database(join(dir, "baseline-a0.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("cache_size = -65536");
  db.exec(`CREATE TABLE entries (${ENTRY_COLUMNS}, PRIMARY KEY (tenant_id, idx))`);
  const insert = db.prepare(INSERT_ENTRY);
  const watch = await insertAll(db, insert, total, batch);
  db.close();
  return { events: total, eventsPerSecond: perSecond(total, watch.ms), seconds: watch.ms / 1000, batch };
}
