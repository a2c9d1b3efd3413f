// @trailproof/ledger: the engine as a library.
export { authenticateApiKey, type IssuedKey, issueApiKey } from "./access/api-keys.js";
export {
  authenticatePlatformKey,
  type IssuedPlatformKey,
  isPlatformKey,
  issuePlatformKey,
  type PlatformKeyOptions,
} from "./access/platform-keys.js";
export { type ProvisionedTenant, provisionTenant } from "./access/provision-tenant.js";
export { issueRecoveryAdminKey, type RecoveryKeyOptions } from "./access/recover-admin.js";
export type { AppendResult } from "./append/append-result.js";
export type { WriteTiming } from "./append/group-commit.js";
export {
  type AdmissionOptions,
  type AdmissionReason,
  type AdmissionRefusal,
  DEFAULT_ADMISSION,
  IngestOverloadedError,
} from "./append/ingest-admission.js";
export { ID_TAKEN_PROBLEM } from "./append/write-entries.js";
export { type BackupResult, backupDataDir } from "./backup/backup-data-dir.js";
export { type BackupManifest, type BackupTenant, MANIFEST_NAME } from "./backup/backup-manifest.js";
export {
  type PublishedCheckpoint,
  type RestoreOptions,
  type RestoreResult,
  type RollbackFinding,
  restoreDataDir,
} from "./backup/restore-data-dir.js";
export { type BundleFileReportOptions, bundleFileReport } from "./bundle/bundle-file-report.js";
export { bundleLines } from "./bundle/bundle-lines.js";
export { EntryLines } from "./bundle/entry-lines.js";
export { PublishedCheckpointRecord, type RollbackNotice } from "./checkpoint/published-record.js";
export { type FollowerSink, type FollowerStatus, LogFollower, type LogFollowerOptions } from "./follow/log-follower.js";
export { NOTIFIED_ACTIONS, NotificationSink } from "./follow/notification-sink.js";
export { DATA_DIR_MASTER_KEY, dataDirMasterKey, generatedMasterKeyWarning } from "./keys/data-dir-master-key.js";
export { DigestKeyStore } from "./keys/digest-keys.js";
export { FileKeyVault } from "./keys/file-key-vault.js";
export type { KeyItemMode, KeyVault } from "./keys/key-vault.js";
export { createMasterKey, readMasterKey } from "./keys/master-key.js";
export { PseudonymKeyStore } from "./keys/pseudonym-keys.js";
export { SigningKeyStore, type TenantSigner, type VerifierKeyRecord } from "./keys/signing-keys.js";
export { type AppendOptions, type CommitNotice, Ledger, type LedgerOptions } from "./ledger.js";
export {
  type MigrateDataDirOptions,
  type MigrateDataDirReport,
  type MigratedTenant,
  migrateDataDir,
} from "./migrate/migrate-data-dir.js";
export { COPIED_TABLES, NOT_COPIED_TABLES } from "./migrate/state-tables.js";
export { nodeHasher } from "./node-hasher.js";
export { type DataDir, openDataDir } from "./open-data-dir.js";
export { type DatabaseOptions, describeDatabase, type OpenDatabaseOptions, openDatabase } from "./open-database.js";
export { type MasterKeyRotation, rotateMasterKey } from "./privacy/rotate-master-key.js";
export { type OpenedDisclosure, SubjectVault } from "./privacy/subject-vault.js";
export { hashRangesFromStore } from "./prove.js";
export type * from "./query/audit-query.js";
export { CheckedAuditQuery } from "./query/checked-audit-query.js";
export { type CursorPosition, encodeCursor, parseCursor } from "./query/cursor.js";
export { MAX_PAGE_LIMIT, MAX_TRACE_EVENTS } from "./query/query-input.js";
export type { ReadDivergence, ReadDivergenceListener, ReadDivergences } from "./query/read-divergences.js";
export { type SearchFields, searchFieldsOfLeaf } from "./query/search-fields.js";
export { MAX_STATS_BUCKETS } from "./query/stats-buckets.js";
export { keepDaysOf } from "./retention/keep-days.js";
export { holdCovers, isHoldActive } from "./retention/legal-hold-covers.js";
export {
  DEFAULT_PRUNE_BATCH_ENTRIES,
  type PruneRunOptions,
  type PruneRunResult,
  Pruner,
  RETENTION_APPENDER,
} from "./retention/prune-run.js";
export type * from "./store/access-store.js";
export type * from "./store/approval-store.js";
export type * from "./store/cosignature-store.js";
export type { LeaseStore } from "./store/lease-store.js";
export type * from "./store/log-store.js";
export { MemorySharedState, type MemorySharedStateOptions } from "./store/memory-shared-state.js";
export * from "./store/notification-store.js";
export type * from "./store/people-store.js";
export { openPostgresStores, type PostgresStores } from "./store/postgres/open-postgres-store.js";
export { openPostgres, type PgSql, redactUrl } from "./store/postgres/postgres-client.js";
export {
  checkPostgresSchema,
  checkServiceRole,
  DEFAULT_APP_ROLE,
  type MigrationReport,
  migratePostgres,
  POSTGRES_SCHEMA_VERSION,
} from "./store/postgres/postgres-migrations.js";
export { PostgresSharedState } from "./store/postgres/postgres-shared-state.js";
export type * from "./store/report-store.js";
export * from "./store/retention-store.js";
export * from "./store/rule-store.js";
export { MAX_SHARED_KEY_LENGTH, type RecentHits, type SharedState, type WindowCount } from "./store/shared-state.js";
export { openSqliteStores, type SqliteStores } from "./store/sqlite/open-sqlite-store.js";
export { SqliteCosignatureStore } from "./store/sqlite/sqlite-cosignature-store.js";
export type { SqliteDatabase } from "./store/sqlite/sqlite-database.js";
export { SqliteAuditQuery } from "./store/sqlite/sqlite-query-store.js";
export { SqliteSearchProjection } from "./store/sqlite/sqlite-search-projection.js";
export { SqliteStore } from "./store/sqlite/sqlite-store.js";
export { DEFAULT_TENANT_CACHE_MIB } from "./store/sqlite/sqlite-tenant-files.js";
export * from "./store/stream-store.js";
export type { CommittedEntry, DerivedRowsAudit, ReportDivergence } from "./verify/derived-rows.js";
export { SubtreeHashPool, type SubtreeHashPoolOptions } from "./verify/subtree-hash-pool.js";
export {
  DERIVED_DIVERGENCE_KINDS,
  noteOrigin,
  tenantLogReport,
  type VerifyOptions,
  type VerifyReport,
} from "./verify/tenant-log-report.js";
