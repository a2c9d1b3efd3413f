// Prometheus metrics of the service (prom-client): requests by route, append
// rate and latency, queue depth, how far the search projection lags the log,
// rejected events by reason, checkpoint age and tree size per tenant, auth
// failures. Every label takes values from a fixed set (or from tenant names,
// created by the operator or by a platform key the operator allowed to create
// them): nothing else a request sends, such as a rejected event's field names
// or an unmatched path, becomes a label.
import { EventInputSchema } from "@trailproof/core";
import type { Ledger } from "@trailproof/ledger";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface ServiceMetrics {
  registry: Registry;
  /** Requests answered, by route pattern, method and status class (the access log's counts). */
  httpRequests: Counter<"route" | "method" | "status">;
  appendedEvents: Counter<"status">;
  rejectedEvents: Counter<"reason">;
  appendSeconds: Histogram<"batch">;
  authFailures: Counter<"reason">;
  /** Ingest requests refused by admission control or the rate limit (http/ingest-admission.ts). */
  ingestRefusals: Counter<"reason">;
  /** Scheduled self-checks of a tenant's log, by result (verify/self-check.ts). */
  selfChecks: Counter<"tenant" | "result">;
  /** When each tenant's last self-check ended, and whether it passed. */
  selfCheckLast: Gauge<"tenant" | "result">;
  /** Binds the gauges that are read from the ledger at scrape time. */
  bindLedger(ledger: Ledger): void;
  /** Binds the gauge of request bodies being received or appended. */
  bindInflightBytes(read: () => number): void;
}

export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: "trailproof_http_requests_total",
    help: "Requests answered, by route pattern (unmatched for none), method and status class",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const appendedEvents = new Counter({
    name: "trailproof_events_total",
    help: "Events received by POST /v1/events, by result",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  const rejectedEvents = new Counter({
    name: "trailproof_events_rejected_total",
    help: "Rejected events by the envelope field of their first problem (other: a field the envelope does not define)",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const appendSeconds = new Histogram({
    name: "trailproof_append_seconds",
    help: "Time from receiving a batch to its durable acknowledgement",
    labelNames: ["batch"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const authFailures = new Counter({
    name: "trailproof_auth_failures_total",
    help: "Requests refused by authentication or authorisation",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const ingestRefusals = new Counter({
    name: "trailproof_ingest_refusals_total",
    help: "Ingest requests refused with Retry-After, by reason: queue_full, queue_delay (503: the service is at capacity), tenant_share (429: this tenant holds more than its share), inflight_bytes (503), rate_limit (429: the key's request rate)",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const selfChecks = new Counter({
    name: "trailproof_self_checks_total",
    help: "Scheduled self-checks of a tenant's log (new entries hashed to the signed root, a sample of older ones proven), by result: ok or failed",
    labelNames: ["tenant", "result"] as const,
    registers: [registry],
  });
  const selfCheckLast = new Gauge({
    name: "trailproof_self_check_last_timestamp_seconds",
    help: "When each tenant's last self-check ended, labelled with its result (ok or failed)",
    labelNames: ["tenant", "result"] as const,
    registers: [registry],
  });
  return {
    registry,
    httpRequests,
    selfChecks,
    selfCheckLast,
    appendedEvents,
    rejectedEvents,
    appendSeconds,
    authFailures,
    ingestRefusals,
    bindInflightBytes(read) {
      new Gauge({
        name: "trailproof_ingest_inflight_bytes",
        help: "Bytes of ingest request bodies being received or appended (bounded by TRAILPROOF_INGEST_MAX_INFLIGHT_BYTES)",
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
    bindLedger(ledger) {
      const commitSeconds = new Histogram({
        name: "trailproof_commit_seconds",
        help: "Duration of each group commit (one durable transaction per tenant in it)",
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      });
      const commitEvents = new Histogram({
        name: "trailproof_commit_events",
        help: "Events written by each group commit",
        buckets: [1, 10, 100, 500, 1000, 2500, 5000],
        registers: [registry],
      });
      ledger.commitTimings.on((t) => {
        commitSeconds.observe(t.seconds);
        commitEvents.observe(t.items);
      });
      new Gauge({
        name: "trailproof_ingest_queue_delay_seconds",
        help: "How long the oldest append in flight has waited (admission control refuses heavy tenants past TRAILPROOF_INGEST_MAX_QUEUE_DELAY_MS)",
        registers: [registry],
        collect() {
          this.set(ledger.queueDelayMs() / 1000);
        },
      });
      const readDivergences = new Counter({
        name: "trailproof_read_divergences_total",
        help: "Entries a read left out because a stored row contradicted the entry's leaf (run trailproof verify)",
        labelNames: ["kind"] as const,
        registers: [registry],
      });
      ledger.readDivergences.on((d) => readDivergences.inc({ kind: d.kind }));
      new Gauge({
        name: "trailproof_ingest_queue_depth",
        help: "Events accepted and not yet durable (being sealed, waiting for a group commit, or in one)",
        registers: [registry],
        collect() {
          this.set(ledger.pendingEvents);
        },
      });
      new Gauge({
        name: "trailproof_tree_size",
        help: "Entries in each tenant's log",
        labelNames: ["tenant"] as const,
        registers: [registry],
        async collect() {
          for (const s of await ledger.logStatus()) this.set({ tenant: s.tenant }, s.treeSize);
        },
      });
      new Gauge({
        name: "trailproof_follower_lag_entries",
        help: "Committed entries a follower of the log (the search projection) has not applied yet, over all tenants",
        labelNames: ["follower"] as const,
        registers: [registry],
        collect() {
          for (const [follower, lag] of followerLag(ledger)) this.set({ follower }, lag);
        },
      });
      new Gauge({
        name: "trailproof_checkpoint_age_seconds",
        help: "Seconds since each tenant's latest checkpoint was signed",
        labelNames: ["tenant"] as const,
        registers: [registry],
        async collect() {
          const now = Date.now();
          for (const s of await ledger.logStatus()) {
            if (s.checkpointSignedAt) this.set({ tenant: s.tenant }, (now - Date.parse(s.checkpointSignedAt)) / 1000);
          }
        },
      });
    },
  };
}

/** Entries behind, per follower name (names are fixed in code, so the label set is bounded). */
function followerLag(ledger: Ledger): Map<string, number> {
  const lag = new Map<string, number>();
  for (const follower of ledger.followers) {
    for (const s of follower.status())
      lag.set(s.follower, (lag.get(s.follower) ?? 0) + Math.max(0, s.size - s.covered));
  }
  return lag;
}

const ENVELOPE_FIELDS = new Set(Object.keys(EventInputSchema.properties));

/**
 * The label of a rejected event: the envelope field its first problem points
 * into, "event" for the whole event, "other" for any name the envelope does
 * not define. The pointer comes from the client's event (an unknown field is
 * named in it), so it is never used as a label as it is.
 */
export function rejectionReason(pointer: string | undefined): string {
  const field = pointer?.split("/")[1];
  if (field === undefined || field === "") return "event";
  return ENVELOPE_FIELDS.has(field) ? field : "other";
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Labels of one answered request; `route` is the registered pattern, never the requested path. */
export function requestLabels(
  route: string | undefined,
  method: string,
  statusCode: number,
): { route: string; method: string; status: string } {
  return {
    route: route ?? "unmatched",
    method: METHODS.has(method) ? method : "other",
    status: `${Math.min(5, Math.max(1, Math.floor(statusCode / 100)))}xx`,
  };
}
