// What buildApp needs, passed in so tests build the app on a real store
// without listening, and main.ts wires the real drivers.
import type {
  AccessStore,
  ApprovalStore,
  AuditQuery,
  CosignatureStore,
  DerivedRowsAudit,
  Ledger,
  NotificationStore,
  PeopleStore,
  ReportScheduleStore,
  RetentionStore,
  RuleStore,
  SharedState,
  StreamStore,
} from "@trailproof/ledger";
import type { ServerConfig } from "./config.js";
import type { ServiceMetrics } from "./http/metrics.js";

export interface AppDeps {
  ledger: Ledger;
  access: AccessStore;
  /** Dual control's requests and each tenant's setting (approvals/dual-control.ts). */
  approvals: ApprovalStore;
  /** Report schedules (reports/report-schedule.ts). */
  reports: ReportScheduleStore;
  /** Retention policies and legal holds (docs/retention.md). */
  retention: RetentionStore;
  /** Alert rules, the alerts they raised and the alert follower's state (docs/alerts.md). */
  rules: RuleStore;
  /** The clock retention is measured against (tests move it); default Date.now. */
  retentionNow?: () => number;
  query: AuditQuery;
  people: PeopleStore;
  /** Webhook channels, the outbox and its attempts (docs/notifications.md). */
  notifications: NotificationStore;
  /** SIEM streams and their cursors (docs/streams.md). */
  streams: StreamStore;
  /** Witnesses' cosignatures on the checkpoints (docs/witness.md). */
  cosignatures: CosignatureStore;
  /** Tells of deliveries the notification follower enqueued (the worker sends them at once); absent: it polls. */
  onNotificationsEnqueued?: (listener: () => void) => void;
  /**
   * State every node must see alike: sign-in throttles, pending sign-ins,
   * read deduplication, rate-limit counters and verification jobs. In
   * memory on the embedded store; in the database behind several nodes.
   */
  shared: SharedState;
  config: ServerConfig;
  metrics: ServiceMetrics;
  /**
   * Resolves true once the search projection covers the tenant's first `size`
   * entries, false after timeoutMs. Absent where the store indexes in the commit.
   */
  waitForSearch?: (tenantId: number, size: number, timeoutMs: number) => Promise<boolean>;
  /** Rows the store keeps beside the leaves, which log verification checks against them. */
  audits?: readonly DerivedRowsAudit[];
  /** Test seam of the alert follower (alerts/alert-follower.ts AlertFollowerOptions.beforeSave): a crash between its steps. */
  alertFollower?: { beforeSave?: (tenantId: number) => void | Promise<void> };
  /** Logger options for fastify; false in tests that want quiet. */
  logger?: boolean | { level: string };
}
