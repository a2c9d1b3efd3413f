// Trailproof in-process: append through the ledger library with full sealing
// (validate, canonicalise, hash, extend the tree, index, fsync), batches of
// `batch` with `concurrency` appends in flight, as a service's handlers would.
import { statSync } from "node:fs";
import { join } from "node:path";
import { openDataDir, provisionTenant } from "@trailproof/ledger";
import type { InsertResult } from "./baseline-sqlite.js";
import { eventChunks } from "./event-generator.js";
import { perSecond, runLoops, Stopwatch } from "./stats.js";

export const BENCH_TENANT = "bench";

export interface AppendRun extends InsertResult {
  concurrency: number;
  /** Admin key of the tenant, for the HTTP phases that serve this data directory. */
  adminKey: string;
  checkpoints: number;
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
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 1000 });
  const { adminKey } = await provisionTenant(data.ledger, data.access, BENCH_TENANT, { createdBy: "bench" });
  const watch = new Stopwatch();
  for (const chunk of eventChunks(total)) {
    let next = 0;
    await watch.time(() =>
      runLoops(concurrency, async () => {
        if (next >= chunk.length) return false;
        const from = next;
        next += batch;
        const results = await data.ledger.append(BENCH_TENANT, chunk.slice(from, from + batch));
        const bad = results.find((r) => r.status !== "created");
        if (bad) throw new Error(`append failed: ${JSON.stringify(bad)}`);
        return true;
      }),
    );
  }
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
    databaseMb: Math.round(statSync(join(dataDir, "trailproof.db")).size / 2 ** 20),
    benchProcessPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
