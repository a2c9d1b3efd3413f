// The PostgreSQL-store phases of `npm run bench` (`npm run bench:postgres`):
// fresh databases on --pg-url's server (created as its superuser, migrated
// as their owner, used as the app role, dropped at the end); the in-process
// append and the search cases on one, then HTTP ingest on 1-3 nodes.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { openPostgres } from "@trailproof/ledger";
import type { BaselinePostgres } from "./baseline-postgres.js";
import { CpuMeter, postmasterOf } from "./postgres-cpu.js";
import { openBenchDatabases } from "./postgres-database.js";
import { type PostgresNodesRun, runPostgresNodes } from "./postgres-nodes.js";
import { type PostgresStoreRun, runPostgresAppend, runPostgresSearch } from "./postgres-store.js";
import { settle } from "./settle.js";
import { progress } from "./stats.js";

export interface PostgresPhaseOptions {
  pgUrl: string;
  events: number;
  batch: number;
  concurrency: number;
  searchIterations: number;
  /** In-process append and search on the store. */
  store: boolean;
  /** HTTP ingest with each of these node counts; empty: none. */
  nodeCounts: number[];
  logLevel: string;
  httpSeconds: number;
  httpClients: number;
  httpMaxEvents: number;
}

export interface PostgresPhaseRun {
  store?: PostgresStoreRun;
  nodes?: PostgresNodesRun;
}

/** The postmaster behind `url`, when it runs on this machine (for CPU figures). */
async function findPostmaster(url: string): Promise<number | null> {
  const sql = openPostgres(url, { max: 1, applicationName: "trailproof-bench" });
  try {
    const [row] = await sql<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    return row ? postmasterOf(row.pid) : null;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** A CHECKPOINT and a sync, so one phase's writeback does not land in the next one's fsyncs. */
async function settleServer(url: string): Promise<void> {
  const sql = openPostgres(url, { max: 1, applicationName: "trailproof-bench" });
  try {
    await settle(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function runPostgresPhase(
  o: PostgresPhaseOptions,
  dir: string,
  baseline: BaselinePostgres | null,
): Promise<PostgresPhaseRun> {
  const postmasterPid = await findPostmaster(o.pgUrl);
  // The master key file goes here.
  const keyDir = join(dir, "postgres");
  mkdirSync(keyDir, { recursive: true });
  const dbs = await openBenchDatabases(o.pgUrl, keyDir);
  const out: PostgresPhaseRun = {};
  try {
    if (o.store) {
      const db = await dbs.create("store");
      progress("Trailproof in-process append on the PostgreSQL store ...");
      const meter = postmasterPid === null ? null : new CpuMeter(postmasterPid, db.name, { bench: [process.pid] });
      const append = await runPostgresAppend(db, dbs.masterKeyFile, o.events, o.batch, o.concurrency, meter);
      await settleServer(o.pgUrl);
      progress("search latency on the PostgreSQL store ...");
      const cases = await runPostgresSearch(db, dbs.masterKeyFile, o.events, o.searchIterations, baseline);
      out.store = { database: db.name, append, search: { events: o.events, cases } };
      await settleServer(o.pgUrl);
    }
    if (o.nodeCounts.length > 0) {
      progress("HTTP ingest on 1-3 nodes over one PostgreSQL database ...");
      out.nodes = await runPostgresNodes(dbs, {
        logLevel: o.logLevel,
        seconds: o.httpSeconds,
        clients: o.httpClients,
        maxEvents: o.httpMaxEvents,
        nodeCounts: o.nodeCounts,
        postmasterPid,
      });
    }
  } finally {
    await dbs.dropAll();
  }
  return out;
}
