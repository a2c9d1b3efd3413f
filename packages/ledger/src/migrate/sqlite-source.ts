// A SQLite data directory opened read-only as the source of a copy into
// PostgreSQL (migrate-data-dir.ts): the log through the SqliteStore, the
// catalogue's rows and the key files read as they are. Nothing here writes.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TrailproofError } from "@trailproof/core";
import Database from "better-sqlite3";
import type { KeyItemMode } from "../keys/key-vault.js";
import type { ApiKeyRecord, PlatformKeyRecord } from "../store/access-store.js";
import {
  type ApiKeyRow,
  type PersonRow,
  type PlatformKeyRow,
  type SessionRow,
  toApiKey,
  toPerson,
  toPlatformKey,
  toSession,
  toViewerToken,
  type ViewerTokenRow,
} from "../store/catalogue-rows.js";
import { type CosignatureRow, toCosignature } from "../store/cosignature-rows.js";
import type { CosignatureRecord } from "../store/cosignature-store.js";
import {
  type AttemptRow,
  type ChannelRow,
  type DeliveryRow,
  toAttempt,
  toChannel,
  toDelivery,
} from "../store/notification-rows.js";
import type { ChannelRecord, DeliveryAttempt, DeliveryRecord } from "../store/notification-store.js";
import type { PersonRecord, SessionRecord, ViewerTokenRecord } from "../store/people-store.js";
import { type ReportScheduleRow, toReportSchedule } from "../store/report-rows.js";
import type { ReportScheduleRecord } from "../store/report-store.js";
import { type LegalHold, type LegalHoldRow, type RetentionPolicy, toLegalHold } from "../store/retention-store.js";
import { type AlertRow, type RuleVersionRow, toAlert, toRuleVersion } from "../store/rule-rows.js";
import type { AlertFollowerState, AlertRecord, RuleVersionRecord } from "../store/rule-store.js";
import type { SqliteDatabase } from "../store/sqlite/sqlite-database.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import { SqliteTenantFiles } from "../store/sqlite/sqlite-tenant-files.js";
import { SQLITE_LAYOUT_VERSION } from "../store/sqlite/sqlite-tenant-schema.js";
import { type StreamRow, toProgress, toStream } from "../store/stream-rows.js";
import type { StreamProgress, StreamRecord } from "../store/stream-store.js";

/** One item of a tenant's FileKeyVault (keys/<tenant>/<name>). */
export interface KeyFileItem {
  name: string;
  value: Uint8Array;
  /** From the file's mode: a file only its owner may read is a secret (FileKeyVault writes 0600). */
  mode: KeyItemMode;
}

export interface SqliteSource {
  /** The log, read through the same store the service uses; its writing methods MUST NOT be called. */
  log: SqliteStore;
  apiKeys(): ApiKeyRecord[];
  people(): PersonRecord[];
  sessions(): SessionRecord[];
  viewerTokens(): ViewerTokenRecord[];
  keyItems(tenant: string): KeyFileItem[];
  /** The service's state beside the log (copy-state.ts), every tenant's, by source tenant id. */
  state: SqliteStateReader;
  close(): Promise<void>;
}

/** A tenant's retention policy as stored (only tenants that ever set one). */
export interface StoredPolicyRow {
  tenantId: number;
  policy: RetentionPolicy;
  updatedBy: string;
  updatedAt: string;
}

/** A row whose secret is sealed under the data directory's master key, as stored. */
export interface Sealed<T> {
  record: T;
  secretSealed: string | null;
}

export interface SqliteStateReader {
  retentionPolicies(): StoredPolicyRow[];
  legalHolds(): LegalHold[];
  ruleVersions(): RuleVersionRecord[];
  alerts(): AlertRecord[];
  alertFollowers(): (AlertFollowerState & { tenantId: number })[];
  channels(): Sealed<ChannelRecord>[];
  notificationCursors(): { tenantId: number; covered: number }[];
  deliveries(): DeliveryRecord[];
  attempts(deliveryId: string): DeliveryAttempt[];
  reportSchedules(): ReportScheduleRecord[];
  platformKeys(): PlatformKeyRecord[];
  streams(): (Sealed<StreamRecord> & { progress: StreamProgress })[];
  cosignatures(): CosignatureRecord[];
  dualControl(): { tenantId: number; singleAdmin: boolean; setBy: string; setAt: string }[];
}

/**
 * Opens `dataDir` with every SQLite file read-only (openSqliteStores opens
 * them for writing and upgrades old layouts, so it is not used here).
 * Throws MIGRATE_SOURCE_INVALID for a directory without a catalogue, or one
 * whose layout this build would first have to upgrade: open it once with
 * `trailproof verify --data`, which upgrades it, then copy.
 */
export function openSqliteSource(dataDir: string): SqliteSource {
  const cataloguePath = join(dataDir, "trailproof.db");
  if (!existsSync(cataloguePath)) {
    throw new TrailproofError("MIGRATE_SOURCE_INVALID", `${dataDir} holds no trailproof.db: not a data directory`);
  }
  const open = (path: string): SqliteDatabase => readOnly(path);
  const catalogue = open(cataloguePath);
  const layout = catalogue.pragma("user_version", { simple: true }) as number;
  if (layout !== SQLITE_LAYOUT_VERSION) {
    catalogue.close();
    throw new TrailproofError(
      "MIGRATE_SOURCE_INVALID",
      `${cataloguePath} has layout ${layout}, this build copies layout ${SQLITE_LAYOUT_VERSION}: run \`trailproof verify --data ${dataDir}\` once with this build (it upgrades the layout), then migrate`,
    );
  }
  const log = new SqliteStore(catalogue, new SqliteTenantFiles(join(dataDir, "tenants"), open));
  const all = <T>(sql: string): T[] => catalogue.prepare(sql).all() as T[];
  return {
    log,
    apiKeys: () => all<ApiKeyRow>("SELECT * FROM api_keys ORDER BY created_at, key_id").map(toApiKey),
    people: () => all<PersonRow>("SELECT * FROM people ORDER BY tenant_id, username").map(toPerson),
    sessions: () => all<SessionRow>("SELECT * FROM sessions ORDER BY created_at, session_hash").map(toSession),
    viewerTokens: () =>
      all<ViewerTokenRow>("SELECT * FROM viewer_tokens ORDER BY created_at, token_id").map(toViewerToken),
    keyItems: (tenant) => readKeyItems(join(dataDir, "keys", tenant)),
    state: stateReader(catalogue),
    close: () => log.close(),
  };
}

