// Trailproof in-process: append through the ledger library with full sealing
// (validate, canonicalise, hash, extend the tree, index, fsync), batches of
// `batch` with `concurrency` appends in flight, as a service's handlers would.
// Done means searchable: the timed part ends once every follower (the search
// projection) covers the whole committed log. Then, untimed, a small second
// tenant gets the same kind of events, for the search case that asks whether
// one tenant's data slows another's search.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type DataDir, openDataDir, provisionTenant } from "@trailproof/ledger";
import type { InsertResult } from "./baseline-sqlite.js";
import { eventChunks } from "./event-generator.js";
import { perSecond, runLoops, Stopwatch } from "./stats.js";

export const BENCH_TENANT = "bench";
/** The small tenant beside the big one, in the same data directory. */
export const SMALL_TENANT = "bench-small";
export const SMALL_TENANT_EVENTS = 2000;

/** What openDataDir returns, with the store's settled() where it exists (older stores have none). */
type Settling = { settled?: () => Promise<void> };

export interface AppendRun extends InsertResult {
  concurrency: number;
  /** Admin key of the tenant, for the HTTP phases that serve this data directory. */
  adminKey: string;
  checkpoints: number;
  /** Whether the store had settled() to wait for its search projection (older stores index in the commit). */
  waitedForProjection: boolean;
  smallTenantEvents: number;
  databaseMb: number;
  /** Peak RSS of the bench process itself, generated events included. */
  benchProcessPeakRssMb: number;
}

export async function runInProcessAppend(
  dataDir: string,
  total: number,
  batch: number,
  concurrency: number,
): Promise<AppendRun> {
  // The bench bounds its own appends in flight (concurrency x batch) to find
  // the writer's ceiling; admission control is what bench:overload measures.
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 1000, admission: { maxQueueDelayMs: 600_000 } });
  const { adminKey } = await provisionTenant(data.ledger, data.access, BENCH_TENANT, { createdBy: "bench" });
  const settling = data as Settling;
  const watch = new Stopwatch();
  for (const chunk of eventChunks(total)) {
    let next = 0;
    // Settled per chunk, inside the timed part: a projection left to catch up
    // while the next chunk is generated (untimed) would be work for free.
    await watch.time(async () => {
      await runLoops(concurrency, async () => {
        if (next >= chunk.length) return false;
        const from = next;
        next += batch;
        const results = await data.ledger.append(BENCH_TENANT, chunk.slice(from, from + batch));
        const bad = results.find((r) => r.status !== "created");
        if (bad) throw new Error(`append failed: ${JSON.stringify(bad)}`);
        return true;
      });
      await settling.settled?.();
    });
  }
  await appendAll(data, SMALL_TENANT, SMALL_TENANT_EVENTS, batch);
  await data.ledger.publishCheckpoints();
  const checkpoints = (await data.ledger.checkpoints(BENCH_TENANT)).length;
  await data.ledger.close();
  return {
    events: total,
    eventsPerSecond: perSecond(total, watch.ms),
    seconds: watch.ms / 1000,
    batch,
    concurrency,
    adminKey,
    checkpoints,
    waitedForProjection: typeof settling.settled === "function",
    smallTenantEvents: SMALL_TENANT_EVENTS,
    databaseMb: Math.round(directoryBytes(dataDir) / 2 ** 20),
    benchProcessPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** Another tenant's events, untimed: the same generator (and words), its own ids. */
export async function appendAll(data: DataDir & Settling, tenant: string, total: number, batch: number): Promise<void> {
  const { ledger } = data;
  await provisionTenant(ledger, data.access, tenant, { createdBy: "bench" });
  for (const chunk of eventChunks(total, { idPrefix: "s", seed: 99 })) {
    for (let from = 0; from < chunk.length; from += batch) {
      const results = await ledger.append(tenant, chunk.slice(from, from + batch));
      const bad = results.find((r) => r.status !== "created");
      if (bad) throw new Error(`append failed: ${JSON.stringify(bad)}`);
    }
  }
  await data.settled?.();
}

/** Bytes of the data directory's files (one database file or one per tenant, with WAL files). */
function directoryBytes(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}
