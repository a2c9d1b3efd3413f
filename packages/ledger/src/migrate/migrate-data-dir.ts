// `trailproof migrate --from DIR --to URL`: copies a SQLite data directory
// into PostgreSQL (tenants, logs, keys, catalogue, the service's state),
// builds the search projection by following the copied logs, and verifies
// every copied log.
import { join } from "node:path";
import { TrailproofError, toHex } from "@trailproof/core";
import { PublishedCheckpointRecord } from "../checkpoint/published-record.js";
import { LogFollower } from "../follow/log-follower.js";
import { DATA_DIR_MASTER_KEY } from "../keys/data-dir-master-key.js";
import { DigestKeyStore } from "../keys/digest-keys.js";
import { readMasterKey } from "../keys/master-key.js";
import { SigningKeyStore } from "../keys/signing-keys.js";
import { nodeHasher } from "../node-hasher.js";
import { unwrapSubjectKey, wrapSubjectKey } from "../privacy/subject-keys.js";
import { SubjectVault } from "../privacy/subject-vault.js";
import type { TenantRecord } from "../store/log-store.js";
import { connectPostgresStores, type PostgresStores } from "../store/postgres/open-postgres-store.js";
import { tenantLogReport, type VerifyReport } from "../verify/tenant-log-report.js";
import { type CopiedCatalogue, copyCatalogue } from "./copy-catalogue.js";
import { copyErasures } from "./copy-erasures.js";
import { type CopiedKeyItems, copyKeyItems } from "./copy-key-items.js";
import { type CopiedState, copyState } from "./copy-state.js";
import { copyTenantLog } from "./copy-tenant-log.js";
import { openSqliteSource, type SqliteSource } from "./sqlite-source.js";

export interface MigrateDataDirOptions {
  /** The SQLite data directory; opened read-only, never written. */
  from: string;
  /** The PostgreSQL database as the app role (migrated: `trailproof migrate --database OWNER_URL`). */
  to: string;
  /** The master key file the PostgreSQL nodes will be given: the copied keys are sealed with it. */
  masterKeyFile: string;
  /** The data directory's master key file; default <from>/master.key. Subject keys are rewrapped from it to masterKeyFile's. */
  sourceMasterKeyFile?: string;
  /** Entries per appendBatch; default 1,000. */
  batchEntries?: number;
  onProgress?: (tenant: string, copied: number, total: number) => void;
}

export interface MigratedTenant {
  tenant: string;
  origin: string;
  /** The tenant's id in PostgreSQL (ids are assigned there; names and origins are what is kept). */
  tenantId: number;
  /** Entries PostgreSQL held before this run, and holds now. */
  fromSize: number;
  toSize: number;
  checkpointsCopied: number;
  checkpointsOnlyInTarget: number;
  actionSchemasCopied: number;
  /** Recorded pruned ranges copied; their entries' leaf data is copied blank. */
  prunedRangesCopied: number;
  /** Hex MTH of the first toSize entries: equal in SQLite and PostgreSQL (checked). */
  rootHash: string;
  keyItems: CopiedKeyItems;
  /** Erasures replayed on the target (0 when a resumed copy had replayed them already). */
  erasuresCopied: number;
  verify: VerifyReport;
}

export interface MigrateDataDirReport {
  tenants: MigratedTenant[];
  catalogue: CopiedCatalogue;
  /** The service's state beside logs and catalogue (state-tables.ts: what is copied and what is not). */
  state: CopiedState;
  /** Every copied log verified, derived rows included. */
  ok: boolean;
}

/**
 * Copies `from` into `to` and verifies the result. Runs again to catch up
 * before a switch-over: only entries beyond what PostgreSQL holds are
 * copied, after checking the logs share that prefix (MIGRATE_DIVERGED
 * otherwise). Requires `to` to be at this build's schema and to connect as
 * the app role, as a node would. The search projection is built here, by a
 * follower over the copied logs, so the verification's derived-row checks
 * run against a projection PostgreSQL derived itself.
 */
export async function migrateDataDir(options: MigrateDataDirOptions): Promise<MigrateDataDirReport> {
  const masterKey = readMasterKey(options.masterKeyFile);
  const source = openSqliteSource(options.from);
  try {
    const stores = await connectPostgresStores(options.to, masterKey, {
      max: 4,
      applicationName: "trailproof-migrate",
    });
    try {
      return await copyAndVerify(source, stores, options);
    } finally {
      await stores.log.close();
    }
  } finally {
    await source.close();
  }
}

