// Capacity as the log grows (issue 17): the closed-loop sustainable HTTP
// ingest rate of the real service (a child process, as http-ingest.ts runs
// it: POST /v1/events in batches of 100 from 8 clients) for a fixed time on
// a tenant that already holds each of --sizes entries, in one run, with the
// ratio of the largest to the smallest. Prints a markdown table.
//
//   npm run bench:growth -- --sizes 100000,5000000 --seconds 60
//
// With --attribute, the engine runs in this process instead and every
// synchronous store call is timed (growth-attribution.ts): what stalls.
//
// The logs are bulk-built once (build-large-log.ts, synchronous=OFF) and
// kept under --dir, so a later run reuses them; each run ingests into a copy.
import { mkdirSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { LARGE_LOG_NOTE } from "./build-large-log.js";
import { type AttributionRun, renderAttribution, runAttribution } from "./growth-attribution.js";
import { copyGrowthLog, type GrowthLog, growthLog } from "./growth-log.js";
import { GrowthProbe, type ProbeResult } from "./growth-probe.js";
import { renderGrowthReport } from "./growth-report.js";
import { ingestBodies, waitForFollowers } from "./http-ingest.js";
import { httpCall, type LoadResult, runLoad } from "./http-load.js";
import { describeMachine } from "./machine.js";
import type { RssPeak } from "./rss-sampler.js";
import { type ServerChild, startServerChild } from "./server-child.js";
import { settle } from "./settle.js";
import { progress } from "./stats.js";

export interface GrowthPoint {
  size: number;
  log: GrowthLog;
  /** Entries in the tenant's log when the measured load started. */
  startSize: number;
  load: LoadResult;
  probe: ProbeResult;
  /** Entries the search follower had not applied when the load ended. */
  lagAtEnd: number;
  /** Seconds the follower then took to catch up. */
  catchUpSeconds: number;
  rss: RssPeak;
}

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    sizes: { type: "string", default: "100000,5000000" },
    seconds: { type: "string", default: "60" },
    clients: { type: "string", default: "8" },
    "warmup-seconds": { type: "string", default: "5" },
    dir: { type: "string", default: join(tmpdir(), "trailproof-growth") },
    "server-log-level": { type: "string", default: "warn" },
    label: { type: "string", default: "" },
    attribute: { type: "boolean", default: false },
    checkpoints: { type: "string", default: "store,separate" },
  },
});
const sizes = values.sizes.split(",").map(Number);
if (!sizes.every((n) => Number.isSafeInteger(n) && n >= 1000))
  throw new Error("--sizes takes counts like 100000,5000000");
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const warmupSeconds = Number(values["warmup-seconds"]);
mkdirSync(values.dir, { recursive: true });

/** Reads one family of gauges from /metrics, summed over its labels. */
async function metric(server: ServerChild, key: string, name: string): Promise<number> {
  const agent = new Agent();
  try {
    const res = await httpCall(agent, `${server.url}/metrics`, { method: "GET", key });
    if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${res.body.slice(0, 200)}`);
    const values = [...res.body.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, "gm"))].map((m) => Number(m[1]));
    return values.reduce((a, b) => a + b, 0);
  } finally {
    agent.destroy();
  }
}

async function ingestKey(server: ServerChild, adminKey: string): Promise<string> {
  const agent = new Agent();
  const res = await httpCall(agent, `${server.url}/v1/keys`, {
    method: "POST",
    key: adminKey,
    body: JSON.stringify({ role: "ingest", name: `growth ${Date.now()}` }),
  });
  agent.destroy();
  if (res.status !== 201) throw new Error(`POST /v1/keys: ${res.status} ${res.body.slice(0, 200)}`);
  return (JSON.parse(res.body) as { key: string }).key;
}

async function measure(size: number): Promise<GrowthPoint> {
  const log = await growthLog(values.dir, size);
  progress(`growth: ${size} entries: copying the log and starting the service ...`);
  const copy = copyGrowthLog(values.dir, log);
  await settle();
  const child = await startServerChild({ dataDir: copy.dataDir, logLevel: values["server-log-level"] });
  // Not a fresh directory: the server prints no operator key; the build issued one.
  const server: ServerChild = { ...child, operatorKey: log.operatorKey };
  try {
    const key = await ingestKey(server, log.adminKey);
    // Event ids must be new in a reused log: a tag per run.
    const tag = `g${Date.now().toString(36)}`;
    const load = (part: string, ms: number) =>
      runLoad({
        url: `${server.url}/v1/events`,
        key,
        clients,
        durationMs: ms,
        maxRequests: Number.MAX_SAFE_INTEGER,
        eventsPerRequest: 100,
        body: ingestBodies(100, `${tag}${part}`),
      });
    if (warmupSeconds > 0) await load("w", warmupSeconds * 1000);
    await waitForFollowers(server, 600_000);
    const startSize = await metric(server, log.operatorKey, "trailproof_tree_size");
    const probe = new GrowthProbe({
      url: server.url,
      pid: server.pid,
      walPath: join(copy.dataDir, "tenants", "bench.db-wal"),
    });
    progress(`growth: ${startSize} entries: closed loop for ${seconds} s ...`);
    server.rss.start();
    probe.start();
    const result = await load("m", seconds * 1000);
    const lagAtEnd = await metric(server, log.operatorKey, "trailproof_follower_lag_entries");
    const probed = await probe.stop();
    const rss = server.rss.stop();
    const t0 = performance.now();
    await waitForFollowers(server, 600_000);
    const catchUpSeconds = Math.round((performance.now() - t0) / 100) / 10;
    progress(
      `growth: ${startSize}: ${result.eventsPerSecond} events/s, p99 ${result.latency.p99Ms} ms, max ${result.latency.maxMs} ms, lag ${lagAtEnd}`,
    );
    return { size, log, startSize, load: result, probe: probed, lagAtEnd, catchUpSeconds, rss };
  } finally {
    await server.close();
    copy.remove();
  }
}

const command = `npm run bench:growth -- ${process.argv.slice(2).join(" ")}`.trim();
if (values.attribute) {
  const modes = values.checkpoints.split(",");
  if (!modes.every((m) => m === "store" || m === "separate")) throw new Error("--checkpoints takes store,separate");
  const runs: AttributionRun[] = [];
  for (const size of sizes) {
    for (const mode of modes as AttributionRun["checkpoints"][]) {
      runs.push(await runAttribution(values.dir, size, mode, seconds));
    }
  }
  process.stdout.write(renderAttribution(runs, command));
  process.exit(0);
}

const startedAt = new Date().toISOString();
const points: GrowthPoint[] = [];
for (const size of sizes) points.push(await measure(size));
process.stdout.write(
  renderGrowthReport({
    command,
    label: values.label,
    startedAt,
    machine: describeMachine(null),
    clients,
    seconds,
    buildNote: LARGE_LOG_NOTE,
    points,
  }),
);
