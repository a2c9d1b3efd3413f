// SIEM streams over HTTP ingest: how fast does each destination deliver,
// and how far behind is it at the ingest rate of the same run? One service;
// the same live-shaped load (batches of 100) first with no stream, then with
// three streams of every entry active at once: syslog over TCP to a
// receiver that reads RFC 6587 frames, NATS JetStream on the machine's
// nats-server, and a signed NDJSON webhook to an HTTP receiver. Each
// destination's rate is the messages it delivered from the load's start
// until its lag was 0; its lag is sampled from /metrics every 250 ms.
import { mkdirSync } from "node:fs";
import { Agent, createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer, type Server } from "node:net";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, nanos } from "@nats-io/transport-node";
import { liveIngestLoad, tenantKeysOn, waitForFollowers } from "./http-ingest.js";
import { httpCall, type LoadResult } from "./http-load.js";
import { callServer } from "./server-call.js";
import { type ServerChild, startServerChild } from "./server-child.js";
import { progress } from "./stats.js";

export interface HttpStreamsOptions {
  logLevel: string;
  seconds: number;
  clients: number;
  maxEvents: number;
  natsUrl: string;
}

export interface StreamFigures {
  destination: string;
  delivered: number;
  /** From the load's start until the stream's lag was 0. */
  seconds: number;
  messagesPerSecond: number;
  maxLagEntries: number;
  maxLagSeconds: number;
  /** After the load ended, until its lag was 0. */
  catchUpSeconds: number;
  /** Messages the receiver counted (at least once: duplicates included). */
  received: number;
}

export interface HttpStreamsRun {
  without: LoadResult;
  with: LoadResult;
  streams: StreamFigures[];
  /** Why a destination was left out (the NATS server not reachable, say). */
  skipped: string[];
}

const TENANT = "bench-streams";
const SUBJECT = "trailproof.bench.streams";

