// Every setting of the service, in one place: defaults, environment
// variables, and what each means (docs/configuration.md mirrors this table).
import { DEFAULT_OCCURRED_AT_BOUNDS, type OccurredAtBounds, parseTimestamp, TrailproofError } from "@trailproof/core";
import { DEFAULT_ADMISSION } from "@trailproof/ledger";
import { DEFAULT_CONSOLE_DIR } from "./http/console-static.js";
import {
  DEFAULT_DATA_DIR,
  DEFAULT_DATABASE_POOL_SIZE,
  DEFAULT_SQLITE_CACHE_MIB,
  loadStoreConfig,
  type StoreConfig,
} from "./store-config.js";
import { parseWitnessList, type WitnessConfig } from "./witness/witness-config.js";

/** The stages of a Kubernetes audit event (audit.k8s.io/v1 Stage). */
export const K8S_AUDIT_STAGES = ["RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"] as const;
export type K8sAuditStage = (typeof K8S_AUDIT_STAGES)[number];

/** Where the stores are (store-config.ts: TRAILPROOF_DATA or TRAILPROOF_DATABASE_URL and its settings), and: */
export interface ServerConfig extends StoreConfig {
  /** TRAILPROOF_HOST: interface to listen on. */
  host: string;
  /** TRAILPROOF_PORT: TCP port. */
  port: number;
  /** TRAILPROOF_ORIGIN_PREFIX: checkpoint origins are `<prefix>/<tenant>`. */
  originPrefix: string;
  /** TRAILPROOF_CHECKPOINT_INTERVAL_MS: sign new entries within this long. */
  checkpointIntervalMs: number;
  /**
   * TRAILPROOF_SELF_CHECK_INTERVAL_MS: how often each tenant's log is checked again where it
   * grew, with a sample of older entries (verify/self-check.ts); 0 turns it off.
   */
  selfCheckIntervalMs: number;
  /**
   * TRAILPROOF_PRUNE_INTERVAL_MS: how often each tenant's entries past
   * retention are pruned, one bounded batch per tenant (retention/prune-schedule.ts); 0 turns it off.
   */
  pruneIntervalMs: number;
  /** TRAILPROOF_NOTIFY_POLL_MS: how often the outbox is looked at for due deliveries; 0 turns sending off. */
  notifyPollMs: number;
  /** TRAILPROOF_NOTIFY_TIMEOUT_MS: longest wait for a webhook's answer. */
  notifyTimeoutMs: number;
  /** TRAILPROOF_NOTIFY_MAX_ATTEMPTS: attempts before a delivery is a dead letter. */
  notifyMaxAttempts: number;
  /** TRAILPROOF_NOTIFY_MAX_AGE_MS: a delivery still failing this long after it was enqueued is a dead letter. */
  notifyMaxAgeMs: number;
  /** TRAILPROOF_NOTIFY_BACKOFF_BASE_MS and _CAP_MS: retry n waits uniformly up to min(cap, base * 2^n). */
  notifyBackoffBaseMs: number;
  notifyBackoffCapMs: number;
  /** TRAILPROOF_NOTIFY_HTTP_HOSTS: hosts a channel may reach over plain http besides 127.0.0.1 and localhost. */
  notifyHttpHosts: string[];
  /** SIEM streams (docs/streams.md): a send's timeout. */
  streamTimeoutMs: number;
  /** Full-jitter backoff of a stream whose destination fails. */
  streamBackoffBaseMs: number;
  streamBackoffCapMs: number;
  /** Entries read per stream batch. */
  streamBatchEntries: number;
  /** How often streams are looked over (leases, pauses from other nodes, other nodes' commits); 0: only at start and on changes. */
  streamTickMs: number;
  /** How often alert rules' clock moves on while a tenant's log is quiet (absences, time limits; docs/alerts.md); 0: never. */
  alertTickMs: number;
  /** TRAILPROOF_CORS_ORIGINS: comma-separated allow-list; empty = no CORS. */
  corsOrigins: string[];
  /** TRAILPROOF_MAX_BODY_BYTES: largest request body. */
  maxBodyBytes: number;
  /**
   * TRAILPROOF_COMPAT_MAX_BODY_BYTES: largest body of a compat endpoint (Retraced, WorkOS, OTLP,
   * CloudEvents, OPA, Kubernetes), compressed and again after inflating gzip.
   */
  compatMaxBodyBytes: number;
  /** TRAILPROOF_MAX_BATCH_EVENTS: most events in one POST /v1/events. */
  maxBatchEvents: number;
  /**
   * TRAILPROOF_K8S_AUDIT_STAGES: the Kubernetes audit stages POST /k8s/audit records (comma list);
   * events of other stages are acknowledged and skipped.
   */
  k8sAuditStages: readonly K8sAuditStage[];
  /** TRAILPROOF_RATE_LIMIT_PER_MINUTE: requests per key per minute. */
  rateLimitPerMinute: number;
  /**
   * TRAILPROOF_INGEST_MAX_QUEUED_EVENTS: events accepted and not yet durable, at most, over all
   * tenants (one tenant: its share, this divided by the tenants in flight plus one); past it
   * appends are refused with 503 or 429 and Retry-After.
   */
  ingestMaxQueuedEvents: number;
  /**
   * TRAILPROOF_INGEST_MAX_QUEUE_DELAY_MS: when the oldest append in flight has waited longer (or
   * what is in flight would take longer to write at the saturated rate), tenants holding more
   * than their share are refused until the writer catches up.
   */
  ingestMaxQueueDelayMs: number;
  /** TRAILPROOF_INGEST_MAX_INFLIGHT_BYTES: request bodies being received or appended, at most, in bytes. */
  ingestMaxInflightBytes: number;
  /**
   * TRAILPROOF_INGEST_MAX_FOLLOWER_LAG: when the search projection is this many entries behind a
   * tenant's log, that tenant's appends are refused (Retry-After) until it catches up.
   */
  ingestMaxFollowerLag: number;
  /**
   * TRAILPROOF_REQUEST_TIMEOUT_MS: a request must arrive whole (line, headers, body) within this
   * long; also the longest a connection may sit silent.
   */
  requestTimeoutMs: number;
  /** TRAILPROOF_HEADERS_TIMEOUT_MS: the request line and headers must arrive within this long (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** TRAILPROOF_KEEP_ALIVE_TIMEOUT_MS: an idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** TRAILPROOF_LOG_LEVEL: pino level (fatal, error, warn, info, debug, silent). */
  logLevel: string;
  /** TRAILPROOF_ACCESS_LOG: one log line per request at info (off: at debug only; requests are counted in /metrics). */
  accessLog: boolean;
  /** TRAILPROOF_DEMO: on an empty data directory or database, create the demo tenant with sample data. */
  demo: boolean;
  /** TRAILPROOF_CONSOLE_DIR: the built web console served at `/` (default: apps/console/dist). */
  consoleDir: string;
  /** TRAILPROOF_EMBED_ORIGINS: comma-separated origins allowed to frame the embedded viewer; empty = same origin only. */
  embedOrigins: string[];
  /**
   * TRAILPROOF_OCCURRED_AT_MIN (an RFC 3339 timestamp or a YYYY-MM-DD date, UTC) and
   * TRAILPROOF_OCCURRED_AT_MAX_AHEAD_MS: events whose occurred_at is earlier, or later than
   * received_at by more, are refused at /occurred_at.
   */
  occurredAtBounds: OccurredAtBounds;
  /**
   * TRAILPROOF_WITNESSES: witnesses asked to cosign every checkpoint (C2SP tlog-witness), as
   * "<witness vkey> <URL>" entries separated by commas or newlines (docs/witness.md); empty: none.
   */
  witnesses: WitnessConfig[];
  /** TRAILPROOF_WITNESS_INTERVAL_MS: how often new checkpoints are submitted to the witnesses; 0 turns it off. */
  witnessIntervalMs: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  dataDir: DEFAULT_DATA_DIR,
  databasePoolSize: DEFAULT_DATABASE_POOL_SIZE,
  sqliteCacheMib: DEFAULT_SQLITE_CACHE_MIB,
  host: "127.0.0.1",
  port: 8080,
  originPrefix: "trailproof.localhost/log",
  checkpointIntervalMs: 1000,
  selfCheckIntervalMs: 600_000,
  pruneIntervalMs: 3_600_000,
  notifyPollMs: 1000,
  notifyTimeoutMs: 10_000,
  notifyMaxAttempts: 12,
  notifyMaxAgeMs: 86_400_000,
  notifyBackoffBaseMs: 2000,
  notifyBackoffCapMs: 3_600_000,
  notifyHttpHosts: [],
  streamTimeoutMs: 10_000,
  streamBackoffBaseMs: 1000,
  streamBackoffCapMs: 300_000,
  streamBatchEntries: 500,
  streamTickMs: 2000,
  alertTickMs: 30_000,
  corsOrigins: [],
  maxBodyBytes: 5 * 1024 * 1024,
  compatMaxBodyBytes: 16 * 1024 * 1024,
  maxBatchEvents: 1000,
  k8sAuditStages: ["ResponseComplete"],
  rateLimitPerMinute: 6000,
  ingestMaxQueuedEvents: DEFAULT_ADMISSION.maxQueuedEvents,
  ingestMaxQueueDelayMs: DEFAULT_ADMISSION.maxQueueDelayMs,
  ingestMaxInflightBytes: 64 * 1024 * 1024,
  ingestMaxFollowerLag: DEFAULT_ADMISSION.maxFollowerLag ?? 50_000,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  logLevel: "info",
  accessLog: false,
  demo: true,
  consoleDir: DEFAULT_CONSOLE_DIR,
  embedOrigins: [],
  occurredAtBounds: DEFAULT_OCCURRED_AT_BOUNDS,
  witnesses: [],
  witnessIntervalMs: 1000,
};

