// The one place that loads the native SQLite driver.
import Database from "better-sqlite3";
import { SqliteStore } from "./sqlite-store.js";

export function openSqliteStore(path: string): SqliteStore {
  return new SqliteStore(new Database(path));
}
