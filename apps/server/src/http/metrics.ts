// Prometheus metrics of the service (prom-client): append rate and latency,
// queue depth, rejected events by reason, checkpoint age and tree size per
// tenant, auth failures.
import type { Ledger } from "@trailproof/ledger";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export interface ServiceMetrics {
  registry: Registry;
  appendedEvents: Counter<"status">;
  rejectedEvents: Counter<"reason">;
  appendSeconds: Histogram<"batch">;
  authFailures: Counter<"reason">;
  /** Binds the gauges that are read from the ledger at scrape time. */
  bindLedger(ledger: Ledger): void;
}

export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const appendedEvents = new Counter({
    name: "trailproof_events_total",
    help: "Events received by POST /v1/events, by result",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  const rejectedEvents = new Counter({
    name: "trailproof_events_rejected_total",
    help: "Rejected events by the pointer of their first problem",
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
  return {
    registry,
    appendedEvents,
    rejectedEvents,
    appendSeconds,
    authFailures,
    bindLedger(ledger) {
      new Gauge({
        name: "trailproof_ingest_queue_depth",
        help: "Events waiting for the next group commit",
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
