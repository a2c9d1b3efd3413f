// Where the acknowledging thread's time goes as the log grows (issue 17): the
// engine in this process on a copy of each growth log, 8 loops appending
// batches of 100 through Ledger.append, with every synchronous store call
// timed: the append commit, the search projection's batch, and the WAL
// checkpoint. With --checkpoints separate, the tenant file's autocheckpoint
// is off and the bench runs the same PASSIVE checkpoint SQLite would (after
// a commit that leaves 1,000 frames or more in the WAL, read from the -shm
// index header), timed on its own; with --checkpoints store, the store runs
// as it is configured. Prints a markdown table.
//
//   npm run bench:growth -- --attribute --sizes 100000,5000000 --seconds 30
import { closeSync, openSync, readSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { hasErrorCode } from "@trailproof/core";
import {
  type AppendBatch,
  type FollowerSink,
  Ledger,
  type LogStore,
  openSqliteStores,
  type SqliteDatabase,
  SqliteSearchProjection,
} from "@trailproof/ledger";
import { copyGrowthLog, growthLog } from "./growth-log.js";
import { ingestBodies } from "./http-ingest.js";
import { BENCH_TENANT } from "./in-process-append.js";
import { settle } from "./settle.js";
import { type LatencySummary, perSecond, progress, summarise } from "./stats.js";

export interface AttributionRun {
  size: number;
  checkpoints: "store" | "separate";
  eventsPerSecond: number;
  /** Appends refused by admission control (INGEST_OVERLOADED), retried after 20 ms. */
  refused: number;
  /** Longest event-loop delay seen (perf_hooks, 10 ms resolution). */
  loopDelayMaxMs: number;
  parts: { name: string; summary: LatencySummary; shareOfWall: number }[];
}

/** The table a projection statement writes, for the breakdown ("other" for reads). */
function statementLabel(sql: string): string {
  const m = /^\s*INSERT(?: OR IGNORE)? INTO (\w+)/i.exec(sql);
  return m ? `projection: ${m[1]}` : "projection: reads";
}

/** `db` with each prepared statement's run/get timed into `into`, by the table it writes. */
function timedStatements(db: SqliteDatabase, into: Map<string, number[]>): SqliteDatabase {
  return {
    prepare(sql) {
      const statement = db.prepare(sql);
      const samples = into.get(statementLabel(sql)) ?? [];
      into.set(statementLabel(sql), samples);
      const time =
        <R>(fn: (...p: unknown[]) => R) =>
        (...p: unknown[]): R => {
          const t0 = performance.now();
          try {
            return fn(...p);
          } finally {
            samples.push(performance.now() - t0);
          }
        };
      return {
        run: time((...p) => statement.run(...p)),
        get: time((...p) => statement.get(...p)),
        all: (...p) => statement.all(...p),
        iterate: (...p) => statement.iterate(...p),
      };
    },
    exec: (sql) => db.exec(sql),
    pragma: (source, options) => db.pragma(source, options),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
}

/** mxFrame of the wal-index header (WalIndexHdr, native byte order): frames in the WAL not yet restarted. */
function walFrames(fd: number): number {
  const head = Buffer.alloc(20);
  return readSync(fd, head, 0, 20, 0) < 20 ? 0 : head.readUInt32LE(16);
}

export async function runAttribution(
  dir: string,
  size: number,
  checkpoints: AttributionRun["checkpoints"],
  seconds: number,
): Promise<AttributionRun> {
  const log = await growthLog(dir, size);
  const copy = copyGrowthLog(dir, log);
  await settle();
  const stores = openSqliteStores(copy.dataDir);
  const times = { commit: [] as number[], projection: [] as number[], checkpoint: [] as number[] };
  let db: SqliteDatabase | undefined;
  let shm = -1;
  const afterCommit = () => {
    if (checkpoints !== "separate" || db === undefined) return;
    if (walFrames(shm) < 1000) return;
    const t0 = performance.now();
    db.pragma("wal_checkpoint(PASSIVE)");
    times.checkpoint.push(performance.now() - t0);
  };
  const timed =
    <A extends unknown[]>(into: number[], fn: (...a: A) => Promise<void>) =>
    async (...a: A) => {
      const t0 = performance.now();
      await fn(...a);
      into.push(performance.now() - t0);
      afterCommit();
    };
  const store: LogStore = new Proxy(stores.log, {
    get(target, p) {
      if (p === "appendBatch") return timed(times.commit, (b: AppendBatch) => target.appendBatch(b));
      const v = Reflect.get(target, p, target) as unknown;
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  // The store's own projection class over a connection whose statements are timed.
  const statements = new Map<string, number[]>();
  const projection = new SqliteSearchProjection((id) => timedStatements(stores.log.tenantDatabase(id), statements));
  const sink: FollowerSink = {
    name: projection.name,
    covered: (tenantId) => projection.covered(tenantId),
    apply: timed(times.projection, (tenantId: number, entries) => projection.apply(tenantId, entries)),
  };
  const ledger = await Ledger.open({ dataDir: copy.dataDir, store, checkpointIntervalMs: 0 });
  const follower = ledger.follow(sink);
  const tenantId = (await ledger.tenantRecord(BENCH_TENANT)).tenantId;
  db = stores.log.tenantDatabase(tenantId);
  if (checkpoints === "separate") db.pragma("wal_autocheckpoint = 0");
  shm = openSync(`${copy.dataDir}/tenants/${BENCH_TENANT}.db-shm`, "r");
  const bodies = ingestBodies(100, `a${Date.now().toString(36)}`);
  let n = 0;
  let refused = 0;
  const loop = async (until: number) => {
    while (performance.now() < until) {
      const { events } = JSON.parse(bodies(n++)) as { events: unknown[] };
      try {
        await ledger.append(BENCH_TENANT, events);
      } catch (err) {
        // Admission control: back off as a client told to retry would, briefly.
        if (!hasErrorCode(err, "INGEST_OVERLOADED")) throw err;
        refused++;
        n--;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  // A warm-up, as the service would have had, then the measured part.
  await Promise.all(Array.from({ length: 8 }, () => loop(performance.now() + 3000)));
  await follower.idle();
  for (const list of [...Object.values(times), ...statements.values()]) list.length = 0;
  progress(`attribution: ${size} entries, checkpoints ${checkpoints}: ${seconds} s ...`);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const first = n;
  refused = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, () => loop(t0 + seconds * 1000)));
  const wallMs = performance.now() - t0;
  delay.disable();
  const events = (n - first) * 100;
  await follower.idle();
  // The store's own checkpoint worker, where it has one: what it did meanwhile.
  const worker = (stores.log as { checkpointStatus?: () => unknown[] }).checkpointStatus?.();
  if (worker) progress(`  checkpoint worker: ${JSON.stringify(worker)}`);
  closeSync(shm);
  await ledger.close();
  copy.remove();
  const part = (name: string, samples: number[]) => ({
    name,
    summary: summarise(samples),
    shareOfWall: samples.reduce((a, b) => a + b, 0) / wallMs,
  });
  const projectionMs = times.projection.reduce((a, b) => a + b, 0);
  const statementMs = [...statements.values()].flat().reduce((a, b) => a + b, 0);
  return {
    size,
    checkpoints,
    eventsPerSecond: perSecond(events, wallMs),
    refused,
    loopDelayMaxMs: Math.round(delay.max / 1e6),
    parts: [
      part("append commit", times.commit),
      part("projection batch", times.projection),
      ...[...statements.entries()].map(([name, samples]) => part(`  ${name}`, samples)),
      {
        name: "  projection: commit and the rest",
        summary: summarise([]),
        shareOfWall: (projectionMs - statementMs) / wallMs,
      },
      part("WAL checkpoint", times.checkpoint),
    ],
  };
}

export function renderAttribution(runs: AttributionRun[], command: string): string {
  const f = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString("en-US"));
  const rows = runs.flatMap((r) =>
    r.parts
      .filter((p) => p.summary.count > 0 || p.shareOfWall > 0)
      .map(
        (p) =>
          `| ${r.size.toLocaleString("en-US")} | ${r.checkpoints} | ${r.eventsPerSecond.toLocaleString("en-US")} | ${r.refused} | ${r.loopDelayMaxMs} | ${p.name} | ${p.summary.count} | ${f(p.summary.p50Ms)} / ${f(p.summary.p99Ms)} / ${f(p.summary.maxMs)} | ${Math.round(p.shareOfWall * 100)}% |`,
      ),
  );
  return `## Where the acknowledging thread's time goes

\`${command}\` (in-process: Ledger.append from 8 loops, batches of 100)

| entries | checkpoints | events/s | refused | event-loop delay max ms | part | calls | p50 / p99 / max ms | share of wall time |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
`;
}
