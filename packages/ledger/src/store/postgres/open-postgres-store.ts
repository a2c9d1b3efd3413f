// Every store of a PostgreSQL database over one pool: the log, API keys,
// people and sessions, the query side and the search follower's sink, the
// key vault (sealed by the operator's master key), the signing lease and the
// short-lived state nodes share.
// Nothing of a node's state lives outside the database and its master key.
import { channelSecretSealer } from "../../keys/channel-secrets.js";
import type { DerivedRowsAudit } from "../../verify/derived-rows.js";
import { PostgresAccessStore } from "./postgres-access-store.js";
import { PostgresApprovalStore } from "./postgres-approval-store.js";
import { PostgresAuditQuery } from "./postgres-audit-query.js";
import { openPostgres, type PgSql, type PostgresClientOptions } from "./postgres-client.js";
import { PostgresCosignatureStore } from "./postgres-cosignature-store.js";
import { PostgresKeyVault } from "./postgres-key-vault.js";
import { PostgresLeaseStore } from "./postgres-lease.js";
import { PostgresLogStore } from "./postgres-log-store.js";
import { checkPostgresSchema, checkServiceRole } from "./postgres-migrations.js";
import { PostgresNotificationStore } from "./postgres-notification-store.js";
import { PostgresPeopleStore } from "./postgres-people-store.js";
import { PostgresReportStore } from "./postgres-report-store.js";
import { PostgresRetentionStore } from "./postgres-retention-store.js";
import { PostgresRuleStore } from "./postgres-rule-store.js";
import { PostgresSearchAudit } from "./postgres-search-audit.js";
import { PostgresSearchProjection } from "./postgres-search-projection.js";
import { PostgresSharedState } from "./postgres-shared-state.js";
import { PostgresStreamStore } from "./postgres-stream-store.js";

export interface PostgresStores {
  sql: PgSql;
  /** Ends the pool when the ledger closes. */
  log: PostgresLogStore;
  access: PostgresAccessStore;
  approvals: PostgresApprovalStore;
  reports: PostgresReportStore;
  retention: PostgresRetentionStore;
  rules: PostgresRuleStore;
  people: PostgresPeopleStore;
  query: PostgresAuditQuery;
  search: PostgresSearchProjection;
  audits: DerivedRowsAudit[];
  vault: PostgresKeyVault;
  leases: PostgresLeaseStore;
  shared: PostgresSharedState;
  notifications: PostgresNotificationStore;
  streams: PostgresStreamStore;
  cosignatures: PostgresCosignatureStore;
}

/**
 * Opens a pool on `url` as a node does: checks that the schema is this
 * build's and that the role is subject to row-level security, then opens
 * the stores over it (the log store owns the pool). A failed check ends the
 * pool and throws.
 */
export async function connectPostgresStores(
  url: string,
  masterKey: Uint8Array,
  options: PostgresClientOptions,
): Promise<PostgresStores> {
  const sql = openPostgres(url, options);
  try {
    await checkPostgresSchema(sql);
    await checkServiceRole(sql);
    return openPostgresStores(sql, masterKey);
  } catch (err) {
    await sql.end({ timeout: 5 });
    throw err;
  }
}

/** The stores over `sql` (the app role's pool, schema checked); the log store owns the pool. */
export function openPostgresStores(sql: PgSql, masterKey: Uint8Array): PostgresStores {
  return {
    sql,
    log: new PostgresLogStore(sql, { ownsPool: true }),
    access: new PostgresAccessStore(sql),
    approvals: new PostgresApprovalStore(sql),
    reports: new PostgresReportStore(sql),
    retention: new PostgresRetentionStore(sql),
    rules: new PostgresRuleStore(sql),
    people: new PostgresPeopleStore(sql),
    query: new PostgresAuditQuery(sql),
    search: new PostgresSearchProjection(sql),
    audits: [new PostgresSearchAudit(sql)],
    vault: new PostgresKeyVault(sql, masterKey),
    leases: new PostgresLeaseStore(sql),
    shared: new PostgresSharedState(sql),
    notifications: new PostgresNotificationStore(sql, channelSecretSealer(masterKey)),
    streams: new PostgresStreamStore(sql, channelSecretSealer(masterKey)),
    cosignatures: new PostgresCosignatureStore(sql),
  };
}