/** TRAILPROOF_OCCURRED_AT_MIN and _MAX_AHEAD_MS over the defaults; throws naming the variable at fault. */
export function occurredAtBoundsFromEnv(env: NodeJS.ProcessEnv): OccurredAtBounds {
  const d = DEFAULT_OCCURRED_AT_BOUNDS;
  const min = env.TRAILPROOF_OCCURRED_AT_MIN;
  let minMs = d.minMs;
  if (min !== undefined && min !== "") {
    const parsed = parseTimestamp(/^\d{4}-\d{2}-\d{2}$/.test(min) ? `${min}T00:00:00Z` : min);
    if ("problem" in parsed) {
      throw new TrailproofError(
        "CONFIG_INVALID",
        `TRAILPROOF_OCCURRED_AT_MIN must be an RFC 3339 timestamp or a YYYY-MM-DD date: ${parsed.problem}`,
      );
    }
    minMs = parsed.ms;
  }
  const ahead = env.TRAILPROOF_OCCURRED_AT_MAX_AHEAD_MS;
  const maxAheadMs = ahead === undefined || ahead === "" ? d.maxAheadMs : Number(ahead);
  if (!Number.isSafeInteger(maxAheadMs) || maxAheadMs < 0) {
    throw new TrailproofError(
      "CONFIG_INVALID",
      `TRAILPROOF_OCCURRED_AT_MAX_AHEAD_MS must be a non-negative integer, not ${JSON.stringify(ahead)}`,
    );
  }
  return { minMs, maxAheadMs };
}

