// Opens everything a data directory holds on the embedded SQLite store: the
// ledger, API keys, people and sessions, the query side, and the search
// follower that keeps the query side's projection behind the log. This is
// where the backend is picked; the engine itself never opens a driver.
import { mkdirSync } from "node:fs";
import type { FollowerSink, LogFollower } from "./follow/log-follower.js";
import { NotificationSink } from "./follow/notification-sink.js";
import { channelSecretSealer } from "./keys/channel-secrets.js";
import { dataDirMasterKey } from "./keys/data-dir-master-key.js";
import { Ledger, type LedgerOptions } from "./ledger.js";
import type { AuditQuery } from "./query/audit-query.js";
import { CheckedAuditQuery } from "./query/checked-audit-query.js";
import type { AccessStore } from "./store/access-store.js";
import type { ApprovalStore } from "./store/approval-store.js";
import type { CosignatureStore } from "./store/cosignature-store.js";
import { MemorySharedState } from "./store/memory-shared-state.js";
import type { NotificationStore } from "./store/notification-store.js";
import type { PeopleStore } from "./store/people-store.js";
import type { ReportScheduleStore } from "./store/report-store.js";
import type { RetentionStore } from "./store/retention-store.js";
import type { RuleStore } from "./store/rule-store.js";
import type { SharedState } from "./store/shared-state.js";
import { openSqliteStores } from "./store/sqlite/open-sqlite-store.js";
import { SqliteCosignatureStore } from "./store/sqlite/sqlite-cosignature-store.js";
import { SqliteNotificationStore } from "./store/sqlite/sqlite-notification-store.js";
import { SqliteStreamStore } from "./store/sqlite/sqlite-stream-store.js";
import type { StreamStore } from "./store/stream-store.js";
import type { DerivedRowsAudit } from "./verify/derived-rows.js";

export interface DataDir {
  ledger: Ledger;
  access: AccessStore;
  /** Dual control: requests that take effect once a different person approves them. */
  approvals: ApprovalStore;
  /** Report schedules (docs/reports.md). */
  reports: ReportScheduleStore;
  /** Retention policies and legal holds (docs/retention.md). */
  retention: RetentionStore;
  /** Alert rules, the alerts they raised and the alert follower's state (docs/alerts.md). */
  rules: RuleStore;
  query: AuditQuery;
  people: PeopleStore;
  /** Keeps the search projection behind the log; `query` reads what it covers. */
  search: LogFollower;
  /** Webhook channels, the outbox and its history (docs/notifications.md). */
  notifications: NotificationStore;
  /** SIEM streams and their cursors (docs/streams.md). */
  streams: StreamStore;
  /** Witnesses' cosignatures on the checkpoints (docs/witness.md). */
  cosignatures: CosignatureStore;
  /** Turns alert.raise and report.generate entries into deliveries in the outbox. */
  notifier: LogFollower;
  /** Calls `listener` each time the notifier enqueued deliveries; it MUST NOT throw. */
  onNotificationsEnqueued(listener: () => void): void;
  /** Resolves once the search projection covers every entry committed so far. */
  settled(): Promise<void>;
  /**
   * Read-your-writes: resolves true once search covers the tenant's first
   * `size` entries (an index + 1), false after timeoutMs.
   */
  waitForSearch(tenantId: number, size: number, timeoutMs: number): Promise<boolean>;
  /** Tenants moved from the layout-1 single file on this open (docs/storage.md). */
  migrated: string[];
  /** What log verification checks beside the leaves (tenantLogReport's `derived`). */
  audits: DerivedRowsAudit[];
  /** Short-lived state every node of the service sees alike (throttles, rate limits, pending sign-ins, jobs). */
  shared: SharedState;
}

export async function openDataDir(
  options: Omit<LedgerOptions, "store" | "dataDir"> & {
    dataDir: string;
    /** Each tenant file's SQLite page cache in MiB (default 32; docs/configuration.md). */
    sqliteCacheMib?: number;
    /** Entries per part of each tenant's full-text index (tests make it small; sqlite-text-parts.ts). */
    sqliteTextPartEntries?: number;
    /** TRAILPROOF_MASTER_KEY_FILE; default <dataDir>/master.key, generated if missing (keys/data-dir-master-key.ts). */
    masterKeyFile?: string;
  },
): Promise<DataDir> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const { sqliteCacheMib, sqliteTextPartEntries, masterKeyFile, ...ledgerOptions } = options;
  const masterKey =
    ledgerOptions.masterKey ?? dataDirMasterKey(options.dataDir, masterKeyFile, ledgerOptions.onMasterKeyCreated);
  const stores = openSqliteStores(options.dataDir, {
    tenantCacheMib: sqliteCacheMib,
    textPartEntries: sqliteTextPartEntries,
  });
  const ledger = await Ledger.open({ ...ledgerOptions, masterKey, store: stores.log });
  // One process is the whole service on the embedded store.
  const sealer = channelSecretSealer(masterKey);
  const notifications = new SqliteNotificationStore(stores.catalogue, sealer);
  const streams = new SqliteStreamStore(stores.catalogue, sealer);
  const cosignatures = new SqliteCosignatureStore(stores.catalogue);
  return followingDataDir(
    ledger,
    { ...stores, notifications, streams, cosignatures },
    { migrated: stores.migrated, shared: new MemorySharedState() },
  );
}

/**
 * The DataDir of a ledger opened on `stores`: the search follower started,
 * and every entry a query returns checked against its own leaf.
 */
export function followingDataDir(
  ledger: Ledger,
  stores: {
    access: AccessStore;
    approvals: ApprovalStore;
    reports: ReportScheduleStore;
    retention: RetentionStore;
    rules: RuleStore;
    people: PeopleStore;
    query: AuditQuery;
    search: FollowerSink;
    audits: DerivedRowsAudit[];
    notifications: NotificationStore;
    streams: StreamStore;
    cosignatures: CosignatureStore;
  },
  rest: Pick<DataDir, "migrated" | "shared">,
): DataDir {
  const search = ledger.follow(stores.search);
  const tenantNames = new Map<number, string>();
  const tenantName = async (tenantId: number): Promise<string> => {
    if (!tenantNames.has(tenantId)) {
      for (const t of await ledger.listTenants()) tenantNames.set(t.tenantId, t.name);
    }
    return tenantNames.get(tenantId) ?? String(tenantId);
  };
  const sink = new NotificationSink(stores.notifications, tenantName);
  const notifier = ledger.follow(sink);
  return {
    ledger,
    access: stores.access,
    approvals: stores.approvals,
    reports: stores.reports,
    retention: stores.retention,
    rules: stores.rules,
    query: new CheckedAuditQuery(stores.query, ledger.readDivergences),
    people: stores.people,
    search,
    notifications: stores.notifications,
    streams: stores.streams,
    cosignatures: stores.cosignatures,
    notifier,
    onNotificationsEnqueued: (listener) => sink.onEnqueued(listener),
    settled: () => search.idle(),
    waitForSearch: (tenantId, size, timeoutMs) => search.waitFor(tenantId, size, timeoutMs),
    audits: stores.audits,
    ...rest,
  };
}