/**
 * The state tables read as they are, in a stable order. A table a data
 * directory never created (a feature never used before this layout) reads
 * as empty.
 */
function stateReader(db: SqliteDatabase): SqliteStateReader {
  const present = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
  );
  const all = <T>(table: string, sql: string, ...params: unknown[]): T[] =>
    present.has(table) ? (db.prepare(sql).all(...params) as T[]) : [];
  const json = (v: string) => JSON.parse(v);
  return {
    retentionPolicies: () =>
      all<{ tenant_id: number; policy: string; updated_by: string; updated_at: string }>(
        "retention_policies",
        "SELECT * FROM retention_policies ORDER BY tenant_id",
      ).map((r) => ({
        tenantId: r.tenant_id,
        policy: json(r.policy),
        updatedBy: r.updated_by,
        updatedAt: r.updated_at,
      })),
    legalHolds: () =>
      all<LegalHoldRow>("legal_holds", "SELECT * FROM legal_holds ORDER BY tenant_id, placed_at, hold_id").map(
        toLegalHold,
      ),
    ruleVersions: () =>
      all<RuleVersionRow>("rule_versions", "SELECT * FROM rule_versions ORDER BY tenant_id, log_index, rule_id").map(
        toRuleVersion,
      ),
    alerts: () => all<AlertRow>("alerts", "SELECT * FROM alerts ORDER BY tenant_id, log_index, alert_id").map(toAlert),
    alertFollowers: () =>
      all<{ tenant_id: number; covered: number; snapshot: string | null }>(
        "alert_follower",
        "SELECT * FROM alert_follower ORDER BY tenant_id",
      ).map((r) => ({
        tenantId: r.tenant_id,
        covered: r.covered,
        snapshot: r.snapshot === null ? null : json(r.snapshot),
      })),
    channels: () =>
      all<ChannelRow & { secret_sealed: string }>(
        "notification_channels",
        "SELECT * FROM notification_channels ORDER BY created_at, channel_id",
      ).map((r) => ({ record: toChannel(r), secretSealed: r.secret_sealed })),
    notificationCursors: () =>
      all<{ tenant_id: number; covered: number }>(
        "notification_cursor",
        "SELECT * FROM notification_cursor ORDER BY tenant_id",
      ).map((r) => ({ tenantId: r.tenant_id, covered: r.covered })),
    deliveries: () =>
      all<DeliveryRow>(
        "notification_deliveries",
        "SELECT * FROM notification_deliveries ORDER BY created_at, delivery_id",
      ).map(toDelivery),
    attempts: (deliveryId) =>
      all<AttemptRow>(
        "notification_attempts",
        "SELECT * FROM notification_attempts WHERE delivery_id = ? ORDER BY attempt",
        deliveryId,
      ).map(toAttempt),
    reportSchedules: () =>
      all<ReportScheduleRow>("report_schedules", "SELECT * FROM report_schedules ORDER BY created_at, schedule_id").map(
        toReportSchedule,
      ),
    platformKeys: () =>
      all<PlatformKeyRow>("platform_keys", "SELECT * FROM platform_keys ORDER BY created_at, key_id").map(
        toPlatformKey,
      ),
    streams: () =>
      all<StreamRow>("streams", "SELECT * FROM streams ORDER BY created_at, stream_id").map((r) => ({
        record: toStream(r),
        secretSealed: r.secret_sealed,
        progress: toProgress(r),
      })),
    cosignatures: () =>
      all<CosignatureRow>(
        "cosignatures",
        "SELECT * FROM cosignatures ORDER BY tenant_id, tree_size, received_at, witness_key",
      ).map(toCosignature),
    dualControl: () =>
      all<{ tenant_id: number; single_admin: number; set_by: string; set_at: string }>(
        "dual_control",
        "SELECT * FROM dual_control ORDER BY tenant_id",
      ).map((r) => ({ tenantId: r.tenant_id, singleAdmin: r.single_admin === 1, setBy: r.set_by, setAt: r.set_at })),
  };
}

/**
 * A connection SQLite itself refuses every write on. SqliteTenantFiles asks
 * for `PRAGMA optimize` on open, which may write planner statistics: that
 * one request is skipped here (its other statements only read on a file
 * that already has the current layout).
 */
function readOnly(path: string): SqliteDatabase {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  return {
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => db.exec(sql),
    pragma: (source, options) => (/^\s*optimize\b/i.test(source) ? undefined : db.pragma(source, options)),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
}

/** Every item file of one tenant's key directory; `*.tmp` files are writes a crash cut short. */
function readKeyItems(dir: string): KeyFileItem[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.endsWith(".tmp") && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const others = statSync(path).mode & 0o077;
      return { name, value: new Uint8Array(readFileSync(path)), mode: others === 0 ? "secret" : "public" };
    });
}
