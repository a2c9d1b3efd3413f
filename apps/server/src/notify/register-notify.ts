// Notifications in the service (docs/notifications.md): the channel and
// delivery routes, the delivery worker, and operator alerts, started when
// the app is ready and stopped when it closes.
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";
import { registerChannelRoutes } from "./channel-routes.js";
import { registerDeliveryRoutes } from "./delivery-routes.js";
import { DeliveryWorker } from "./delivery-worker.js";
import { notifyMetrics } from "./notify-metrics.js";
import { OperatorAlerts } from "./operator-alerts.js";

export function registerNotifications(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): OperatorAlerts {
  const { config } = deps;
  const metrics = notifyMetrics(deps.metrics.registry, deps.notifications);
  const worker = new DeliveryWorker(
    { notifications: deps.notifications, hasher: deps.ledger.hasher, metrics, log: app.log },
    {
      pollMs: config.notifyPollMs,
      timeoutMs: config.notifyTimeoutMs,
      maxAttempts: config.notifyMaxAttempts,
      maxAgeMs: config.notifyMaxAgeMs,
      backoff: { baseMs: config.notifyBackoffBaseMs, capMs: config.notifyBackoffCapMs },
    },
  );
  const alerts = new OperatorAlerts(
    { ledger: deps.ledger, notifications: deps.notifications, metrics, log: app.log, kick: () => worker.kick() },
    config.checkpointIntervalMs,
  );
  registerChannelRoutes(app, deps, audit, worker);
  registerDeliveryRoutes(app, deps, audit, worker);
  // Deliveries the follower just enqueued go out at once, not at the next poll.
  deps.onNotificationsEnqueued?.(() => worker.kick());
  app.addHook("onReady", async () => {
    worker.start();
    alerts.start();
  });
  app.addHook("onClose", async () => {
    await alerts.stop();
    await worker.stop();
  });
  return alerts;
}