/** TRAILPROOF_K8S_AUDIT_STAGES as a list of stages (the default when unset or empty); throws naming a stage that is none. */
function k8sAuditStagesFromEnv(
  value: string | undefined,
  fallback: readonly K8sAuditStage[],
): readonly K8sAuditStage[] {
  const stages = list(value);
  if (stages.length === 0) return fallback;
  const unknown = stages.filter((s) => !(K8S_AUDIT_STAGES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new TrailproofError(
      "CONFIG_INVALID",
      `TRAILPROOF_K8S_AUDIT_STAGES names ${unknown.map((s) => JSON.stringify(s)).join(", ")}; the stages are ${K8S_AUDIT_STAGES.join(", ")}`,
    );
  }
  return [...new Set(stages)] as K8sAuditStage[];
}

function list(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Settings from the environment over the defaults; `overrides` (CLI flags) win. Throws
 * CONFIG_INVALID, one line naming the variable, for a setting it cannot use.
 */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const num = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === "") return fallback;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new TrailproofError("CONFIG_INVALID", `${name} must be a non-negative integer, not ${JSON.stringify(v)}`);
    return n;
  };
  const flag = (name: string, fallback: boolean) => {
    const v = env[name];
    if (v === undefined || v === "") return fallback;
    if (v === "1" || v === "true") return true;
    if (v === "0" || v === "false") return false;
    throw new TrailproofError("CONFIG_INVALID", `${name} must be 1 or 0 (true or false), not ${JSON.stringify(v)}`);
  };
  const d = DEFAULT_CONFIG;
  const fromEnv: ServerConfig = {
    // The store flags are resolved with their variables: --data and --database exclude each other.
    ...loadStoreConfig(env, {
      data: overrides.dataDir,
      database: overrides.database,
      masterKeyFile: overrides.masterKeyFile,
      migrateDatabase: overrides.migrateDatabase,
    }),
    host: env.TRAILPROOF_HOST || d.host,
    port: num("TRAILPROOF_PORT", d.port),
    originPrefix: env.TRAILPROOF_ORIGIN_PREFIX || d.originPrefix,
    checkpointIntervalMs: num("TRAILPROOF_CHECKPOINT_INTERVAL_MS", d.checkpointIntervalMs),
    selfCheckIntervalMs: num("TRAILPROOF_SELF_CHECK_INTERVAL_MS", d.selfCheckIntervalMs),
    pruneIntervalMs: num("TRAILPROOF_PRUNE_INTERVAL_MS", d.pruneIntervalMs),
    notifyPollMs: num("TRAILPROOF_NOTIFY_POLL_MS", d.notifyPollMs),
    notifyTimeoutMs: num("TRAILPROOF_NOTIFY_TIMEOUT_MS", d.notifyTimeoutMs),
    notifyMaxAttempts: num("TRAILPROOF_NOTIFY_MAX_ATTEMPTS", d.notifyMaxAttempts),
    notifyMaxAgeMs: num("TRAILPROOF_NOTIFY_MAX_AGE_MS", d.notifyMaxAgeMs),
    notifyBackoffBaseMs: num("TRAILPROOF_NOTIFY_BACKOFF_BASE_MS", d.notifyBackoffBaseMs),
    notifyBackoffCapMs: num("TRAILPROOF_NOTIFY_BACKOFF_CAP_MS", d.notifyBackoffCapMs),
    streamTimeoutMs: num("TRAILPROOF_STREAM_TIMEOUT_MS", d.streamTimeoutMs),
    streamBackoffBaseMs: num("TRAILPROOF_STREAM_BACKOFF_BASE_MS", d.streamBackoffBaseMs),
    streamBackoffCapMs: num("TRAILPROOF_STREAM_BACKOFF_CAP_MS", d.streamBackoffCapMs),
    streamBatchEntries: num("TRAILPROOF_STREAM_BATCH_ENTRIES", d.streamBatchEntries),
    streamTickMs: num("TRAILPROOF_STREAM_TICK_MS", d.streamTickMs),
    notifyHttpHosts: list(env.TRAILPROOF_NOTIFY_HTTP_HOSTS).map((h) => h.toLowerCase()),
    alertTickMs: num("TRAILPROOF_ALERT_TICK_MS", d.alertTickMs),
    corsOrigins: list(env.TRAILPROOF_CORS_ORIGINS),
    maxBodyBytes: num("TRAILPROOF_MAX_BODY_BYTES", d.maxBodyBytes),
    compatMaxBodyBytes: num("TRAILPROOF_COMPAT_MAX_BODY_BYTES", d.compatMaxBodyBytes),
    maxBatchEvents: num("TRAILPROOF_MAX_BATCH_EVENTS", d.maxBatchEvents),
    k8sAuditStages: k8sAuditStagesFromEnv(env.TRAILPROOF_K8S_AUDIT_STAGES, d.k8sAuditStages),
    rateLimitPerMinute: num("TRAILPROOF_RATE_LIMIT_PER_MINUTE", d.rateLimitPerMinute),
    ingestMaxQueuedEvents: num("TRAILPROOF_INGEST_MAX_QUEUED_EVENTS", d.ingestMaxQueuedEvents),
    ingestMaxQueueDelayMs: num("TRAILPROOF_INGEST_MAX_QUEUE_DELAY_MS", d.ingestMaxQueueDelayMs),
    ingestMaxInflightBytes: num("TRAILPROOF_INGEST_MAX_INFLIGHT_BYTES", d.ingestMaxInflightBytes),
    ingestMaxFollowerLag: num("TRAILPROOF_INGEST_MAX_FOLLOWER_LAG", d.ingestMaxFollowerLag),
    requestTimeoutMs: num("TRAILPROOF_REQUEST_TIMEOUT_MS", d.requestTimeoutMs),
    headersTimeoutMs: num("TRAILPROOF_HEADERS_TIMEOUT_MS", d.headersTimeoutMs),
    keepAliveTimeoutMs: num("TRAILPROOF_KEEP_ALIVE_TIMEOUT_MS", d.keepAliveTimeoutMs),
    logLevel: env.TRAILPROOF_LOG_LEVEL || d.logLevel,
    accessLog: flag("TRAILPROOF_ACCESS_LOG", d.accessLog),
    demo: env.TRAILPROOF_DEMO === undefined ? d.demo : env.TRAILPROOF_DEMO !== "0" && env.TRAILPROOF_DEMO !== "false",
    consoleDir: env.TRAILPROOF_CONSOLE_DIR || d.consoleDir,
    embedOrigins: list(env.TRAILPROOF_EMBED_ORIGINS),
    occurredAtBounds: occurredAtBoundsFromEnv(env),
    witnesses: parseWitnessList(env.TRAILPROOF_WITNESSES),
    witnessIntervalMs: num("TRAILPROOF_WITNESS_INTERVAL_MS", d.witnessIntervalMs),
  };
  const { dataDir: _d, database: _db, masterKeyFile: _k, migrateDatabase: _m, ...rest } = overrides;
  const config = { ...fromEnv, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
  checkTimeouts(config);
  checkIngestLimits(config);
  return config;
}

