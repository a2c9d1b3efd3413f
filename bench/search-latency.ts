// Search latency: each typical query, warmed up, then timed one at a time
// (p50/p95), through Trailproof's query layer and on baseline B's table.
import type { AuditQuery } from "@trailproof/ledger";
import type { Sql } from "./baseline-postgres.js";
import type { SearchCase } from "./search-cases.js";
import { type LatencySummary, summarise } from "./stats.js";

export interface SearchLatency {
  name: string;
  trailproof: LatencySummary;
  postgres: LatencySummary | null;
  postgresPlan: string;
}

const WARMUP = 5;

export async function timeCalls(iterations: number, call: (i: number) => Promise<unknown>): Promise<LatencySummary> {
  for (let i = 0; i < WARMUP; i++) await call(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await call(i);
    samples.push(performance.now() - t0);
  }
  return summarise(samples);
}

export async function runSearchLatency(
  cases: readonly SearchCase[],
  iterations: number,
  query: AuditQuery,
  tenantIds: { big: number; small: number },
  pg: { sql: Sql; schema: string } | null,
): Promise<SearchLatency[]> {
  const out: SearchLatency[] = [];
  for (const c of cases) {
    const tenantId = tenantIds[c.tenant ?? "big"];
    const onPostgres = c.postgres;
    out.push({
      name: c.name,
      trailproof: await timeCalls(iterations, (i) => c.trailproof(query, tenantId, i)),
      postgres: pg && onPostgres ? await timeCalls(iterations, (i) => onPostgres(pg.sql, pg.schema, i)) : null,
      postgresPlan: c.postgresPlan,
    });
  }
  return out;
}