/** Counts octet-counted syslog frames (RFC 6587) on a TCP port. */
async function syslogReceiver(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let frames = 0;
  const server: Server = createTcpServer((socket) => {
    let buffered: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      for (;;) {
        const space = buffered.indexOf(0x20);
        if (space < 0) break;
        const length = Number(buffered.subarray(0, space).toString("ascii"));
        if (buffered.length < space + 1 + length) break;
        frames++;
        buffered = buffered.subarray(space + 1 + length);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    count: () => frames,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Counts NDJSON lines POSTed to it (signatures are the webhook tests' business). */
async function webhookReceiver(): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let lines = 0;
  const server = createHttpServer((req, res) => {
    req.on("data", (chunk: Buffer) => {
      for (const byte of chunk) if (byte === 0x0a) lines++;
    });
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    count: () => lines,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Each stream's [lag entries, lag seconds] from /metrics. */
async function streamLags(server: ServerChild): Promise<Map<string, [number, number]>> {
  const agent = new Agent();
  try {
    const res = await httpCall(agent, `${server.url}/metrics`, { method: "GET", key: server.operatorKey as string });
    const out = new Map<string, [number, number]>();
    for (const m of res.body.matchAll(/^trailproof_stream_lag_entries\{[^}]*stream="([^"]+)"[^}]*\} (\S+)/gm)) {
      out.set(m[1] as string, [Number(m[2]), 0]);
    }
    for (const m of res.body.matchAll(/^trailproof_stream_lag_seconds\{[^}]*stream="([^"]+)"[^}]*\} (\S+)/gm)) {
      const entry = out.get(m[1] as string);
      if (entry) entry[1] = Number(m[2]);
    }
    return out;
  } finally {
    agent.destroy();
  }
}

async function natsReady(url: string): Promise<string | undefined> {
  try {
    const nc = await connect({ servers: [url], timeout: 2000, reconnect: false });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete("TP_BENCH").catch(() => undefined);
    await jsm.streams.add({
      name: "TP_BENCH",
      subjects: [SUBJECT],
      duplicate_window: nanos(120_000),
      max_msgs: 2_000_000,
    });
    await nc.close();
    return undefined;
  } catch (err) {
    return `NATS at ${url}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

async function natsCount(url: string): Promise<number> {
  const nc = await connect({ servers: [url], timeout: 2000, reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info("TP_BENCH")).state.messages;
  } finally {
    await nc.close();
  }
}

async function dropNats(url: string): Promise<void> {
  const nc = await connect({ servers: [url], timeout: 2000, reconnect: false });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete("TP_BENCH").catch(() => undefined);
  await nc.close();
}

export async function runHttpStreams(dir: string, o: HttpStreamsOptions): Promise<HttpStreamsRun> {
  const dataDir = join(dir, "streams-data");
  mkdirSync(dataDir, { recursive: true });
  const syslog = await syslogReceiver();
  const hook = await webhookReceiver();
  const natsProblem = await natsReady(o.natsUrl);
  const server = await startServerChild({ dataDir, logLevel: o.logLevel });
  try {
    const { adminKey, ingestKey } = await tenantKeysOn(server, TENANT);
    const load = (tag: string) => liveIngestLoad(server, ingestKey, o, tag);
    await waitForFollowers(server);
    progress("  without streams ...");
    const without = await load("n");
    await waitForFollowers(server);

    const destinations: { name: string; body: Record<string, unknown>; count: () => Promise<number> }[] = [
      {
        name: "syslog (TCP, RFC 6587)",
        body: { destination: { type: "syslog", host: "127.0.0.1", port: syslog.port, tls: false }, format: "cef" },
        count: async () => syslog.count(),
      },
      {
        name: "webhook (NDJSON)",
        body: { destination: { type: "webhook", url: `http://127.0.0.1:${hook.port}/siem` }, format: "native" },
        count: async () => hook.count(),
      },
    ];
    if (natsProblem === undefined) {
      destinations.push({
        name: "NATS JetStream",
        body: { destination: { type: "nats", servers: [o.natsUrl], subject: SUBJECT }, format: "ocsf" },
        count: () => natsCount(o.natsUrl),
      });
    }
    const ids = new Map<string, string>();
    for (const d of destinations) {
      const created = (await callServer(server, adminKey, "POST", "/v1/streams", { name: d.name, ...d.body })) as {
        stream: { id: string };
      };
      ids.set(created.stream.id, d.name);
    }
    // Let each stream pass over the first load's entries before measuring.
    while ([...(await streamLags(server)).values()].some(([lag]) => lag > 0)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const before = new Map<string, number>();
    for (const d of destinations) before.set(d.name, await d.count());

    progress(`  with ${destinations.length} streams ...`);
    const maxLag = new Map<string, [number, number]>();
    const caughtUp = new Map<string, number>();
    let sampling = true;
    const t0 = performance.now();
    let loadEnd = 0;
    const sampler = (async () => {
      while (sampling) {
        const lags = await streamLags(server);
        for (const [id, [entries, seconds]] of lags) {
          const [e, s] = maxLag.get(id) ?? [0, 0];
          maxLag.set(id, [Math.max(e, entries), Math.max(s, seconds)]);
          if (loadEnd > 0 && entries === 0 && !caughtUp.has(id)) caughtUp.set(id, performance.now());
        }
        if (loadEnd > 0 && caughtUp.size === ids.size) return;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const withStreams = await load("s");
    loadEnd = performance.now();
    const deadline = loadEnd + 120_000;
    while (caughtUp.size < ids.size && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    sampling = false;
    await sampler;
    const streams: StreamFigures[] = [];
    for (const [id, name] of ids) {
      const done = caughtUp.get(id) ?? performance.now();
      const d = destinations.find((x) => x.name === name);
      const received = ((await d?.count()) ?? 0) - (before.get(name) ?? 0);
      const seconds = (done - t0) / 1000;
      streams.push({
        destination: name,
        delivered: withStreams.events,
        seconds,
        messagesPerSecond: withStreams.events / seconds,
        maxLagEntries: maxLag.get(id)?.[0] ?? 0,
        maxLagSeconds: maxLag.get(id)?.[1] ?? 0,
        catchUpSeconds: (done - loadEnd) / 1000,
        received,
      });
    }
    return { without, with: withStreams, streams, skipped: natsProblem === undefined ? [] : [natsProblem] };
  } finally {
    await server.close();
    await syslog.close();
    await hook.close();
    if (natsProblem === undefined) await dropNats(o.natsUrl).catch(() => undefined);
  }
}
