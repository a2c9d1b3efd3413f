// The stores the read-only commands (verify, export, tenant list, signing-key
// list) read: a data directory's SQLite files and key files, or a PostgreSQL
// database's tables and sealed key items. Opened without a ledger, which would
// sign a closing checkpoint and create a missing signing key, and a database on
// read-only transactions, so reading never changes what it reads.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TrailproofError } from "@trailproof/core";
import {
  type CosignatureStore,
  checkPostgresSchema,
  DATA_DIR_MASTER_KEY,
  type DerivedRowsAudit,
  FileKeyVault,
  type KeyVault,
  type LogStore,
  openPostgres,
  openPostgresStores,
  openSqliteStores,
  readMasterKey,
  SqliteCosignatureStore,
  type SqliteStores,
  type TenantRecord,
} from "@trailproof/ledger";
import { asDataDirError, requireExistingDataDir, storeName, storeOf } from "./data-dir.js";
import { asDatabaseError } from "./database-error.js";
import type { DatabaseFlags } from "./database-options.js";

export interface ReadStores {
  log: LogStore;
  audits: DerivedRowsAudit[];
  /** Witnesses' cosignatures on the checkpoints (docs/witness.md). */
  cosignatures: CosignatureStore;
  /** Where the verifier keys and digest keys are read from (never written). */
  vault: KeyVault;
  /** The store, for messages (a database URL without its password). */
  where: string;
  /** The master key, where one is at hand (--master-key-file, or the data directory's master.key): it opens personal values. */
  masterKey?: Uint8Array;
  close(): Promise<void>;
}

export async function openReadStores(flags: DatabaseFlags): Promise<ReadStores> {
  const store = storeOf(flags);
  const where = storeName(store);
  if (store.database === undefined) {
    const dataDir = store.dataDir as string;
    // Opening SQLite would create the files: a mistyped --data is refused instead.
    requireExistingDataDir(flags);
    let stores: SqliteStores;
    try {
      stores = openSqliteStores(dataDir);
    } catch (err) {
      throw asDataDirError(err, dataDir);
    }
    const { log, audits } = stores;
    const keyFile = store.masterKeyFile ?? join(dataDir, DATA_DIR_MASTER_KEY);
    // Never generated here: without one, sealed values are counted, not opened.
    const masterKey = existsSync(keyFile) ? readMasterKey(keyFile) : undefined;
    return {
      log,
      audits,
      cosignatures: new SqliteCosignatureStore(stores.catalogue, false),
      vault: new FileKeyVault(join(dataDir, "keys")),
      where,
      masterKey,
      close: () => log.close(),
    };
  }
  if (store.masterKeyFile === undefined) {
    throw new TrailproofError(
      "MASTER_KEY_INVALID",
      "PostgreSQL keeps the tenants' keys sealed with a master key, which reading them needs: pass --master-key-file FILE (TRAILPROOF_MASTER_KEY_FILE), the file the service's nodes use",
    );
  }
  const masterKey = readMasterKey(store.masterKeyFile);
  // A startup parameter, so every pooled connection refuses writes, reconnects included.
  const url = new URL(store.database);
  url.searchParams.set("default_transaction_read_only", "on");
  const sql = openPostgres(url.toString(), { max: 4, applicationName: "trailproof-verify" });
  try {
    await checkPostgresSchema(sql);
  } catch (err) {
    await sql.end({ timeout: 5 });
    throw asDatabaseError(err, where);
  }
  const { log, audits, vault, cosignatures } = openPostgresStores(sql, masterKey);
  return { log, audits, cosignatures, vault, where, masterKey, close: () => log.close() };
}

/** Runs `fn` on the read stores `flags` name, and always closes them. */
export async function withReadStores<T>(flags: DatabaseFlags, fn: (stores: ReadStores) => Promise<T>): Promise<T> {
  const stores = await openReadStores(flags);
  try {
    return await fn(stores);
  } finally {
    await stores.close();
  }
}

/** The tenant named `name`, or TENANT_NOT_FOUND as the ledger says it. */
export async function tenantNamed(log: LogStore, name: string): Promise<TenantRecord> {
  const record = await log.getTenant(name);
  if (!record) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant named ${name}`);
  return record;
}
