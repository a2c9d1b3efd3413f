// The one place that loads the native SQLite driver. A data directory holds
// the catalogue (trailproof.db: tenants, API keys, people) and one file per
// tenant under tenants/ (the log and its search projection); every store
// shares these connections: one writer per file, one transaction order.
import { join } from "node:path";
import Database from "better-sqlite3";
import type { DerivedRowsAudit } from "../../verify/derived-rows.js";
import { migrateSqliteV1 } from "./migrate-sqlite-v1.js";
import { SqliteAccessStore } from "./sqlite-access-store.js";
import { SqliteApprovalStore } from "./sqlite-approval-store.js";
import { SqliteCheckpointer } from "./sqlite-checkpointer.js";
import type { SqliteDatabase } from "./sqlite-database.js";
import { SqlitePeopleStore } from "./sqlite-people-store.js";
import { SqliteAuditQuery } from "./sqlite-query-store.js";
import { SqliteReportStore } from "./sqlite-report-store.js";
import { SqliteRetentionStore } from "./sqlite-retention-store.js";
import { SqliteRuleStore } from "./sqlite-rule-store.js";
import { SqliteSearchAudit } from "./sqlite-search-audit.js";
import { SqliteSearchProjection } from "./sqlite-search-projection.js";
import { SqliteStore } from "./sqlite-store.js";
import { applyDurability, applyLayout, SqliteTenantFiles } from "./sqlite-tenant-files.js";
import { SQLITE_CATALOGUE_SCHEMA } from "./sqlite-tenant-schema.js";

export interface SqliteStores {
  log: SqliteStore;
  access: SqliteAccessStore;
  approvals: SqliteApprovalStore;
  reports: SqliteReportStore;
  retention: SqliteRetentionStore;
  /** Alert rules, alerts and the alert follower's state (docs/alerts.md). */
  rules: SqliteRuleStore;
  query: SqliteAuditQuery;
  people: SqlitePeopleStore;
  /** The search follower's sink: derives the projection the query store reads. */
  search: SqliteSearchProjection;
  /** What verification checks beside the leaves: the search projection and its indexes. */
  audits: DerivedRowsAudit[];
  catalogue: SqliteDatabase;
  /** Tenants moved from a layout-1 trailproof.db on this open. */
  migrated: string[];
}

const CATALOGUE_CACHE_KIB = 8 * 1024;

/** Opens (creating if missing) the stores of a data directory. Requires the directory to exist. */
/**
 * `tenantCacheMib`: each tenant file's page cache (default DEFAULT_TENANT_CACHE_MIB).
 * `textPartEntries`: entries per part of the full-text index (default
 * DEFAULT_TEXT_PART_ENTRIES; tests make it small to query across parts).
 */
export function openSqliteStores(
  dataDir: string,
  options: { tenantCacheMib?: number; textPartEntries?: number } = {},
): SqliteStores {
  const open = (path: string): SqliteDatabase => new Database(path);
  const catalogue = open(join(dataDir, "trailproof.db"));
  const files = new SqliteTenantFiles(join(dataDir, "tenants"), open, new SqliteCheckpointer(), options.tenantCacheMib);
  let migrated: string[];
  try {
    applyDurability(catalogue, CATALOGUE_CACHE_KIB);
    catalogue.pragma("foreign_keys = ON");
    migrated = migrateSqliteV1(catalogue, files);
    applyLayout(catalogue, SQLITE_CATALOGUE_SCHEMA);
  } catch (err) {
    files.close();
    catalogue.close();
    throw err;
  }
  const log = new SqliteStore(catalogue, files);
  const database = (tenantId: number) => log.tenantDatabase(tenantId);
  return {
    log,
    access: new SqliteAccessStore(catalogue),
    approvals: new SqliteApprovalStore(catalogue),
    reports: new SqliteReportStore(catalogue),
    retention: new SqliteRetentionStore(catalogue),
    rules: new SqliteRuleStore(catalogue),
    query: new SqliteAuditQuery(database),
    people: new SqlitePeopleStore(catalogue),
    search: new SqliteSearchProjection(database, options.textPartEntries),
    audits: [new SqliteSearchAudit(database)],
    catalogue,
    migrated,
  };
}
