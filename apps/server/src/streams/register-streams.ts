// Streams in the service (docs/streams.md): one StreamManager per ledger
// (tests build several apps over one data directory; the streams run once),
// its routes and metrics, started when the app is ready and stopped when
// it closes.
import type { Ledger } from "@trailproof/ledger";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";
import { StreamManager } from "./stream-manager.js";
import { registerStreamMetrics } from "./stream-metrics.js";
import { defaultDestinations, defaultFormatters } from "./stream-registry.js";
import { registerStreamRoutes } from "./stream-routes.js";

const managers = new WeakMap<Ledger, { manager: StreamManager; users: number }>();

export function registerStreams(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): StreamManager {
  let entry = managers.get(deps.ledger);
  if (entry === undefined) {
    const { config } = deps;
    entry = {
      manager: new StreamManager(
        {
          ledger: deps.ledger,
          streams: deps.streams,
          destinations: defaultDestinations,
          formatters: defaultFormatters,
          log: app.log,
        },
        {
          timeoutMs: config.streamTimeoutMs,
          backoff: { baseMs: config.streamBackoffBaseMs, capMs: config.streamBackoffCapMs },
          batchEntries: config.streamBatchEntries,
          tickMs: config.streamTickMs,
        },
      ),
      users: 0,
    };
    managers.set(deps.ledger, entry);
  }
  const shared = entry;
  registerStreamRoutes(app, deps, audit, shared.manager);
  registerStreamMetrics(deps.metrics.registry, deps.ledger, deps.streams, () => shared.manager);
  app.addHook("onReady", async () => {
    shared.users += 1;
    if (shared.users === 1) await shared.manager.start();
  });
  app.addHook("onClose", async () => {
    shared.users -= 1;
    if (shared.users === 0) {
      await shared.manager.stop();
      managers.delete(deps.ledger);
    }
  });
  return shared.manager;
}
