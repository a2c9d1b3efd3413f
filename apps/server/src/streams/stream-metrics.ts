// Stream health on the service's registry (http/metrics.ts), read at scrape
// time: per stream, its lag in entries and seconds and whether this node
// runs it (from the store, so every node answers alike), and the messages
// delivered and failures this process counted.
import type { Ledger, StreamStore } from "@trailproof/ledger";
import { Gauge, type Registry } from "prom-client";
import type { StreamManager } from "./stream-manager.js";

const registered = new WeakSet<Registry>();

export function registerStreamMetrics(
  registry: Registry,
  ledger: Ledger,
  store: StreamStore,
  manager: () => StreamManager,
): void {
  if (registered.has(registry)) return;
  registered.add(registry);
  const labelNames = ["tenant", "stream"] as const;
  const lagEntries = new Gauge({
    name: "trailproof_stream_lag_entries",
    help: "Log entries a stream has not delivered (or passed over by its filter) yet",
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      lagSeconds.reset();
      running.reset();
      delivered.reset();
      for (const tenant of await ledger.listTenants()) {
        for (const s of await store.listStreams(tenant.tenantId)) {
          const health = await manager().health(s);
          if (health === undefined) continue;
          const labels = { tenant: tenant.name, stream: s.streamId };
          this.set(labels, health.lagEntries);
          lagSeconds.set(labels, health.lagSeconds);
          running.set(labels, health.running ? 1 : 0);
          delivered.set(labels, health.progress.delivered);
        }
      }
    },
  });
  const lagSeconds = new Gauge({
    name: "trailproof_stream_lag_seconds",
    help: "How long ago the oldest entry a stream has not delivered was received (0 when none waits)",
    labelNames,
    registers: [registry],
  });
  const running = new Gauge({
    name: "trailproof_stream_running",
    help: "1 where this node runs the stream now (0: paused, or another node holds it)",
    labelNames,
    registers: [registry],
  });
  const delivered = new Gauge({
    name: "trailproof_stream_delivered",
    help: "Messages a stream has delivered since it was created (from its cursor)",
    labelNames,
    registers: [registry],
  });
  new Gauge({
    name: "trailproof_stream_failures",
    help: "Failed sends of each stream this process ran, since it started",
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [stream, c] of manager().counters) this.set({ tenant: c.tenant, stream }, c.failures);
    },
  });
}