async function copyAndVerify(
  source: SqliteSource,
  pg: PostgresStores,
  options: MigrateDataDirOptions,
): Promise<MigrateDataDirReport> {
  const tenantIds = new Map<number, number>();
  const copied: Omit<MigratedTenant, "verify">[] = [];
  const masterKey = readMasterKey(options.masterKeyFile);
  const sourceKey = readMasterKey(options.sourceMasterKeyFile ?? join(options.from, DATA_DIR_MASTER_KEY));
  for (const tenant of await source.log.listTenants()) {
    const target = await targetTenant(pg, tenant);
    tenantIds.set(tenant.tenantId, target.tenantId);
    // Read before the log's size: a published record then never names entries the copy lacks.
    const keyFiles = source.keyItems(tenant.name);
    const log = await copyTenantLog(source.log, tenant.tenantId, pg.log, target.tenantId, nodeHasher, {
      rewrapKey: (subject, wrapped) =>
        wrapSubjectKey(masterKey, tenant.name, subject, unwrapSubjectKey(sourceKey, tenant.name, subject, wrapped)),
      batchEntries: options.batchEntries,
      onProgress: (done, total) => options.onProgress?.(tenant.name, done, total),
    });
    copied.push({
      tenant: tenant.name,
      origin: tenant.origin,
      tenantId: target.tenantId,
      fromSize: log.fromSize,
      toSize: log.toSize,
      checkpointsCopied: log.checkpointsCopied,
      checkpointsOnlyInTarget: log.checkpointsOnlyInTarget,
      actionSchemasCopied: log.actionSchemasCopied,
      prunedRangesCopied: log.prunedRangesCopied,
      rootHash: toHex(log.rootHash),
      keyItems: await copyKeyItems(tenant.name, keyFiles, pg.vault, log.toSize),
      erasuresCopied: await copyErasures(source.log, tenant.tenantId, pg.log, target.tenantId),
    });
  }
  const catalogue = await copyCatalogue(source, pg, tenantIds);
  const sizes = new Map(copied.map((t) => [t.tenantId, t.toSize] as const));
  const state = await copyState(source.state, sourceKey, pg, tenantIds, sizes);

  const follower = new LogFollower(pg.log, pg.search);
  try {
    follower.catchUp(Promise.resolve(copied.map((t) => [t.tenantId, t.toSize] as const)));
    await follower.idle();
  } finally {
    await follower.close();
  }

  const keys = new SigningKeyStore(pg.vault, nodeHasher);
  const digestKeys = new DigestKeyStore(pg.vault);
  const published = new PublishedCheckpointRecord(pg.vault);
  const tenants: MigratedTenant[] = [];
  for (const t of copied) {
    const note = await published.read(t.tenant);
    const verify = await tenantLogReport(pg.log, nodeHasher, t.tenant, {
      verifierKeys: (await keys.verifiers(t.tenant)).map((k) => k.verifier_key),
      derived: pg.audits,
      digestKey: await digestKeys.find(t.tenant),
      published: note === undefined ? [] : [note],
      subjects: new SubjectVault(pg.log, masterKey, undefined),
    });
    tenants.push({ ...t, verify });
  }
  return { tenants, catalogue, state, ok: tenants.every((t) => t.verify.ok) };
}

/** The tenant of the same name in PostgreSQL, created when missing; its origin MUST match. */
async function targetTenant(pg: PostgresStores, tenant: TenantRecord): Promise<TenantRecord> {
  const existing = await pg.log.getTenant(tenant.name);
  if (existing === undefined) {
    const { tenantId: _, ...record } = tenant;
    return pg.log.createTenant(record);
  }
  if (existing.origin !== tenant.origin) {
    throw new TrailproofError(
      "MIGRATE_DIVERGED",
      `tenant ${tenant.name} has origin ${existing.origin} in PostgreSQL, ${tenant.origin} in the data directory: another log of the same name`,
    );
  }
  // A setting, not history: the data directory is the live service until the switch-over.
  if (existing.unknownActions !== tenant.unknownActions) {
    await pg.log.setUnknownActions(existing.tenantId, tenant.unknownActions);
  }
  return existing;
}
