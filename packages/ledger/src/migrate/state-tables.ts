// Which tables of a SQLite data directory's catalogue (trailproof.db)
// `trailproof migrate` carries to PostgreSQL, and which it deliberately does
// not, each with the reason. test/migrate-state-tables.test.ts lists the
// catalogue's tables and fails on one in neither list, so a new table forces
// a decision here. The tenants' own files (tenants/*.db: entries, proofs,
// checkpoints, erasures, the search projection) are copy-tenant-log.ts's;
// the search projection is rebuilt on PostgreSQL from the copied logs.

/** Copied, each by the copier named. */
export const COPIED_TABLES: Readonly<Record<string, string>> = {
  tenants: "migrate-data-dir.ts (by name; ids are assigned by PostgreSQL and translated everywhere)",
  api_keys: "copy-catalogue.ts",
  people: "copy-catalogue.ts",
  sessions: "copy-catalogue.ts",
  viewer_tokens: "copy-catalogue.ts",
  retention_policies: "copy-retention.ts",
  legal_holds: "copy-retention.ts",
  rule_versions: "copy-detection.ts",
  alerts: "copy-detection.ts",
  alert_follower: "copy-detection.ts",
  notification_channels: "copy-notifications.ts",
  notification_deliveries: "copy-notifications.ts",
  notification_attempts: "copy-notifications.ts",
  notification_cursor: "copy-notifications.ts",
  report_schedules: "copy-report-schedules.ts",
  platform_keys: "copy-platform-keys.ts",
  streams: "copy-streams.ts",
  cosignatures: "copy-cosignatures.ts",
  dual_control: "copy-dual-control.ts",
};

/** Not copied, and why. */
export const NOT_COPIED_TABLES: Readonly<Record<string, string>> = {
  approvals:
    "requests awaiting a second admin are bound to the service that will carry them out; decide them (or let them expire) before the switch-over and ask again on PostgreSQL. Every request and decision is in the tenant's log, which is copied",
};
