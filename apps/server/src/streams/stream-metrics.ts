// Stream health on the service's registry (http/metrics.ts), read at scrape
// time: per stream, its lag in entries and seconds, its delivered count and
// whether this node runs it (from the store, so every node answers alike),
// and the failures this process counted. One read of every stream's health
// serves all the gauges of a scrape (prom-client collects them at once).
import type { Ledger, StreamStore } from "@trailproof/ledger";
import { Gauge, type Registry } from "prom-client";
import type { StreamHealth, StreamManager } from "./stream-manager.js";

const registered = new WeakSet<Registry>();

interface Row {
  labels: { tenant: string; stream: string };
  health: StreamHealth;
}

/** How long one read of the streams' health serves the gauges (one scrape). */
const SNAPSHOT_MS = 500;

export function registerStreamMetrics(
  registry: Registry,
  ledger: Ledger,
  store: StreamStore,
  manager: () => StreamManager,
): void {
  if (registered.has(registry)) return;
  registered.add(registry);
  let snapshot: { at: number; rows: Promise<Row[]> } | undefined;
  const rows = (): Promise<Row[]> => {
    const now = Date.now();
    if (snapshot === undefined || now - snapshot.at > SNAPSHOT_MS) {
      snapshot = {
        at: now,
        rows: (async () => {
          const out: Row[] = [];
          for (const tenant of await ledger.listTenants()) {
            for (const s of await store.listStreams(tenant.tenantId)) {
              const health = await manager().health(s);
              if (health) out.push({ labels: { tenant: tenant.name, stream: s.streamId }, health });
            }
          }
          return out;
        })(),
      };
    }
    return snapshot.rows;
  };
  const gauge = (name: string, help: string, value: (h: StreamHealth) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ["tenant", "stream"] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const r of await rows()) this.set(r.labels, value(r.health));
      },
    });
  gauge(
    "trailproof_stream_lag_entries",
    "Log entries a stream has not delivered (or passed over by its filter) yet",
    (h) => h.lagEntries,
  );
  gauge(
    "trailproof_stream_lag_seconds",
    "How long ago the oldest entry a stream has not delivered was received (0 when none waits)",
    (h) => h.lagSeconds,
  );
  gauge(
    "trailproof_stream_running",
    "1 where this node runs the stream now (0: paused, or another node holds it)",
    (h) => (h.running ? 1 : 0),
  );
  gauge(
    "trailproof_stream_delivered",
    "Messages a stream has delivered since it was created (from its cursor)",
    (h) => h.progress.delivered,
  );
  new Gauge({
    name: "trailproof_stream_failures",
    help: "Failed sends of each stream this process ran, since it started",
    labelNames: ["tenant", "stream"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [stream, c] of manager().counters) this.set({ tenant: c.tenant, stream }, c.failures);
    },
  });
}
