// The typical queries, each written twice: through Trailproof's query layer
// (AuditQuery, as the API serves it) and as the SQL a platform would run on
// its JSONB audit_logs table. Parameters rotate by iteration so no single
// key stays hot; both sides get the same values.
import type { AuditQuery } from "@trailproof/ledger";
import type { Sql } from "./baseline-postgres.js";
import { DEFAULT_GENERATOR } from "./event-generator.js";

const DAY_MS = 86_400_000;
const ACTORS = ["usr_ada", "usr_grace", "usr_linus", "usr_margaret"];
const PREFIXES = ["app.", "record.", "policy.", "user.", "component.", "workflow."];
/** First names in the generated messages: each word matches about 1 event in 6. */
const WORDS = ["grace", "ada", "linus", "margaret"];
const LIMIT = 50;
const page = { limit: LIMIT, order: "desc" as const };

export interface SearchWindow {
  /** The UTC day holding the middle event: the "in a day" range. */
  dayFrom: string;
  dayTo: string;
  /** Seven days centred on the middle event, on hour boundaries: the histogram range. */
  weekFrom: string;
  weekTo: string;
}

/** Ranges over the generated data (its time span follows from the generator's mean gap). */
export function searchWindow(total: number): SearchWindow {
  const middle = DEFAULT_GENERATOR.startMs + (total / 2) * DEFAULT_GENERATOR.meanGapMs;
  const day = Math.floor(middle / DAY_MS) * DAY_MS;
  const week = Math.floor((middle - 3.5 * DAY_MS) / 3_600_000) * 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  return { dayFrom: iso(day), dayTo: iso(day + DAY_MS), weekFrom: iso(week), weekTo: iso(week + 7 * DAY_MS) };
}

export interface SearchCase {
  name: string;
  /** Whose events: the big tenant (default) or the small one beside it in the same data directory. */
  tenant?: "big" | "small";
  trailproof: (q: AuditQuery, tenantId: number, i: number) => Promise<unknown>;
  /** Null: baseline B holds one tenant only, so it has no counterpart. */
  postgres: ((sql: Sql, schema: string, i: number) => Promise<unknown>) | null;
  /** How the baseline answers it, for the report. */
  postgresPlan: string;
}

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

export function searchCases(w: SearchWindow): SearchCase[] {
  const order = (sql: Sql) => sql`ORDER BY occurred_at DESC, id DESC LIMIT ${LIMIT + 1}`;
  return [
    {
      name: "one actor's last 50 events",
      trailproof: (q, t, i) => q.search(t, { actorId: pick(ACTORS, i) }, page),
      postgres: (sql, s, i) =>
        sql`SELECT id, data FROM ${sql(s)}.audit_logs WHERE tenant_id = 1 AND actor_id = ${pick(ACTORS, i)} ${order(sql)}`,
      postgresPlan: "btree (tenant_id, actor_id, occurred_at, id)",
    },
    {
      name: "an action prefix in a day",
      trailproof: (q, t, i) => q.search(t, { actionPrefix: pick(PREFIXES, i), from: w.dayFrom, to: w.dayTo }, page),
      postgres: (sql, s, i) => {
        const prefix = pick(PREFIXES, i);
        const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
        return sql`SELECT id, data FROM ${sql(s)}.audit_logs WHERE tenant_id = 1 AND action >= ${prefix}
          AND action < ${end} AND occurred_at >= ${w.dayFrom} AND occurred_at < ${w.dayTo} ${order(sql)}`;
      },
      postgresPlan: 'btree (tenant_id, action, occurred_at, id), action in a "C"-collated range',
    },
    {
      name: "one target's history",
      trailproof: (q, t, i) => q.targetHistory(t, "page", `page_${i % 40}`, page),
      postgres: (sql, s, i) =>
        sql`SELECT id, data FROM ${sql(s)}.audit_logs WHERE tenant_id = 1 AND target_type = 'page'
          AND target_id = ${`page_${i % 40}`} ${order(sql)}`,
      postgresPlan: "btree (tenant_id, target_type, target_id, occurred_at, id)",
    },
    {
      name: "a free-text word",
      trailproof: (q, t, i) => q.search(t, { text: pick(WORDS, i) }, page),
      postgres: (sql, s, i) =>
        sql`SELECT id, data FROM ${sql(s)}.audit_logs WHERE tenant_id = 1
          AND to_tsvector('simple', data->>'message') @@ plainto_tsquery('simple', ${pick(WORDS, i)}) ${order(sql)}`,
      postgresPlan: "GIN to_tsvector('simple', data->>'message') (Trailproof: FTS5 on message)",
    },
    {
      // One tenant's data must never slow another's search (issue 9): the
      // small tenant's events hold the same words as the big tenant's.
      name: "a free-text word, small tenant beside the big one",
      tenant: "small",
      trailproof: (q, t, i) => q.search(t, { text: pick(WORDS, i) }, page),
      postgres: null,
      postgresPlan: "- (baseline B has one tenant)",
    },
    {
      name: "stats: hourly histogram of a week",
      trailproof: (q, t) => q.stats(t, { from: w.weekFrom, to: w.weekTo }, { bucket: "hour" }),
      postgres: (sql, s) =>
        sql`SELECT date_trunc('hour', occurred_at) AS bucket, count(*) FROM ${sql(s)}.audit_logs
          WHERE tenant_id = 1 AND occurred_at >= ${w.weekFrom} AND occurred_at < ${w.weekTo} GROUP BY 1 ORDER BY 1`,
      postgresPlan: "btree (tenant_id, occurred_at, id), date_trunc('hour') GROUP BY",
    },
  ];
}

/** The HTTP form of the first case, for GET /v1/events. */
export function httpSearchPath(i: number): string {
  return `/v1/events?actor_id=${pick(ACTORS, i)}&limit=${LIMIT}`;
}
