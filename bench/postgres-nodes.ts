// HTTP ingest against 1, 2 and 3 service processes over one PostgreSQL
// database: `trailproof serve --database` started as npm start starts it,
// each node count on a fresh copy of the migrated database. The clients of
// the HTTP phase (http-load.ts, batches of 100) are dealt to the nodes in
// turn, each keeping its connection to its node (no proxy in between). With
// one tenant every node appends to the same log head; with a tenant per node
// they share only the database, so the two tell lock contention from CPU;
// both layouts run on the same nodes and database, one after the other.
import { spawn } from "node:child_process";
import { Agent } from "node:http";
import { ingestBodies, waitForFollowers } from "./http-ingest.js";
import { httpCall, type LoadResult, runLoad } from "./http-load.js";
import { CpuMeter, type CpuUse } from "./postgres-cpu.js";
import type { BenchDatabase, BenchDatabases } from "./postgres-database.js";
import { currentRssMb, RssSampler } from "./rss-sampler.js";
import { type ServerChild, trailproofBin } from "./server-child.js";
import { progress } from "./stats.js";

export interface PostgresNodesOptions {
  logLevel: string;
  seconds: number;
  /** Clients in all, whatever the number of nodes. */
  clients: number;
  maxEvents: number;
  /** The configurations, e.g. [1, 2, 3]; above one node, each runs with one tenant and with a tenant per node. */
  nodeCounts: number[];
  /** The postmaster's pid, for PostgreSQL's CPU; null: CPU not measured. */
  postmasterPid: number | null;
}

export interface NodesLoad {
  nodes: number;
  tenants: number;
  clients: number;
  events: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  eventsPerSecond: number;
  /** Per node, in node order: its clients' latencies. */
  perNode: LoadResult[];
  cpu: CpuUse | null;
}

export interface PostgresNodesRun {
  loads: NodesLoad[];
  logLevel: string;
}

const LISTENING = /^Trailproof listening on (\S+)/m;
const OPERATOR_KEY = /^operator key \(shown once[^)]*\): (\S+)/m;

/** One node; the first on an empty database prints the operator key, the others find it done. */
function startNode(db: BenchDatabase, masterKeyFile: string, logLevel: string, first: boolean): Promise<ServerChild> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [
      trailproofBin(),
      "serve",
      "--database",
      db.appUrl,
      "--master-key-file",
      masterKeyFile,
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--no-demo",
    ],
    {
      env: { ...env, TRAILPROOF_LOG_LEVEL: logLevel, TRAILPROOF_RATE_LIMIT_PER_MINUTE: "100000000" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let printed = "";
    let ready = false;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error("a node did not start within 60 s"));
    }, 60_000);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`a node exited with ${code} before it was ready:\n${printed.slice(-2000)}`));
    });
    child.stdout.on("data", (chunk: Buffer) => {
      if (ready) return;
      printed += chunk.toString();
      const url = LISTENING.exec(printed)?.[1];
      const operatorKey = OPERATOR_KEY.exec(printed)?.[1] ?? null;
      if (!url || (first && !operatorKey)) return;
      ready = true;
      clearTimeout(timer);
      const pid = child.pid as number;
      resolve({
        pid,
        url,
        operatorKey,
        rss: new RssSampler(pid),
        startRssMb: currentRssMb(pid),
        close: async () => {
          child.kill("SIGTERM");
          const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
          await exited;
          clearTimeout(kill);
        },
      });
    });
  });
}

