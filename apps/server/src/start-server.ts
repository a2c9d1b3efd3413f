// Starts the service on a data directory or a PostgreSQL database: opens the
// stores, listens, then creates the operator credential and the demo tenant on
// first start and prints their keys once; shuts down gracefully: stop
// accepting, finish in-flight appends, sign a final checkpoint and say so.
import { TrailproofError } from "@trailproof/core";
import {
  type DatabaseOptions,
  type DataDir,
  describeDatabase,
  generatedMasterKeyWarning,
  openDatabase,
  type RollbackNotice,
} from "@trailproof/ledger";
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
  /** The opened stores (tests append what a service component would, e.g. an alert.raise). */
  data: DataDir;
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
    // Loud, on stderr, once: the key that opens every personal value was just made here.
    onMasterKeyCreated: (path) => process.stderr.write(generatedMasterKeyWarning(path)),
  });
  const app = await buildApp({ ...data, config, metrics: createMetrics() });
  let created: RunningServer["created"];
  try {
    // Listening comes before first start creates anything: a start that cannot
    // listen (the port taken) leaves the stores empty, so the next start
    // creates the keys and prints them, rather than finding them made and
    // never shown.
    await app.listen({ host: config.host, port: config.port }).catch((err: unknown) => {
      throw asListenError(err, config);
    });
    created = await firstStart(data, config);
  } catch (err) {
    await app.close();
    await data.ledger.close();
    throw err;
  }
  for (const n of forced) {
    // Loud and kept: the service log, and the operator's terminal.
    app.log.error(n, "started on a rolled-back log (--force-rollback)");
    print(
      `WARNING: tenant ${n.tenant}'s log is ${n.kind} (${n.treeSize} entries; it had published ${n.publishedSize}); started anyway with --force-rollback. The old record is kept at ${n.keptAt}.`,
    );
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  const where = store.database === undefined ? describeDatabase(store) : `database: ${describeDatabase(store)}`;
  print(`Trailproof listening on ${url} (${where}; API reference: ${url}/docs)`);
  if (created.operatorKey) print(`operator key (shown once, keep it safe): ${created.operatorKey}`);
  if (created.demoAdminKey) print(`demo tenant admin key (shown once): ${created.demoAdminKey}`);
  if (!created.operatorKey) {
    // Keys are shown only by the start that created them: name the way to a new one.
    print(
      `keys are shown once, at first start; a new one: trailproof key create ${storeFlags(store)} --role operator (or --tenant NAME --role admin)`,
    );
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      // Requests are finished: sign what they appended, and say up to where.
      await data.ledger.publishCheckpoints();
      const signed = (await data.ledger.logStatus()).map(
        (l) =>
          `${l.tenant} at tree size ${l.checkpointSize}` +
          // On a shared database the node holding the signing lease signs the rest.
          (l.treeSize > l.checkpointSize ? ` (of ${l.treeSize}; another node signs the rest)` : ""),
      );
      await data.ledger.close();
      print(
        signed.length === 0
          ? "Trailproof stopped: no log was opened, so none had entries to sign"
          : `Trailproof stopped: final checkpoint signed for ${signed.join(", ")}`,
      );
    })();
    return closing;
  };
  return { app, url, created, data, close };
}

/** The flags that name `store` on the command line, as `trailproof key create` takes them (no password). */
function storeFlags(store: DatabaseOptions): string {
  if (store.database === undefined) return `--data ${store.dataDir}`;
  const key = store.masterKeyFile === undefined ? "" : ` --master-key-file ${store.masterKeyFile}`;
  return `--database '${describeDatabase(store)}'${key}`;
}

/** A refused listen as one LISTEN_FAILED line naming the address and the fix; nothing has been created. */
function asListenError(err: unknown, config: ServerConfig): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (!(err instanceof Error) || typeof code !== "string" || !/^E[A-Z_]+$/.test(code)) return err;
  const [why, fix] = LISTEN_REFUSALS[code] ?? [
    code,
    "pass another --port or --host (TRAILPROOF_PORT, TRAILPROOF_HOST)",
  ];
  return new TrailproofError(
    "LISTEN_FAILED",
    `cannot listen on ${config.host}:${config.port} (${why === code ? code : `${why}, ${code}`}): ${fix}`,
    { cause: err },
  );
}

/** listen()'s refusals: what happened, in words, and the fix. */
const LISTEN_REFUSALS: Record<string, [string, string]> = {
  EADDRINUSE: ["the port is in use", "stop what uses it or pass another --port (TRAILPROOF_PORT)"],
  EACCES: ["permission denied", "pass a --port above 1023, or run as a user allowed to bind it (TRAILPROOF_PORT)"],
  EADDRNOTAVAIL: ["no interface here has that address", "pass an address of this machine to --host (TRAILPROOF_HOST)"],
  ENOTFOUND: ["no such host", "pass an address or host name of this machine to --host (TRAILPROOF_HOST)"],
  EAI_AGAIN: ["the host name could not be resolved", "pass an IP address to --host (TRAILPROOF_HOST)"],
};
