// Benchmark suite (issue 6): ingest, search, proofs and verification, side by
// side with plain baselines measured in the same run (the machine is shared
// and noisy). Prints markdown tables and the targets; writes bench/out/*.json.
//
//   npm run bench                      quick: 20,000 events, about a minute
//   npm run bench -- --events 100000   one size for everything
//   npm run bench -- --full            1M events, plus a 10M log for proofs, verify, export
//   npm run bench:postgres             the PostgreSQL store beside baseline B and SQLite, 1-3 nodes
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDataDir } from "@trailproof/ledger";
import {
  type BaselinePostgres,
  closeBaselinePostgres,
  openBaselinePostgres,
  runBaselinePostgres,
} from "./baseline-postgres.js";
import { runBaselineSqlite } from "./baseline-sqlite.js";
import { runBaselineSqlitePk } from "./baseline-sqlite-pk.js";
import { parseBenchOptions } from "./bench-options.js";
import type { BenchResults } from "./bench-results.js";
import { buildLargeLog, LARGE_LOG_NOTE } from "./build-large-log.js";
import { averageEventBytes } from "./event-generator.js";
import { runHttpAlerts } from "./http-alerts.js";
import { runHttpCompat } from "./http-compat.js";
import { renderHttpExport, runHttpExport } from "./http-export.js";
import { runHttpIngest } from "./http-ingest.js";
import { runHttpRead } from "./http-read.js";
import { runHttpStreams } from "./http-streams.js";
import { appendAll, BENCH_TENANT, runInProcessAppend, SMALL_TENANT, SMALL_TENANT_EVENTS } from "./in-process-append.js";
import { describeMachine } from "./machine.js";
import { runPostgresPhase } from "./postgres-phase.js";
import { profileAppend, profileHttp } from "./profile-run.js";
import { runProofLatency } from "./proof-latency.js";
import { renderReport, writeResults } from "./report.js";
import { searchCases, searchWindow } from "./search-cases.js";
import { runSearchLatency } from "./search-latency.js";
import { settle } from "./settle.js";
import { progress } from "./stats.js";
import { biggestMiss, evaluateTargets } from "./targets.js";
import { runVerify } from "./verify-throughput.js";

const o = parseBenchOptions(process.argv.slice(2));
const t0 = performance.now();
const dir = o.dir ?? mkdtempSync(join(tmpdir(), "trailproof-bench-"));
mkdirSync(dir, { recursive: true });
const has = (p: Parameters<typeof o.phases.has>[0]) => o.phases.has(p);
const startedAt = new Date().toISOString();
const r: BenchResults = {
  startedAt,
  command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, ""),
  mode: o.mode,
  events: o.events,
  eventBytes: averageEventBytes(),
  machine: describeMachine(null),
  proofs: [],
  verify: [],
  httpRead: [],
  targets: [],
  notes: [],
  seconds: 0,
};
progress(`bench: ${o.mode} mode, ${o.events} events of ~${r.eventBytes} B, working in ${dir}`);

