// Every command that works on the stores opens them the same way (a data
// directory or a PostgreSQL database, as `serve` does) and always closes them
// (the ledger signs what is unsigned on close). Events it appends are bounded
// as the service bounds them (TRAILPROOF_OCCURRED_AT_*).
import { statSync } from "node:fs";
import { join } from "node:path";
import { type AppendedBy, TrailproofError } from "@trailproof/core";
import { type DatabaseOptions, type DataDir, describeDatabase, openDatabase } from "@trailproof/ledger";
import { databaseOptionsOf, loadStoreConfig, occurredAtBoundsFromEnv } from "@trailproof/server";
import { asDatabaseError } from "./database-error.js";
import type { DatabaseFlags } from "./database-options.js";

/** appended_by of what a CLI command appends: the command's name. */
export function cliAppender(command: "ingest" | "demo" | "key" | "tenant"): AppendedBy {
  return { type: "cli", id: command };
}

/**
 * The stores `flags` name, over TRAILPROOF_DATA / TRAILPROOF_DATABASE_URL. Only
 * `serve` migrates: a command run beside the service never changes the schema.
 */
export function storeOf(flags: DatabaseFlags): DatabaseOptions {
  const { migrateDatabase: _, ...options } = databaseOptionsOf(
    loadStoreConfig(
      { ...process.env, TRAILPROOF_MIGRATE_DATABASE_URL: undefined },
      { ...flags, migrateDatabase: undefined },
    ),
  );
  return options;
}

/** Where `store` is, for messages: a data directory, or a database URL without its password. */
export function storeName(store: DatabaseOptions): string {
  return store.database === undefined ? (store.dataDir as string) : describeDatabase(store);
}

/** The file system's refusals of a path the operator named: theirs to fix, so one line, exit 2. */
const PATH_REFUSALS = new Set(["ENOENT", "ENOTDIR", "EEXIST", "EACCES", "EPERM", "EROFS", "EISDIR", "ENOSPC"]);

/**
 * Refuses, without creating anything, a data directory that does not hold a
 * store: read-only commands (and those that need an existing tenant) MUST NOT
 * create one where a mistyped --data points. A database is left to its own checks.
 */
export function requireExistingDataDir(flags: DatabaseFlags): void {
  const store = storeOf(flags);
  if (store.database !== undefined) return;
  const dir = store.dataDir as string;
  try {
    requireStore(dir);
  } catch (err) {
    throw asDataDirError(err, dir);
  }
}

function requireStore(dir: string): void {
  const kind = statSync(dir, { throwIfNoEntry: false });
  if (kind === undefined) {
    throw new TrailproofError(
      "DATA_DIR_NOT_FOUND",
      `data directory ${dir} does not exist: pass --data with an existing data directory (TRAILPROOF_DATA)`,
    );
  }
  if (!kind.isDirectory()) {
    throw new TrailproofError("DATA_DIR_INVALID", `--data ${dir} is a file, not a directory: pass a data directory`);
  }
  if (statSync(join(dir, "trailproof.db"), { throwIfNoEntry: false }) === undefined) {
    throw new TrailproofError(
      "DATA_DIR_NOT_FOUND",
      `${dir} is not a data directory (no trailproof.db): pass --data with the directory \`trailproof serve\` or \`init\` created`,
    );
  }
}

/** `err` as one DATA_DIR_UNUSABLE line naming `dir` and the fix when the file system refused the data directory. */
export function asDataDirError(err: unknown, dir: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  const sqlite = err instanceof Error && err.name === "SqliteError" && /CANTOPEN|READONLY|PERM/.test(String(code));
  const noDir = err instanceof TypeError && /directory does not exist/.test(err.message);
  if (!(typeof code === "string" && PATH_REFUSALS.has(code)) && !sqlite && !noDir) return err;
  const why = code === "ENOTDIR" || code === "EEXIST" ? "a file is in the way" : refusalOf(String(code ?? "ENOENT"));
  const fix =
    code === "EACCES" || code === "EPERM" || sqlite
      ? "run trailproof as a user who may write it, or pass --data a directory that user may write (TRAILPROOF_DATA)"
      : "pass --data a writable directory (TRAILPROOF_DATA)";
  return new TrailproofError("DATA_DIR_UNUSABLE", `cannot use data directory ${dir} (${why}): ${fix}`, {
    cause: err,
  });
}

/** The refusal in words, then its code: what a newcomer reads first. */
function refusalOf(code: string): string {
  const words =
    code === "EACCES" || code === "EPERM" || /READONLY|PERM/.test(code)
      ? "permission denied"
      : code === "EROFS"
        ? "read-only file system"
        : code === "ENOSPC"
          ? "no space left on the device"
          : code === "ENOENT"
            ? "a parent directory does not exist"
            : code === "SQLITE_CANTOPEN"
              ? "its files cannot be opened"
              : undefined;
  return words === undefined ? code : `${words}, ${code}`;
}

export async function withDataDir<T>(
  flags: DatabaseFlags,
  fn: (data: DataDir) => Promise<T>,
  options: { checkpointIntervalMs?: number } = {},
): Promise<T> {
  const store = storeOf(flags);
  const data = await openDatabase({
    ...store,
    occurredAtBounds: occurredAtBoundsFromEnv(process.env),
    ...options,
  }).catch((err: unknown) => {
    throw store.database === undefined
      ? asDataDirError(err, store.dataDir as string)
      : asDatabaseError(err, storeName(store));
  });
  try {
    return await fn(data);
  } finally {
    await data.ledger.close();
  }
}
