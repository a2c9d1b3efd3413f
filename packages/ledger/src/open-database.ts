// Opens the service's stores where the operator put them: the embedded
// SQLite store in a data directory (open-data-dir.ts), or a PostgreSQL
// database shared by any number of stateless nodes. The one place that
// picks the backend; both give the same DataDir shape.

import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { TrailproofError } from "@trailproof/core";
import { readMasterKey } from "./keys/master-key.js";
import { Ledger, type LedgerOptions } from "./ledger.js";
import { type DataDir, followingDataDir, openDataDir } from "./open-data-dir.js";
import { connectPostgresStores } from "./store/postgres/open-postgres-store.js";
import { openPostgres, redactUrl } from "./store/postgres/postgres-client.js";
import { DEFAULT_APP_ROLE, migratePostgres } from "./store/postgres/postgres-migrations.js";

export interface DatabaseOptions {
  /** A postgres:// URL (the app role's): PostgreSQL. Absent: the embedded store in dataDir. */
  database?: string;
  /** The embedded store's directory (and, with SQLite, its keys). */
  dataDir?: string;
  /** PostgreSQL: the file holding the master key that seals keys in the database. */
  masterKeyFile?: string;
  /** PostgreSQL: an owner's URL; pending migrations are applied with it before the service connects. */
  migrateDatabase?: string;
  /** PostgreSQL: the role migrations grant to (default trailproof_app). */
  appRole?: string;
  /** PostgreSQL: connections per node (default 10). */
  poolSize?: number;
  /** PostgreSQL: this node's name in the signing lease (default host-pid-random). */
  nodeId?: string;
  /** The embedded store: each tenant file's page cache in MiB (default 32). */
  sqliteCacheMib?: number;
}

export type OpenDatabaseOptions = DatabaseOptions & Omit<LedgerOptions, "store" | "dataDir" | "vault" | "shared">;

/** Where the stores are, for start-up lines and messages (a URL without its password). */
export function describeDatabase(options: DatabaseOptions): string {
  return options.database ? redactUrl(options.database) : `data: ${options.dataDir}`;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DataDir> {
  const {
    database,
    dataDir,
    masterKeyFile,
    migrateDatabase,
    appRole,
    poolSize,
    nodeId,
    sqliteCacheMib,
    ...ledgerOptions
  } = options;
  if (database === undefined) {
    if (dataDir === undefined)
      throw new TrailproofError("DATABASE_OPTIONS_INVALID", "give a data directory or a database URL");
    return openDataDir({ ...ledgerOptions, dataDir, sqliteCacheMib, masterKeyFile });
  }
  if (masterKeyFile === undefined) {
    throw new TrailproofError(
      "MASTER_KEY_INVALID",
      "PostgreSQL keeps the tenants' signing keys sealed with a master key: pass --master-key-file FILE (TRAILPROOF_MASTER_KEY_FILE); create one with `trailproof master-key create FILE` and give the same file to every node",
    );
  }
  const masterKey = readMasterKey(masterKeyFile);
  if (migrateDatabase !== undefined) {
    const owner = openPostgres(migrateDatabase, { max: 1, applicationName: "trailproof-migrate" });
    try {
      await migratePostgres(owner, { appRole: appRole ?? DEFAULT_APP_ROLE });
    } finally {
      await owner.end({ timeout: 5 });
    }
  }
  const stores = await connectPostgresStores(database, masterKey, { max: poolSize ?? 10 });
  const ledger = await Ledger.open({
    ...ledgerOptions,
    masterKey,
    store: stores.log,
    vault: stores.vault,
    shared: {
      leases: stores.leases,
      nodeId: nodeId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    },
  });
  return followingDataDir(ledger, stores, { migrated: [], shared: stores.shared });
}