let pg: BaselinePostgres | null = null;
try {
  if (has("sqlite")) {
    progress("baseline A: SQLite insert ...");
    r.baselineA = await runBaselineSqlite(dir, o.events, o.batch);
    await settle();
  }
  if (has("a0")) {
    progress("baseline A0: SQLite insert, primary key only ...");
    r.baselineA0 = await runBaselineSqlitePk(dir, o.events, o.batch);
    await settle();
  }
  if (has("postgres")) {
    try {
      pg = await openBaselinePostgres(o.pgUrl, o.pgInflight);
      r.machine.postgres = pg.version.split(" on ")[0] ?? pg.version;
    } catch (err) {
      r.notes.push(`baseline B skipped: PostgreSQL at ${o.pgUrl} is not reachable (${String(err)})`);
    }
    if (pg) {
      progress("baseline B: PostgreSQL insert ...");
      r.baselineB = { ...(await runBaselinePostgres(pg, o.events, o.pgBatch)), inflight: o.pgInflight };
      await settle(pg.sql);
    }
  }
  const ledgerDir = join(dir, "ledger");
  let adminKey = "";
  if (has("ledger")) {
    progress("Trailproof in-process append ...");
    const { adminKey: key, ...run } = await runInProcessAppend(ledgerDir, o.events, o.batch, o.concurrency);
    adminKey = key;
    r.inProcess = run;
    await settle();
  }
  if (has("search") || has("proofs") || has("verify")) {
    const data = await openDataDir({ dataDir: ledgerDir, checkpointIntervalMs: 0 });
    const tenantId = (await data.ledger.tenantRecord(BENCH_TENANT)).tenantId;
    const smallTenantId = (await data.ledger.tenantRecord(SMALL_TENANT)).tenantId;
    if (has("search")) {
      progress("search latency ...");
      const cases = searchCases(searchWindow(o.events));
      r.search = {
        events: o.events,
        cases: await runSearchLatency(
          cases,
          o.searchIterations,
          data.query,
          { big: tenantId, small: smallTenantId },
          pg,
        ),
      };
    }
    if (has("proofs")) {
      progress("proof latency ...");
      r.proofs.push(
        await runProofLatency(data.ledger, BENCH_TENANT, o.proofIterations, "in-process log (durable appends)"),
      );
    }
    if (has("verify")) {
      progress("verification ...");
      r.verify.push({
        ...(await runVerify(data, BENCH_TENANT, join(dir, "bench.bundle"))),
        note: "in-process log",
      });
    }
    await data.ledger.close();
  }
  if (has("pgstore") || has("pgnodes")) {
    await settle(pg?.sql);
    r.postgresStore = await runPostgresPhase(
      {
        pgUrl: o.pgUrl,
        events: o.events,
        batch: o.batch,
        concurrency: o.concurrency,
        searchIterations: o.searchIterations,
        store: has("pgstore"),
        nodeCounts: has("pgnodes") ? o.pgNodes : [],
        logLevel: o.serverLogLevel,
        httpSeconds: o.httpSeconds[0],
        httpClients: o.httpClients[0],
        httpMaxEvents: o.httpMaxEvents,
      },
      dir,
      pg,
    );
  }
  if (pg) {
    await closeBaselinePostgres(pg);
    pg = null;
  }
  const httpOptions = {
    logLevel: o.serverLogLevel,
    seconds: o.httpSeconds,
    clients: o.httpClients,
    maxEvents: o.httpMaxEvents,
    openLoopSeconds: o.openLoopSeconds,
    openLoopFraction: o.openLoopFraction,
  };
  await settle();
  if (has("http")) {
    progress("HTTP ingest (service in a child process) ...");
    r.httpIngest = await runHttpIngest(dir, httpOptions);
    await settle();
  }
  if (has("compat")) {
    progress("HTTP drop-in ingest endpoints against native POST /v1/events ...");
    r.httpCompat = await runHttpCompat(dir, {
      logLevel: o.serverLogLevel,
      seconds: Math.max(2, Math.round(o.httpSeconds[0] / 2)),
      clients: o.httpClients[0],
      batch: 100,
      maxEvents: o.httpMaxEvents,
    });
    await settle();
  }
  if (has("alerts")) {
    progress("HTTP ingest with alert rules following the log ...");
    r.httpAlerts = await runHttpAlerts(dir, {
      logLevel: o.serverLogLevel,
      seconds: o.httpSeconds[0],
      clients: o.httpClients[0],
      maxEvents: o.httpMaxEvents,
    });
    await settle();
  }
  if (has("streams")) {
    progress("HTTP ingest with SIEM streams following the log ...");
    r.httpStreams = await runHttpStreams(dir, {
      logLevel: o.serverLogLevel,
      seconds: o.httpSeconds[0],
      clients: o.httpClients[0],
      maxEvents: o.httpMaxEvents,
      natsUrl: process.env.TRAILPROOF_BENCH_NATS_URL ?? "nats://127.0.0.1:4222",
    });
    await settle();
  }
  if (has("export")) {
    progress("HTTP search and export ...");
    const read = await runHttpRead(ledgerDir, adminKey, {
      logLevel: o.serverLogLevel,
      searchIterations: o.searchIterations,
    });
    r.httpRead.push({ ...read, note: "in-process log" });
  }
  if (has("httpexport")) {
    progress("HTTP filtered exports (ndjson, csv, ocsf) ...");
    const runs = await runHttpExport(ledgerDir, adminKey, { logLevel: o.serverLogLevel, events: o.events });
    r.notes.push(renderHttpExport(o.events, runs));
  }
  if (has("large") && o.largeEvents !== null) {
    progress(`large log: building ${o.largeEvents} events ...`);
    const { adminKey: key, dataDir, ...built } = await buildLargeLog(join(dir, "large"), o.largeEvents);
    r.largeLog = built;
    await settle();
    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
    if (has("search")) {
      // Search at the large log's size, which the targets are set at (it replaces the in-process
      // log's figures): the small tenant beside it, then the same cases (no baseline B).
      progress("large log: search latency ...");
      await appendAll(data, SMALL_TENANT, SMALL_TENANT_EVENTS, o.batch);
      const ids = {
        big: (await data.ledger.tenantRecord(BENCH_TENANT)).tenantId,
        small: (await data.ledger.tenantRecord(SMALL_TENANT)).tenantId,
      };
      const cases = searchCases(searchWindow(o.largeEvents));
      r.search = {
        events: o.largeEvents,
        cases: await runSearchLatency(cases, o.searchIterations, data.query, ids, null),
      };
    }
    r.proofs.push(await runProofLatency(data.ledger, BENCH_TENANT, o.proofIterations, LARGE_LOG_NOTE));
    r.verify.push({ ...(await runVerify(data, BENCH_TENANT, null)), note: "large log" });
    await data.ledger.close();
    const read = await runHttpRead(dataDir, key, { logLevel: o.serverLogLevel, searchIterations: 0 });
    r.httpRead.push({ ...read, note: "large log" });
  }

  r.targets = evaluateTargets(r);
  const miss = biggestMiss(r.targets);
  const target = o.profile === "auto" ? miss?.profile : o.profile === "none" ? undefined : o.profile;
  if (target) {
    await settle();
    const profDir = join(o.outDir, `${startedAt.replaceAll(":", "-").replace(/\.\d+Z$/, "Z")}-profile`);
    progress(`CPU profile of ${target === "append" ? "the in-process append" : "the service during HTTP ingest"} ...`);
    r.profile =
      target === "append"
        ? await profileAppend(dir, profDir, Math.min(o.events, 50_000), o.batch, o.concurrency)
        : await profileHttp(dir, profDir, {
            ...httpOptions,
            seconds: [Math.min(o.httpSeconds[0], 10), 1],
            openLoopSeconds: 0,
          });
  }
} finally {
  if (pg) await closeBaselinePostgres(pg);
  // A directory given with --dir is the caller's: only a temporary one is removed.
  if (!o.keep && o.dir === null) rmSync(dir, { recursive: true, force: true });
}
r.seconds = Math.round((performance.now() - t0) / 1000);
process.stdout.write(renderReport(r));
progress(`\nwrote ${writeResults(o.outDir, r)}${o.keep || o.dir !== null ? `; kept ${dir}` : ""}`);
