// One SQLite file per tenant (tenants/<name>.db), opened on first use and
// kept open: the log, its tree and checkpoints, and the search projection.
// Every store of a data directory reaches a tenant's file through this one
// cache, so each file has one writing connection: one writer, one
// transaction order. Given a checkpointer, a file's WAL checkpoints run
// between commits, never inside one (sqlite-checkpointer.ts).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { TrailproofError } from "@trailproof/core";
import type { CheckpointStatus, SqliteCheckpointer } from "./sqlite-checkpointer.js";
import type { SqliteDatabase } from "./sqlite-database.js";
import { upgradeToLayout4 } from "./sqlite-layout-4.js";
import { SQLITE_LAYOUT_5, SQLITE_PRUNE_LAYOUT } from "./sqlite-layout-5.js";
import { SQLITE_SEARCH_SCHEMA } from "./sqlite-search-schema.js";
import { SQLITE_LAYOUT_VERSION, SQLITE_TENANT_LOG_SCHEMA } from "./sqlite-tenant-schema.js";
import { dropSingleTextIndex, rebuildFirstTextPart } from "./sqlite-text-parts.js";

/** Opens a database file with the driver; the only door to better-sqlite3 (open-sqlite-store.ts). */
export type OpenSqliteDatabase = (path: string) => SqliteDatabase;

/**
 * Page cache per tenant file, in MiB, by default. It must hold what the
 * writes touch again and again: the right-hand edges of the log's tables and
 * the search indexes, and the segments of the full-text part being written
 * that FTS5 merges (a part stops growing at DEFAULT_TEXT_PART_ENTRIES for
 * that reason; docs/benchmarks.md). It is the service's memory:
 * TRAILPROOF_SQLITE_CACHE_MIB.
 */
export const DEFAULT_TENANT_CACHE_MIB = 32;

/** Checks a file's layout version, creates its tables, and stamps the version. */
export function applyLayout(db: SqliteDatabase, schema: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SQLITE_LAYOUT_VERSION) {
    throw new TrailproofError(
      "STORE_SCHEMA_TOO_NEW",
      `database layout ${version} is newer than this build understands (${SQLITE_LAYOUT_VERSION})`,
    );
  }
  db.exec(schema);
  if (version !== SQLITE_LAYOUT_VERSION) db.pragma(`user_version = ${SQLITE_LAYOUT_VERSION}`);
}

/** WAL, every commit fsynced (synchronous=FULL): acknowledged means durable. */
export function applyDurability(db: SqliteDatabase, cacheKib: number): void {
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  db.pragma(`cache_size = -${cacheKib}`);
}

export class SqliteTenantFiles {
  readonly dir: string;
  readonly #open: OpenSqliteDatabase;
  readonly #checkpointer: SqliteCheckpointer | undefined;
  readonly #files = new Map<string, SqliteDatabase>();

  readonly #cacheKib: number;

  /** Without a checkpointer (read-only opens), SQLite's own autocheckpoint stays on. */
  constructor(
    dir: string,
    open: OpenSqliteDatabase,
    checkpointer?: SqliteCheckpointer,
    cacheMib: number = DEFAULT_TENANT_CACHE_MIB,
  ) {
    this.dir = dir;
    this.#open = open;
    this.#checkpointer = checkpointer;
    this.#cacheKib = cacheMib * 1024;
  }

  /** Path of a tenant's file. Tenant names are [a-z0-9-] (checked at creation), so they are safe file names. */
  pathOf(name: string): string {
    return join(this.dir, `${name}.db`);
  }

  /** The tenant's open connection, creating the file and its tables if missing. */
  get(name: string): SqliteDatabase {
    let db = this.#files.get(name);
    if (db === undefined) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      db = this.#open(this.pathOf(name));
      try {
        applyDurability(db, this.#cacheKib);
        // Erased values and destroyed keys are overwritten on disk, not left in free pages.
        db.pragma("secure_delete = ON");
        const schema = `${SQLITE_TENANT_LOG_SCHEMA}\n${SQLITE_SEARCH_SCHEMA}`;
        // Layout 2 to 3: the one full-text index becomes the first of its
        // parts (sqlite-text-parts.ts), rebuilt from the rows, all in one
        // transaction with the new schema and version.
        const file = db;
        file.transaction((layout: string) => {
          const before = file.pragma("user_version", { simple: true }) as number;
          const rebuild = dropSingleTextIndex(file);
          upgradeToLayout4(file, file.pragma("user_version", { simple: true }) as number);
          applyLayout(file, layout);
          if (rebuild) rebuildFirstTextPart(file);
          // Each later step by its own version check, so the chain runs in order from any older file.
          if (before < SQLITE_PRUNE_LAYOUT) file.exec(SQLITE_LAYOUT_5);
        })(schema);
        // Planner statistics for the search indexes, as SQLite recommends for
        // long-lived connections (cheap: it analyses only what needs it).
        db.pragma("optimize=0x10002");
        if (this.#checkpointer) {
          // Commits checkpoint only as a backstop; the checkpointer does it,
          // between them. After the WAL restarts, the next commit trims the
          // file to journal_size_limit.
          db.pragma(`wal_autocheckpoint = ${this.#checkpointer.backstopFrames}`);
          db.pragma(`journal_size_limit = ${this.#checkpointer.truncateBytes}`);
          this.#checkpointer.watch(this.pathOf(name), db);
        }
      } catch (err) {
        db.close();
        throw err;
      }
      this.#files.set(name, db);
    }
    return db;
  }

  /** WAL checkpoints run so far, per file (empty without a checkpointer). */
  checkpointStatus(): CheckpointStatus[] {
    return this.#checkpointer?.status() ?? [];
  }

  close(): void {
    this.#checkpointer?.close();
    for (const db of this.#files.values()) db.close();
    this.#files.clear();
  }
}
