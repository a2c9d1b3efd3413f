// The soak: the real service (in a child process) takes an open-loop
// ingest at 80% of the maximum rate measured first (closed loop, batches of
// 100 from 8 clients, as the bench measures it) for N minutes, one row per
// minute: offered and acknowledged events/s, errors, ack latency from each
// request's scheduled send time (p50/p99/max), resident memory, and how far
// the search projection lags. Afterwards the projection must catch up, the
// service stop cleanly and its data directory verify.
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ingestBodies, ingestKeyOn, waitForFollowers } from "../../bench/http-ingest.js";
import { httpCall, type LoadResult, runLoad } from "../../bench/http-load.js";
import { runOpenLoad } from "../../bench/http-open-loop.js";
import { currentRssMb, RssSampler } from "../../bench/rss-sampler.js";
import type { ServerChild } from "../../bench/server-child.js";
import { type ServiceProcess, startService } from "./service-process.js";
import { type VerifyOutcome, verifyDataDir } from "./verify-data-dir.js";

export interface SoakOptions {
  minutes: number;
  /** Of the measured maximum (default 0.8). */
  fraction?: number;
  /** Closed-loop measurement length (default 15 s). */
  measureSeconds?: number;
  keep?: boolean;
  progress?: (line: string) => void;
}

export interface SoakMinute {
  minute: number;
  offeredEventsPerSecond: number;
  ackedEventsPerSecond: number;
  errors: number;
  firstError: string | null;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Resident memory at the end of the minute, and its peak during it (VmHWM). */
  rssMb: number;
  rssPeakMb: number;
  /** Entries the search projection had yet to apply at the end of the minute (largest over its followers). */
  followerLag: number;
}

export interface SoakSummary {
  minutes: number;
  fraction: number;
  maximum: LoadResult;
  startRssMb: number;
  rows: SoakMinute[];
  /** Seconds the projection took to catch up after the last minute. */
  catchUpSeconds: number;
  stoppedCleanly: boolean;
  verify: VerifyOutcome | null;
  seconds: number;
  dataDir: string;
}

/** The target the bench sets for this load (docs/benchmarks.md): reported, not enforced on a shared machine. */
export const P99_TARGET_MS = 100;

