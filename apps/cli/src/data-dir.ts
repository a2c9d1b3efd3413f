// Every command that works on the stores opens them the same way (a data
// directory or a PostgreSQL database, as `serve` does) and always closes them
// (the ledger signs what is unsigned on close). Events it appends are bounded
// as the service bounds them (TRAILPROOF_OCCURRED_AT_*).
import type { AppendedBy } from "@trailproof/core";
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
    throw asDatabaseError(err, storeName(store));
  });
  try {
    return await fn(data);
  } finally {
    await data.ledger.close();
  }
}
