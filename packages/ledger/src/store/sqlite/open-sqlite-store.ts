// The one place that loads the native SQLite driver. Every store of a data
// directory shares one connection: one writer, one WAL, one transaction order.
import Database from "better-sqlite3";
import { SqliteAccessStore } from "./sqlite-access-store.js";
import type { SqliteDatabase } from "./sqlite-database.js";
import { SqlitePeopleStore } from "./sqlite-people-store.js";
import { SqliteAuditQuery } from "./sqlite-query-store.js";
import { SqliteStore } from "./sqlite-store.js";

export interface SqliteStores {
  log: SqliteStore;
  access: SqliteAccessStore;
  query: SqliteAuditQuery;
  people: SqlitePeopleStore;
  db: SqliteDatabase;
}

export function openSqliteStores(path: string): SqliteStores {
  const db = new Database(path);
  const log = new SqliteStore(db);
  const stores = {
    log,
    access: new SqliteAccessStore(db),
    query: new SqliteAuditQuery(db),
    people: new SqlitePeopleStore(db),
    db,
  };
  // Planner statistics for the search indexes, as SQLite recommends for
  // long-lived connections (cheap: it analyses only what needs it).
  db.pragma("optimize=0x10002");
  return stores;
}

export function openSqliteStore(path: string): SqliteStore {
  return openSqliteStores(path).log;
}
