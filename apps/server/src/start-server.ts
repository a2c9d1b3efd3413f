// Starts the service on a data directory or a PostgreSQL database: opens the
// stores, creates the operator credential and the demo tenant on first start
// (printing their keys once), listens, and shuts down gracefully: stop
// accepting, finish in-flight appends, sign a final checkpoint.
import { describeDatabase, openDatabase, type RollbackNotice } from "@trailproof/ledger";
import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import type { ServerConfig } from "./config.js";
import { firstStart } from "./first-start.js";
import { createMetrics } from "./http/metrics.js";
import { applyMemoryPosture } from "./memory-posture.js";
import { databaseOptionsOf } from "./store-config.js";

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Keys created by this start (first start only, and only the node that created them); shown once. */
  created: { operatorKey?: string; demoAdminKey?: string };
  close(): Promise<void>;
}

export interface StartOptions {
  /**
   * Start even though a log is smaller than, or differs from, the checkpoint
   * it last published (`trailproof serve --force-rollback`): a deliberate,
   * one-off operator decision, so a flag rather than a setting.
   */
  forceRollback?: boolean;
}

export async function startServer(
  config: ServerConfig,
  print: (line: string) => void = console.log,
  options: StartOptions = {},
): Promise<RunningServer> {
  applyMemoryPosture();
  const forced: RollbackNotice[] = [];
  const store = databaseOptionsOf(config);
  const data = await openDatabase({
    ...store,
    originPrefix: config.originPrefix,
    checkpointIntervalMs: config.checkpointIntervalMs,
    occurredAtBounds: config.occurredAtBounds,
    admission: {
      maxQueuedEvents: config.ingestMaxQueuedEvents,
      maxQueueDelayMs: config.ingestMaxQueueDelayMs,
      maxFollowerLag: config.ingestMaxFollowerLag,
    },
    forceRollback: options.forceRollback ?? false,
    onForcedRollback: (notice) => forced.push(notice),
  });
  let created: RunningServer["created"];
  try {
    created = await firstStart(data, config);
  } catch (err) {
    await data.ledger.close();
    throw err;
  }
  const app = await buildApp({ ...data, config, metrics: createMetrics() });
  for (const n of forced) {
    // Loud and kept: the service log, and the operator's terminal.
    app.log.error(n, "started on a rolled-back log (--force-rollback)");
    print(
      `WARNING: tenant ${n.tenant}'s log is ${n.kind} (${n.treeSize} entries; it had published ${n.publishedSize}); started anyway with --force-rollback. The old record is kept at ${n.keptAt}.`,
    );
  }
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  const where = store.database === undefined ? describeDatabase(store) : `database: ${describeDatabase(store)}`;
  print(`Trailproof listening on ${url} (${where}; API reference: ${url}/docs)`);
  if (created.operatorKey) print(`operator key (shown once, keep it safe): ${created.operatorKey}`);
  if (created.demoAdminKey) print(`demo tenant admin key (shown once): ${created.demoAdminKey}`);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await data.ledger.close();
    })();
    return closing;
  };
  return { app, url, created, close };
}
