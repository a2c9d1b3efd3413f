// A SQLite data directory opened read-only as the source of a copy into
// PostgreSQL (migrate-data-dir.ts): the log through the SqliteStore, the
// catalogue's rows and the key files read as they are. Nothing here writes.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TrailproofError } from "@trailproof/core";
import Database from "better-sqlite3";
import type { KeyItemMode } from "../keys/key-vault.js";
import type { ApiKeyRecord } from "../store/access-store.js";
import {
  type ApiKeyRow,
  type PersonRow,
  type SessionRow,
  toApiKey,
  toPerson,
  toSession,
  toViewerToken,
  type ViewerTokenRow,
} from "../store/catalogue-rows.js";
import type { PersonRecord, SessionRecord, ViewerTokenRecord } from "../store/people-store.js";
import type { SqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { SqliteTenantFiles } from "../store/sqlite/sqlite-tenant-files.js";
import { SQLITE_LAYOUT_VERSION } from "../store/sqlite/sqlite-tenant-schema.js";

/** One item of a tenant's FileKeyVault (keys/<tenant>/<name>). */
export interface KeyFileItem {
  name: string;
  value: Uint8Array;
  /** From the file's mode: a file only its owner may read is a secret (FileKeyVault writes 0600). */
  mode: KeyItemMode;
}

export interface SqliteSource {
  /** The log, read through the same store the service uses; its writing methods MUST NOT be called. */
  log: SqliteStore;
  apiKeys(): ApiKeyRecord[];
  people(): PersonRecord[];
  sessions(): SessionRecord[];
  viewerTokens(): ViewerTokenRecord[];
  keyItems(tenant: string): KeyFileItem[];
  close(): Promise<void>;
}

/**
 * Opens `dataDir` with every SQLite file read-only (openSqliteStores opens
 * them for writing and upgrades old layouts, so it is not used here).
 * Throws MIGRATE_SOURCE_INVALID for a directory without a catalogue, or one
 * whose layout this build would first have to upgrade: open it once with
 * `trailproof verify --data`, which upgrades it, then copy.
 */
export function openSqliteSource(dataDir: string): SqliteSource {
  const cataloguePath = join(dataDir, "trailproof.db");
  if (!existsSync(cataloguePath)) {
    throw new TrailproofError("MIGRATE_SOURCE_INVALID", `${dataDir} holds no trailproof.db: not a data directory`);
  }
  const open = (path: string): SqliteDatabase => readOnly(path);
  const catalogue = open(cataloguePath);
  const layout = catalogue.pragma("user_version", { simple: true }) as number;
  if (layout !== SQLITE_LAYOUT_VERSION) {
    catalogue.close();
    throw new TrailproofError(
      "MIGRATE_SOURCE_INVALID",
      `${cataloguePath} has layout ${layout}, this build copies layout ${SQLITE_LAYOUT_VERSION}: run \`trailproof verify --data ${dataDir}\` once with this build (it upgrades the layout), then migrate`,
    );
  }
  const log = new SqliteStore(catalogue, new SqliteTenantFiles(join(dataDir, "tenants"), open));
  const all = <T>(sql: string): T[] => catalogue.prepare(sql).all() as T[];
  return {
    log,
    apiKeys: () => all<ApiKeyRow>("SELECT * FROM api_keys ORDER BY created_at, key_id").map(toApiKey),
    people: () => all<PersonRow>("SELECT * FROM people ORDER BY tenant_id, username").map(toPerson),
    sessions: () => all<SessionRow>("SELECT * FROM sessions ORDER BY created_at, session_hash").map(toSession),
    viewerTokens: () =>
      all<ViewerTokenRow>("SELECT * FROM viewer_tokens ORDER BY created_at, token_id").map(toViewerToken),
    keyItems: (tenant) => readKeyItems(join(dataDir, "keys", tenant)),
    close: () => log.close(),
  };
}

/**
 * A connection SQLite itself refuses every write on. SqliteTenantFiles asks
 * for `PRAGMA optimize` on open, which may write planner statistics: that
 * one request is skipped here (its other statements only read on a file
 * that already has the current layout).
 */
function readOnly(path: string): SqliteDatabase {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  return {
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => db.exec(sql),
    pragma: (source, options) => (/^\s*optimize\b/i.test(source) ? undefined : db.pragma(source, options)),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
}

/** Every item file of one tenant's key directory; `*.tmp` files are writes a crash cut short. */
function readKeyItems(dir: string): KeyFileItem[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.endsWith(".tmp") && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const others = statSync(path).mode & 0o077;
      return { name, value: new Uint8Array(readFileSync(path)), mode: others === 0 ? "secret" : "public" };
    });
}
