// Trailproof over HTTP: the real service in a child process on a fresh data
// directory; a tenant and an ingest key made through the API; then POST
// /v1/events in batches of 100 from closed-loop clients (the maximum rate),
// an open-loop schedule of batches of 100 at a fraction of that maximum (the
// latency at a load the service can take), and single events from closed-loop
// clients, while the server's resident memory is watched. Each load starts
// once the search projection has caught up with the one before.
import { mkdirSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import { eventChunks } from "./event-generator.js";
import { httpCall, type LoadResult, runLoad } from "./http-load.js";
import { type OpenLoadResult, runOpenLoad } from "./http-open-loop.js";
import type { RssPeak } from "./rss-sampler.js";
import { type ServerChild, startServerChild } from "./server-child.js";
import { progress } from "./stats.js";

export interface HttpIngestOptions {
  logLevel: string;
  /** Per load: [batch 100, batch 1]. */
  seconds: [number, number];
  clients: [number, number];
  maxEvents: number;
  /** Open-loop load: its duration, and its offered rate as a fraction of the closed-loop batch-100 rate. */
  openLoopSeconds: number;
  openLoopFraction: number;
  cpuProfDir?: string;
}

export interface HttpIngestRun {
  batch100: LoadResult;
  /** Batches of 100 on a fixed schedule at openLoopFraction of batch100's rate; null when not run. */
  openLoop: (OpenLoadResult & { fractionOfMax: number }) | null;
  batch1: LoadResult;
  rss: RssPeak;
  startRssMb: number;
  logLevel: string;
}

const ID = "@@ID@@";
const POOL = 12_600;

/**
 * Bodies from a pool of serialised events, each time with fresh ids, so the
 * generator costs a string join per request, not a JSON.stringify per event.
 */
export function ingestBodies(batch: number, tag: string): (n: number) => string {
  const [events = []] = eventChunks(POOL, { chunkSize: POOL, idPrefix: "h", seed: 11 });
  const templates = events.map((e) => JSON.stringify({ ...e, id: ID }).split(ID) as [string, string]);
  return (n) => {
    const parts: string[] = [];
    for (let k = 0; k < batch; k++) {
      const [head, tail] = templates[(n * batch + k) % POOL] as [string, string];
      parts.push(`${head}${tag}${n}-${k}${tail}`);
    }
    return batch === 1 ? (parts[0] as string) : `{"events":[${parts.join(",")}]}`;
  };
}

const AT = "@@AT@@";

/**
 * Bodies as a live platform sends them: ids in time order (as the SDK's
 * UUIDv7 are; zero-padded, so they sort as they are sent) and occurred_at
 * the send time, so every index grows at its right-hand end. ingestBodies
 * instead replays its pool's timestamps and interleaves its ids, which
 * spreads inserts across every index as the log grows.
 */
export function liveIngestBodies(batch: number, tag: string): (n: number) => string {
  const [events = []] = eventChunks(POOL, { chunkSize: POOL, idPrefix: "h", seed: 11 });
  const templates = events.map((e) => {
    const [head, rest] = JSON.stringify({ ...e, id: ID, occurred_at: AT }).split(`"${ID}"`) as [string, string];
    return [head, ...rest.split(`"${AT}"`)] as [string, string, string];
  });
  return (n) => {
    const at = JSON.stringify(new Date().toISOString());
    const parts: string[] = [];
    for (let k = 0; k < batch; k++) {
      const [head, middle, tail] = templates[(n * batch + k) % POOL] as [string, string, string];
      parts.push(`${head}"${tag}${String(n).padStart(10, "0")}-${String(k).padStart(4, "0")}"${middle}${at}${tail}`);
    }
    return batch === 1 ? (parts[0] as string) : `{"events":[${parts.join(",")}]}`;
  };
}

/**
 * The closed-loop ingest load the streams and alerts benchmarks measure with
 * and without their followers: live bodies of 100 events, `clients`
 * connections, until `seconds` pass or `maxEvents` are sent.
 */
export function liveIngestLoad(
  server: ServerChild,
  ingestKey: string,
  o: { clients: number; seconds: number; maxEvents: number },
  tag: string,
): Promise<LoadResult> {
  return runLoad({
    url: `${server.url}/v1/events`,
    key: ingestKey,
    clients: o.clients,
    durationMs: o.seconds * 1000,
    maxRequests: Math.ceil(o.maxEvents / 100),
    eventsPerRequest: 100,
    body: liveIngestBodies(100, tag),
  });
}

async function api(server: ServerChild, key: string, path: string, body: unknown): Promise<Record<string, string>> {
  const agent = new Agent();
  const res = await httpCall(agent, `${server.url}${path}`, { method: "POST", key, body: JSON.stringify(body) });
  agent.destroy();
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as Record<string, string>;
}

/**
 * Waits until the service's followers have applied every acknowledged entry
 * (`trailproof_follower_lag_entries` 0 in /metrics), so one load's
 * projection backlog is not charged to the next load.
 */
export async function waitForFollowers(server: ServerChild, timeoutMs = 120_000): Promise<void> {
  const agent = new Agent({ keepAlive: true });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const res = await httpCall(agent, `${server.url}/metrics`, { method: "GET", key: server.operatorKey as string });
      if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${res.body}`);
      const lags = [...res.body.matchAll(/^trailproof_follower_lag_entries\{[^}]*\} (\d+)/gm)].map((m) => Number(m[1]));
      if (lags.length > 0 && lags.every((lag) => lag === 0)) return;
      if (Date.now() > deadline) throw new Error(`the followers still lag after ${timeoutMs} ms: ${lags.join(", ")}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    agent.destroy();
  }
}