async function followerLag(server: ServerChild): Promise<number> {
  const agent = new Agent();
  try {
    const res = await httpCall(agent, `${server.url}/metrics`, { method: "GET", key: server.operatorKey as string });
    const lags = [...res.body.matchAll(/^trailproof_follower_lag_entries\{[^}]*\} (\d+)/gm)].map((m) => Number(m[1]));
    return Math.max(0, ...lags);
  } finally {
    agent.destroy();
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
  const progress = options.progress ?? (() => {});
  const fraction = options.fraction ?? 0.8;
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-soak-"));
  const t0 = performance.now();
  let service: ServiceProcess | undefined;
  let stoppedCleanly = false;
  try {
    service = await startService({ dataDir });
    // The bench's view of it, for the bench's load helpers.
    const server: ServerChild = {
      pid: service.pid,
      url: service.url,
      operatorKey: service.operatorKey,
      rss: new RssSampler(service.pid),
      startRssMb: currentRssMb(service.pid),
      close: async () => {
        await service?.stop();
      },
    };
    const key = await ingestKeyOn(server);
    const url = `${server.url}/v1/events`;
    const closedLoop = (tag: string, seconds: number) =>
      runLoad({
        url,
        key,
        clients: 8,
        durationMs: seconds * 1000,
        maxRequests: Number.MAX_SAFE_INTEGER,
        eventsPerRequest: 100,
        body: ingestBodies(100, tag),
      });
    progress("soak: warming up, then measuring the maximum rate (closed loop, batches of 100, 8 clients)");
    await closedLoop("w", 2);
    await waitForFollowers(server);
    const maximum = await closedLoop("max", options.measureSeconds ?? 15);
    if (maximum.errors > 0 || maximum.eventsPerSecond === 0) {
      throw new Error(`measuring the maximum failed: ${maximum.errors} errors, first: ${maximum.firstError}`);
    }
    await waitForFollowers(server);
    const offered = maximum.eventsPerSecond * fraction;
    progress(
      `soak: maximum ${maximum.eventsPerSecond} events/s; ${options.minutes} min at ${Math.round(offered)} events/s`,
    );
    const rows: SoakMinute[] = [];
    for (let minute = 1; minute <= options.minutes; minute++) {
      server.rss.start(1000);
      // One schedule per minute: each row is that minute's own latency and throughput.
      const result = await runOpenLoad({
        url,
        key,
        offeredEventsPerSecond: offered,
        eventsPerRequest: 100,
        durationMs: 60_000,
        maxSockets: 64,
        drainMs: 30_000,
        body: ingestBodies(100, `s${minute}-`),
      });
      const rss = server.rss.stop();
      const row: SoakMinute = {
        minute,
        offeredEventsPerSecond: result.offeredEventsPerSecond,
        ackedEventsPerSecond: result.ackedEventsPerSecond,
        errors: result.errors,
        firstError: result.firstError,
        p50Ms: result.latency.p50Ms,
        p99Ms: result.latency.p99Ms,
        maxMs: result.latency.maxMs,
        rssMb: currentRssMb(server.pid),
        rssPeakMb: Math.max(rss.sampledPeakMb, rss.hwmSincePhaseStart ? rss.hwmMb : 0),
        followerLag: await followerLag(server),
      };
      rows.push(row);
      progress(
        `soak minute ${minute}: ${row.ackedEventsPerSecond} events/s acknowledged, ${row.errors} errors, p99 ${row.p99Ms} ms, RSS ${row.rssMb} MB (peak ${row.rssPeakMb}), projection lag ${row.followerLag}`,
      );
    }
    const catchUp = performance.now();
    await waitForFollowers(server, 600_000);
    const catchUpSeconds = Math.round(performance.now() - catchUp) / 1000;
    const stopped = await service.stop();
    stoppedCleanly = stopped.code === 0;
    progress("soak: verifying the data directory");
    const verify = await verifyDataDir(dataDir);
    return {
      minutes: options.minutes,
      fraction,
      maximum,
      startRssMb: server.startRssMb,
      rows,
      catchUpSeconds,
      stoppedCleanly,
      verify,
      seconds: Math.round(performance.now() - t0) / 1000,
      dataDir,
    };
  } finally {
    if (service && !service.dead) await service.kill();
    if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Every minute without errors and at (95% of) the offered rate, a clean stop, a log that verifies. */
export function soakPassed(s: SoakSummary): boolean {
  return (
    s.rows.length === s.minutes &&
    s.rows.every((r) => r.errors === 0 && r.ackedEventsPerSecond >= 0.95 * r.offeredEventsPerSecond) &&
    s.stoppedCleanly &&
    s.verify?.ok === true
  );
}

export function formatSoakSummary(s: SoakSummary): string {
  const pad = (v: string | number, n: number) => String(v).padStart(n);
  const m = s.maximum;
  const lines = [
    `soak: ${s.minutes} min at ${Math.round(s.fraction * 100)}% of the measured maximum, in ${s.seconds} s`,
    `  maximum (closed loop, batches of 100, 8 clients, ${m.seconds} s): ${m.eventsPerSecond} events/s, p50 ${m.latency.p50Ms} ms, p99 ${m.latency.p99Ms} ms`,
    `  RSS at start: ${s.startRssMb} MB`,
    "  minute  offered/s  acked/s  errors  p50 ms  p99 ms  max ms  RSS MB  peak MB  lag",
    ...s.rows.map(
      (r) =>
        `  ${pad(r.minute, 6)}  ${pad(r.offeredEventsPerSecond, 9)}  ${pad(r.ackedEventsPerSecond, 7)}  ${pad(r.errors, 6)}  ${pad(r.p50Ms.toFixed(1), 6)}  ${pad(r.p99Ms.toFixed(1), 6)}  ${pad(r.maxMs.toFixed(0), 6)}  ${pad(r.rssMb, 6)}  ${pad(r.rssPeakMb, 7)}  ${pad(r.followerLag, 4)}${r.firstError ? `  first error: ${r.firstError.slice(0, 200)}` : ""}`,
    ),
    `  p99 target ${P99_TARGET_MS} ms (docs/benchmarks.md): ${s.rows.filter((r) => r.p99Ms < P99_TARGET_MS).length}/${s.rows.length} minutes under`,
    `  the projection caught up ${s.catchUpSeconds} s after the last minute; stopped cleanly: ${s.stoppedCleanly ? "yes" : "NO"}`,
    s.verify
      ? `  verify --data: ${s.verify.ok ? "OK" : "FAILED"} (${s.verify.entries} entries, ${s.verify.seconds} s)${s.verify.problems.map((p) => `\n    ${p}`).join("")}`
      : "  verify --data: not run",
  ];
  return lines.join("\n");
}
