// Where the service's stores are: a data directory (embedded SQLite) or a
// PostgreSQL database shared by several nodes. Read the same way by `serve`
// and every CLI command that opens the stores (docs/configuration.md).
import { TrailproofError } from "@trailproof/core";
import { type DatabaseOptions, DEFAULT_TENANT_CACHE_MIB, redactUrl } from "@trailproof/ledger";

export interface StoreConfig {
  /** TRAILPROOF_DATA: data directory (SQLite files and keys); unused with a database. */
  dataDir: string;
  /** TRAILPROOF_DATABASE_URL: a postgres:// URL (the app role's); set, it replaces the data directory. */
  database?: string;
  /** TRAILPROOF_MASTER_KEY_FILE: the master key sealing keys in the database; every node MUST get the same file. */
  masterKeyFile?: string;
  /** TRAILPROOF_MIGRATE_DATABASE_URL: an owner's postgres:// URL; pending migrations run with it at start. */
  migrateDatabase?: string;
  /** TRAILPROOF_DATABASE_POOL_SIZE: PostgreSQL connections per node. */
  databasePoolSize: number;
  /** TRAILPROOF_SQLITE_CACHE_MIB: the embedded store's page cache per tenant file, in MiB. */
  sqliteCacheMib: number;
  /** TRAILPROOF_NODE_ID: this node's name in the signing lease (default host-pid-random). */
  nodeId?: string;
}

export const DEFAULT_DATA_DIR = "./data";
export const DEFAULT_DATABASE_POOL_SIZE = 10;
/** The embedded store's page cache per tenant file (the ledger's DEFAULT_TENANT_CACHE_MIB). */
export const DEFAULT_SQLITE_CACHE_MIB = DEFAULT_TENANT_CACHE_MIB;

/** What a command line gave; each flag wins over its environment variable. */
export interface StoreFlags {
  data?: string;
  database?: string;
  masterKeyFile?: string;
  migrateDatabase?: string;
}

function invalid(message: string): TrailproofError {
  return new TrailproofError("CONFIG_INVALID", message);
}

function postgresUrl(name: string, value: string): string {
  if (!/^postgres(ql)?:\/\//.test(value) || !URL.canParse(value)) {
    // A URL may carry a password: only its redacted form is ever printed.
    throw invalid(`${name} must be a postgres:// URL, not ${JSON.stringify(redactUrl(value))}`);
  }
  return value;
}

const set = (v: string | undefined): string | undefined => (v === undefined || v === "" ? undefined : v);

/**
 * The store settings from `env` with `flags` over them. Throws CONFIG_INVALID
 * (one line naming the setting) for a data directory and a database given
 * together at the same level, a URL that is not postgres://, or a pool size
 * that is not a positive integer.
 */
export function loadStoreConfig(env: NodeJS.ProcessEnv, flags: StoreFlags = {}): StoreConfig {
  if (flags.data !== undefined && flags.database !== undefined) {
    throw invalid("--data and --database name two different stores: give one");
  }
  let database = flags.database;
  let dataDir = flags.data;
  if (database === undefined && dataDir === undefined) {
    if (set(env.TRAILPROOF_DATA) && set(env.TRAILPROOF_DATABASE_URL)) {
      throw invalid("TRAILPROOF_DATA and TRAILPROOF_DATABASE_URL name two different stores: set one");
    }
    database = set(env.TRAILPROOF_DATABASE_URL);
  }
  dataDir ??= set(env.TRAILPROOF_DATA) ?? DEFAULT_DATA_DIR;
  const migrateDatabase = flags.migrateDatabase ?? set(env.TRAILPROOF_MIGRATE_DATABASE_URL);
  const pool = set(env.TRAILPROOF_DATABASE_POOL_SIZE);
  const databasePoolSize = pool === undefined ? DEFAULT_DATABASE_POOL_SIZE : Number(pool);
  if (!Number.isSafeInteger(databasePoolSize) || databasePoolSize < 1) {
    throw invalid(`TRAILPROOF_DATABASE_POOL_SIZE must be a positive integer, not ${JSON.stringify(pool)}`);
  }
  const cache = set(env.TRAILPROOF_SQLITE_CACHE_MIB);
  const sqliteCacheMib = cache === undefined ? DEFAULT_SQLITE_CACHE_MIB : Number(cache);
  if (!Number.isSafeInteger(sqliteCacheMib) || sqliteCacheMib < 1) {
    throw invalid(`TRAILPROOF_SQLITE_CACHE_MIB must be a positive integer, not ${JSON.stringify(cache)}`);
  }
  const nameOf = (flag: string, variable: string, fromFlag: boolean) => (fromFlag ? flag : variable);
  return {
    dataDir,
    ...(database === undefined
      ? {}
      : {
          database: postgresUrl(
            nameOf("--database", "TRAILPROOF_DATABASE_URL", flags.database !== undefined),
            database,
          ),
        }),
    masterKeyFile: flags.masterKeyFile ?? set(env.TRAILPROOF_MASTER_KEY_FILE),
    ...(migrateDatabase === undefined
      ? {}
      : {
          migrateDatabase: postgresUrl(
            nameOf("--migrate-database", "TRAILPROOF_MIGRATE_DATABASE_URL", flags.migrateDatabase !== undefined),
            migrateDatabase,
          ),
        }),
    databasePoolSize,
    sqliteCacheMib,
    nodeId: set(env.TRAILPROOF_NODE_ID),
  };
}

/** openDatabase's options for `config`: the database when one is set, the data directory otherwise. */
export function databaseOptionsOf(config: StoreConfig): DatabaseOptions {
  if (config.database === undefined) return { dataDir: config.dataDir, sqliteCacheMib: config.sqliteCacheMib };
  return {
    database: config.database,
    masterKeyFile: config.masterKeyFile,
    migrateDatabase: config.migrateDatabase,
    poolSize: config.databasePoolSize,
    nodeId: config.nodeId,
  };
}
