// Notification metrics on the service's registry (http/metrics.ts):
// deliveries by result, operator alerts by kind, and the outbox's depth and
// oldest pending age read from the store at scrape time (across nodes).
import type { NotificationStore } from "@trailproof/ledger";
import { Counter, Gauge, type Registry } from "prom-client";

export interface NotifyMetrics {
  /** Attempts by result: delivered, retry, dead. */
  deliveries: Counter<"result">;
  operatorAlerts: Counter<"kind">;
}

const byRegistry = new WeakMap<Registry, NotifyMetrics>();

/** The notification metrics of `registry`, registered once (an app rebuilt on one registry reuses them). */
export function notifyMetrics(registry: Registry, store: NotificationStore): NotifyMetrics {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const deliveries = new Counter({
    name: "trailproof_notification_deliveries_total",
    help: "Webhook delivery attempts by result: delivered, retry (failed, scheduled again), dead (failed, moved to the dead letters)",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const operatorAlerts = new Counter({
    name: "trailproof_operator_alerts_total",
    help: "Operator alerts raised, by kind: self_check_failed, checkpoint_missed, publisher_error",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "trailproof_notification_outbox",
    help: "Deliveries in the outbox by status: pending (not delivered yet) and dead (the dead letters)",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      const stats = await store.outboxStats();
      this.set({ status: "pending" }, stats.pending);
      this.set({ status: "dead" }, stats.dead);
    },
  });
  new Gauge({
    name: "trailproof_notification_oldest_pending_seconds",
    help: "Age of the oldest pending delivery in the outbox (0 when none is pending)",
    registers: [registry],
    async collect() {
      const { oldestPendingAt } = await store.outboxStats();
      this.set(oldestPendingAt === null ? 0 : Math.max(0, (Date.now() - Date.parse(oldestPendingAt)) / 1000));
    },
  });
  const metrics = { deliveries, operatorAlerts };
  byRegistry.set(registry, metrics);
  return metrics;
}