/** Admission control with a zero bound would refuse every append. */
function checkIngestLimits(config: ServerConfig): void {
  const zero = (
    [
      ["TRAILPROOF_INGEST_MAX_QUEUED_EVENTS", config.ingestMaxQueuedEvents],
      ["TRAILPROOF_INGEST_MAX_QUEUE_DELAY_MS", config.ingestMaxQueueDelayMs],
      ["TRAILPROOF_INGEST_MAX_INFLIGHT_BYTES", config.ingestMaxInflightBytes],
      ["TRAILPROOF_INGEST_MAX_FOLLOWER_LAG", config.ingestMaxFollowerLag],
    ] as const
  ).filter(([, value]) => value < 1);
  if (zero.length > 0) {
    throw new TrailproofError("CONFIG_INVALID", `${zero.map(([name]) => name).join(" and ")} must be at least 1`);
  }
}

/** Node reads 0 as "no limit", which would let a slow client hold a connection for ever. */
function checkTimeouts(config: ServerConfig): void {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config;
  if (requestTimeoutMs < 1 || headersTimeoutMs < 1 || keepAliveTimeoutMs < 1) {
    throw new TrailproofError(
      "CONFIG_INVALID",
      "TRAILPROOF_REQUEST_TIMEOUT_MS, TRAILPROOF_HEADERS_TIMEOUT_MS and TRAILPROOF_KEEP_ALIVE_TIMEOUT_MS must be at least 1",
    );
  }
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new TrailproofError(
      "CONFIG_INVALID",
      `TRAILPROOF_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed TRAILPROOF_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    );
  }
}