/** A tenant (new on this server) with its admin key and an ingest key, through the API. */
export async function tenantKeysOn(
  server: ServerChild,
  tenantName: string,
): Promise<{ adminKey: string; ingestKey: string }> {
  const tenant = await api(server, server.operatorKey as string, "/v1/tenants", { name: tenantName });
  const adminKey = tenant.admin_key as string;
  const created = await api(server, adminKey, "/v1/keys", { role: "ingest", name: "bench" });
  return { adminKey, ingestKey: created.key as string };
}

/** A tenant (new on this server) and an ingest key of it, through the API. */
export async function ingestKeyOn(server: ServerChild, tenantName = "bench"): Promise<string> {
  return (await tenantKeysOn(server, tenantName)).ingestKey;
}

export async function runHttpIngest(dir: string, o: HttpIngestOptions): Promise<HttpIngestRun> {
  const dataDir = join(dir, "http-data");
  mkdirSync(dataDir, { recursive: true });
  const server = await startServerChild({ dataDir, logLevel: o.logLevel, cpuProfDir: o.cpuProfDir });
  try {
    const key = await ingestKeyOn(server);
    const url = `${server.url}/v1/events`;
    const load = (tag: string, batch: number, seconds: number, clients: number) =>
      runLoad({
        url,
        key,
        clients,
        durationMs: seconds * 1000,
        maxRequests: Math.ceil(o.maxEvents / batch),
        eventsPerRequest: batch,
        body: ingestBodies(batch, tag),
      });
    server.rss.start();
    await load("w", 100, 1, o.clients[0]);
    await waitForFollowers(server);
    const batch100 = await load("a", 100, o.seconds[0], o.clients[0]);
    let openLoop: HttpIngestRun["openLoop"] = null;
    if (o.openLoopSeconds > 0 && batch100.eventsPerSecond > 0) {
      await waitForFollowers(server);
      const offered = batch100.eventsPerSecond * o.openLoopFraction;
      progress(`  open loop: batches of 100 at ${Math.round(offered)} events/s for ${o.openLoopSeconds} s ...`);
      const result = await runOpenLoad({
        url,
        key,
        offeredEventsPerSecond: offered,
        eventsPerRequest: 100,
        durationMs: o.openLoopSeconds * 1000,
        maxSockets: 64,
        drainMs: 30_000,
        body: ingestBodies(100, "o"),
      });
      openLoop = { ...result, fractionOfMax: o.openLoopFraction };
    }
    await waitForFollowers(server);
    const batch1 = await load("s", 1, o.seconds[1], o.clients[1]);
    return { batch100, openLoop, batch1, rss: server.rss.stop(), startRssMb: server.startRssMb, logLevel: o.logLevel };
  } finally {
    await server.close();
  }
}
