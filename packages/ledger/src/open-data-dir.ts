// Opens everything a data directory holds on the embedded SQLite store: the
// ledger, API keys, people and sessions, and the query side, sharing one
// connection.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Ledger, type LedgerOptions } from "./ledger.js";
import type { AuditQuery } from "./query/audit-query.js";
import type { AccessStore } from "./store/access-store.js";
import type { PeopleStore } from "./store/people-store.js";
import { openSqliteStores } from "./store/sqlite/open-sqlite-store.js";

export interface DataDir {
  ledger: Ledger;
  access: AccessStore;
  query: AuditQuery;
  people: PeopleStore;
}

export async function openDataDir(options: Omit<LedgerOptions, "store">): Promise<DataDir> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const stores = openSqliteStores(join(options.dataDir, "trailproof.db"));
  const ledger = await Ledger.open({ ...options, store: stores.log });
  return { ledger, access: stores.access, query: stores.query, people: stores.people };
}
