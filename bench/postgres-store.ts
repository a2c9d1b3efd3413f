// Trailproof in-process on the PostgreSQL store: the same sealed append as
// in-process-append.ts (ledger.append, batches of `batch`, `concurrency` in
// flight, timed until the search projection covers each chunk), through
// openDatabase as the app role on a fresh database; then the search cases on
// that database's query side, beside baseline B when it ran.
import { type DataDir, openDatabase, openPostgres, provisionTenant } from "@trailproof/ledger";
import type { BaselinePostgres } from "./baseline-postgres.js";
import type { InsertResult } from "./baseline-sqlite.js";
import { eventChunks } from "./event-generator.js";
import { appendAll, BENCH_TENANT, SMALL_TENANT, SMALL_TENANT_EVENTS } from "./in-process-append.js";
import type { CpuMeter, CpuUse } from "./postgres-cpu.js";
import type { BenchDatabase } from "./postgres-database.js";
import { searchCases, searchWindow } from "./search-cases.js";
import { runSearchLatency, type SearchLatency } from "./search-latency.js";
import { perSecond, runLoops, Stopwatch } from "./stats.js";

export interface PostgresAppendRun extends InsertResult {
  concurrency: number;
  checkpoints: number;
  smallTenantEvents: number;
  /** pg_database_size once both tenants are in, after ANALYZE. */
  databaseMb: number;
  /** Over the timed part: the bench process (the ledger, its seal workers) and PostgreSQL; null: not measured. */
  cpu: CpuUse | null;
}

export interface PostgresStoreRun {
  database: string;
  append: PostgresAppendRun;
  search: { events: number; cases: SearchLatency[] } | null;
}

/** The ledger as the service opens it on PostgreSQL (one node, a pool of 10 connections). */
function openStore(db: BenchDatabase, masterKeyFile: string, checkpointIntervalMs: number): Promise<DataDir> {
  return openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs });
}

async function asOwner<T>(db: BenchDatabase, fn: (sql: ReturnType<typeof openPostgres>) => Promise<T>): Promise<T> {
  const sql = openPostgres(db.ownerUrl, { max: 1, applicationName: "trailproof-bench" });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function runPostgresAppend(
  db: BenchDatabase,
  masterKeyFile: string,
  total: number,
  batch: number,
  concurrency: number,
  meter: CpuMeter | null,
): Promise<PostgresAppendRun> {
  const data = await openStore(db, masterKeyFile, 1000);
  try {
    await provisionTenant(data.ledger, data.access, BENCH_TENANT, { createdBy: "bench" });
    const watch = new Stopwatch();
    for (const chunk of eventChunks(total)) {
      let next = 0;
      meter?.start();
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
        await data.settled();
      });
      meter?.stop();
    }
    await appendAll(data, SMALL_TENANT, SMALL_TENANT_EVENTS, batch);
    await data.ledger.publishCheckpoints();
    const checkpoints = (await data.ledger.checkpoints(BENCH_TENANT)).length;
    // Autovacuum would analyze the new rows within a minute; the search runs on statistics, as in service.
    const bytes = await asOwner(db, async (sql) => {
      await sql.unsafe("ANALYZE");
      const [row] = await sql<{ bytes: number }[]>`SELECT pg_database_size(current_database()) AS bytes`;
      return row?.bytes ?? 0;
    });
    return {
      events: total,
      eventsPerSecond: perSecond(total, watch.ms),
      seconds: watch.ms / 1000,
      batch,
      concurrency,
      checkpoints,
      smallTenantEvents: SMALL_TENANT_EVENTS,
      databaseMb: Math.round(bytes / 2 ** 20),
      cpu: meter?.use() ?? null,
    };
  } finally {
    await data.ledger.close();
  }
}

/** The search cases on the store runPostgresAppend filled, with baseline B's table beside it when given. */
export async function runPostgresSearch(
  db: BenchDatabase,
  masterKeyFile: string,
  events: number,
  iterations: number,
  baseline: BaselinePostgres | null,
): Promise<SearchLatency[]> {
  const data = await openStore(db, masterKeyFile, 0);
  try {
    const ids = {
      big: (await data.ledger.tenantRecord(BENCH_TENANT)).tenantId,
      small: (await data.ledger.tenantRecord(SMALL_TENANT)).tenantId,
    };
    return await runSearchLatency(searchCases(searchWindow(events)), iterations, data.query, ids, baseline);
  } finally {
    await data.ledger.close();
  }
}
