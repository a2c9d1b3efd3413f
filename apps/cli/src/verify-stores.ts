// The stores `trailproof verify` reads: a data directory's SQLite files and
// key files, or a PostgreSQL database's tables and sealed key items. Opened
// without a ledger (which would sign a closing checkpoint), and a database on
// read-only transactions, so verifying never changes what it verifies.
import { join } from "node:path";
import { TrailproofError } from "@trailproof/core";
import {
  checkPostgresSchema,
  type DerivedRowsAudit,
  FileKeyVault,
  type KeyVault,
  type LogStore,
  openPostgres,
  openPostgresStores,
  openSqliteStores,
  readMasterKey,
} from "@trailproof/ledger";
import { requireExistingDataDir, storeName, storeOf } from "./data-dir.js";
import { asDatabaseError } from "./database-error.js";
import type { DatabaseFlags } from "./database-options.js";

export interface VerifyStores {
  log: LogStore;
  audits: DerivedRowsAudit[];
  /** Where the verifier keys and digest keys are read from (never written). */
  vault: KeyVault;
  /** The store, for messages (a database URL without its password). */
  where: string;
  close(): Promise<void>;
}

export async function openVerifyStores(flags: DatabaseFlags): Promise<VerifyStores> {
  const store = storeOf(flags);
  const where = storeName(store);
  if (store.database === undefined) {
    const dataDir = store.dataDir as string;
    // Opening SQLite would create the files: a mistyped --data is refused instead.
    requireExistingDataDir(flags);
    const { log, audits } = openSqliteStores(dataDir);
    return { log, audits, vault: new FileKeyVault(join(dataDir, "keys")), where, close: () => log.close() };
  }
  if (store.masterKeyFile === undefined) {
    throw new TrailproofError(
      "MASTER_KEY_INVALID",
      "verifying a PostgreSQL database reads its keys sealed with the master key: pass --master-key-file FILE (TRAILPROOF_MASTER_KEY_FILE)",
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
  const { log, audits, vault } = openPostgresStores(sql, masterKey);
  return { log, audits, vault, where, close: () => log.close() };
}