async function post(url: string, key: string, body: unknown): Promise<Record<string, string>> {
  const agent = new Agent();
  try {
    const res = await httpCall(agent, url, { method: "POST", key, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`POST ${url}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as Record<string, string>;
  } finally {
    agent.destroy();
  }
}

/** A tenant and its ingest key, through the API of `server`. */
async function tenantIngestKey(server: ServerChild, operatorKey: string, name: string): Promise<string> {
  const tenant = await post(`${server.url}/v1/tenants`, operatorKey, { name });
  const created = await post(`${server.url}/v1/keys`, tenant.admin_key as string, { role: "ingest", name: "bench" });
  return created.key as string;
}

/** Clients dealt in turn: node k of n gets every n-th client. */
const clientsOf = (k: number, n: number, clients: number) => Math.floor(clients / n) + (k < clients % n ? 1 : 0);

/** Starts `nodes` nodes on a fresh database and measures each tenant layout on them in turn. */
async function measureNodes(dbs: BenchDatabases, nodes: number, o: PostgresNodesOptions): Promise<NodesLoad[]> {
  const db = await dbs.create(`http_${nodes}n`);
  const servers: ServerChild[] = [];
  const t0 = performance.now();
  const at = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  try {
    servers.push(await startNode(db, dbs.masterKeyFile, o.logLevel, true));
    const operatorKey = servers[0]?.operatorKey as string;
    servers.push(
      ...(await Promise.all(
        Array.from({ length: nodes - 1 }, () => startNode(db, dbs.masterKeyFile, o.logLevel, false)),
      )),
    );
    progress(`  ${nodes} node(s) listening after ${at()}`);
    // /metrics on every node takes the operator key the first one printed.
    for (const s of servers) s.operatorKey = operatorKey;
    const loads: NodesLoad[] = [];
    for (const tenants of nodes === 1 ? [1] : [1, nodes]) {
      const load = await measureLayout(db, servers, tenants, o);
      progress(
        `    ${tenants === 1 ? "one tenant" : "a tenant per node"}: ${load.eventsPerSecond} events/s, ${load.errors} errors (${at()})`,
      );
      loads.push(load);
    }
    return loads;
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

/** Tenants made for this layout (the database may hold another layout's); a warm-up; the measured load. */
async function measureLayout(
  db: BenchDatabase,
  servers: ServerChild[],
  tenants: number,
  o: PostgresNodesOptions,
): Promise<NodesLoad> {
  const nodes = servers.length;
  const operatorKey = servers[0]?.operatorKey as string;
  const keys: string[] = [];
  for (let t = 0; t < tenants; t++)
    keys.push(await tenantIngestKey(servers[0] as ServerChild, operatorKey, `bench-${tenants}t-${t}`));
  // Bodies are built before the clock starts: the generator is the bench's work, not the nodes'.
  const bodiesFor = (tag: string) => servers.map((_, k) => ingestBodies(100, `${tag}${k}.`));
  const load = (bodies: ((n: number) => string)[], seconds: number) =>
    Promise.all(
      servers.map((s, k) => {
        const clients = clientsOf(k, nodes, o.clients);
        return runLoad({
          url: `${s.url}/v1/events`,
          key: keys[k % tenants] as string,
          clients,
          durationMs: seconds * 1000,
          maxRequests: Math.ceil((o.maxEvents / 100) * (clients / o.clients)),
          eventsPerRequest: 100,
          // The tag ends in "." so no node's ids can be another's.
          body: bodies[k] as (n: number) => string,
        });
      }),
    );
  await load(bodiesFor("w"), 1);
  for (const s of servers) await waitForFollowers(s);
  const meter =
    o.postmasterPid === null
      ? null
      : new CpuMeter(o.postmasterPid, db.name, { nodes: servers.map((s) => s.pid), client: [process.pid] });
  const bodies = bodiesFor("a");
  meter?.start();
  const perNode = await load(bodies, o.seconds);
  meter?.stop();
  const events = perNode.reduce((sum, l) => sum + l.events, 0);
  const seconds = Math.max(...perNode.map((l) => l.seconds));
  return {
    nodes,
    tenants,
    clients: o.clients,
    events,
    errors: perNode.reduce((sum, l) => sum + l.errors, 0),
    firstError: perNode.find((l) => l.firstError !== null)?.firstError ?? null,
    seconds,
    eventsPerSecond: Math.round(events / seconds),
    perNode,
    cpu: meter?.use() ?? null,
  };
}

export async function runPostgresNodes(dbs: BenchDatabases, o: PostgresNodesOptions): Promise<PostgresNodesRun> {
  const loads: NodesLoad[] = [];
  for (const nodes of o.nodeCounts) loads.push(...(await measureNodes(dbs, nodes, o)));
  return { loads, logLevel: o.logLevel };
}
