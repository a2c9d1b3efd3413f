// Baseline B, what platforms do today: a plain PostgreSQL audit_logs table,
// the event as JSONB beside a few extracted columns, the same indexes as the
// service (plus a GIN tsvector for message text and a GIN on tags, matching
// its FTS5 and tag tables), multi-row INSERTs of `batch` rows, a few in flight.
import { connect, type Socket } from "node:net";
import postgres from "postgres";
import type { InsertResult } from "./baseline-sqlite.js";
import { type BenchEvent, eventChunks } from "./event-generator.js";
import { perSecond, runLoops, Stopwatch } from "./stats.js";

export type Sql = postgres.Sql;

export interface BaselinePostgres {
  sql: Sql;
  /** bench_<pid>: created by this run, dropped at its end. */
  schema: string;
  version: string;
}

/** Connects over TCP with Nagle off (postgres.js leaves it on, which stalls each batch ~40 ms). */
export async function openBaselinePostgres(url: string, inflight: number): Promise<BaselinePostgres> {
  const { hostname, port } = new URL(url);
  const socket = () =>
    new Promise<Socket>((resolve, reject) => {
      const s = connect(Number(port || 5432), hostname);
      s.setNoDelay(true);
      s.once("connect", () => resolve(s));
      s.once("error", reject);
    });
  // `socket` is documented and implemented by postgres.js 3.4 but missing from its types.
  const options = { max: inflight, socket, onnotice: () => undefined, connect_timeout: 5 };
  const sql = postgres(url, options);
  const [row] = await sql<{ version: string }[]>`SELECT version()`;
  const schema = `bench_${process.pid}`;
  await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  await sql.unsafe(tableDdl(schema));
  return { sql, schema, version: row?.version ?? "unknown" };
}

export async function closeBaselinePostgres(pg: BaselinePostgres): Promise<void> {
  await pg.sql.unsafe(`DROP SCHEMA IF EXISTS ${pg.schema} CASCADE`);
  await pg.sql.end({ timeout: 5 });
}

/** Text columns in the C collation: byte order, like SQLite's, so prefix ranges use the index. */
function tableDdl(s: string): string {
  return `
CREATE TABLE ${s}.audit_logs (
  id bigserial PRIMARY KEY,
  tenant_id integer NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  action text COLLATE "C" NOT NULL,
  actor_type text COLLATE "C" NOT NULL,
  actor_id text COLLATE "C" NOT NULL,
  target_type text COLLATE "C" NOT NULL,
  target_id text COLLATE "C" NOT NULL,
  session_id text COLLATE "C",
  run_id text COLLATE "C",
  workflow_id text COLLATE "C",
  caused_by text COLLATE "C",
  data jsonb NOT NULL
);
CREATE UNIQUE INDEX ON ${s}.audit_logs (tenant_id, event_id);
CREATE INDEX ON ${s}.audit_logs (tenant_id, occurred_at, id);
CREATE INDEX ON ${s}.audit_logs (tenant_id, actor_id, occurred_at, id);
CREATE INDEX ON ${s}.audit_logs (tenant_id, action, occurred_at, id);
CREATE INDEX ON ${s}.audit_logs (tenant_id, target_type, target_id, occurred_at, id);
CREATE INDEX ON ${s}.audit_logs (tenant_id, session_id) WHERE session_id IS NOT NULL;
CREATE INDEX ON ${s}.audit_logs (tenant_id, run_id) WHERE run_id IS NOT NULL;
CREATE INDEX ON ${s}.audit_logs (tenant_id, workflow_id, occurred_at) WHERE workflow_id IS NOT NULL;
CREATE INDEX ON ${s}.audit_logs (tenant_id, caused_by) WHERE caused_by IS NOT NULL;
CREATE INDEX ON ${s}.audit_logs USING gin (to_tsvector('simple', data->>'message'));
CREATE INDEX ON ${s}.audit_logs USING gin ((data->'tags') jsonb_path_ops);
`;
}

/** One row as the platform's INSERT sends it; the JSONB column gets the event's JSON text. */
function toRow(e: BenchEvent) {
  return {
    tenant_id: 1,
    event_id: e.id,
    occurred_at: e.occurred_at,
    action: e.action,
    actor_type: e.actor.type,
    actor_id: e.actor.id,
    target_type: e.target.type,
    target_id: e.target.id,
    session_id: e.context.session_id ?? null,
    run_id: e.automation?.run_id ?? null,
    workflow_id: e.automation?.workflow_id ?? null,
    caused_by: e.automation?.caused_by ?? null,
    data: JSON.stringify(e),
  };
}

/**
 * Multi-row INSERT ... VALUES through postgres.js's helper: on this machine it
 * beat unnest() of text or jsonb arrays and matched COPY for 1,000-row batches.
 */
export async function runBaselinePostgres(pg: BaselinePostgres, total: number, batch: number): Promise<InsertResult> {
  const { sql, schema } = pg;
  const inflight = Number(sql.options.max);
  const watch = new Stopwatch();
  for (const chunk of eventChunks(total)) {
    let next = 0;
    await watch.time(() =>
      runLoops(inflight, async () => {
        if (next >= chunk.length) return false;
        const from = next;
        next += batch;
        await sql`INSERT INTO ${sql(schema)}.audit_logs ${sql(chunk.slice(from, from + batch).map(toRow))}`;
        return true;
      }),
    );
  }
  await sql.unsafe(`ANALYZE ${schema}.audit_logs`);
  return { events: total, eventsPerSecond: perSecond(total, watch.ms), seconds: watch.ms / 1000, batch };
}
