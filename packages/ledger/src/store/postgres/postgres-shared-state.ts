// SharedState on PostgreSQL (shared-state.ts) over migration 5's tables:
// each method is one statement, so the database's row locks and unique keys
// make it atomic across nodes, and its clock decides every expiry.
import { checkSharedKey } from "../shared-key.js";
import type { RecentHits, SharedState, WindowCount } from "../shared-state.js";
import type { PgSql } from "./postgres-client.js";

/** How often one node deletes every expired row (per table, on its next write). */
const PRUNE_INTERVAL_MS = 30_000;

const interval = (ms: number) => ms / 1000;

export class PostgresSharedState implements SharedState {
  readonly #sql: PgSql;
  readonly #prunedAt = { hits: 0, counters: 0, values: 0 };

  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async addHit(key: string, windowMs: number): Promise<void> {
    checkSharedKey(key);
    await this.#prune("hits");
    await this.#sql`
      INSERT INTO shared_hits (key, at, expires_at)
      VALUES (${key}, now(), now() + make_interval(secs => ${interval(windowMs)}))`;
  }

  async recentHits(key: string, windowMs: number): Promise<RecentHits> {
    checkSharedKey(key);
    const [row] = await this.#sql<{ count: number; oldest_age_ms: number | null }[]>`
      SELECT count(*)::int AS count,
        (extract(epoch FROM now() - min(at)) * 1000)::float8 AS oldest_age_ms
      FROM shared_hits
      WHERE key = ${key} AND at > now() - make_interval(secs => ${interval(windowMs)})`;
    return { count: row?.count ?? 0, oldestAgeMs: Math.max(0, Math.round(row?.oldest_age_ms ?? 0)) };
  }

  async clearHits(key: string): Promise<void> {
    checkSharedKey(key);
    await this.#sql`DELETE FROM shared_hits WHERE key = ${key}`;
  }

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    checkSharedKey(key);
    await this.#prune("counters");
    // The conflicting row is locked for the update, so concurrent increments queue on it.
    const [row] = await this.#sql<{ count: number; reset_in_ms: number }[]>`
      INSERT INTO shared_counters AS c (key, count, window_ends_at)
      VALUES (${key}, 1, now() + make_interval(secs => ${interval(windowMs)}))
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN c.window_ends_at > now() THEN c.count + 1 ELSE 1 END,
        window_ends_at = CASE WHEN c.window_ends_at > now() THEN c.window_ends_at ELSE EXCLUDED.window_ends_at END
      RETURNING count, (extract(epoch FROM window_ends_at - now()) * 1000)::float8 AS reset_in_ms`;
    return { count: Number(row?.count), resetInMs: Math.max(0, Math.round(row?.reset_in_ms ?? 0)) };
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    checkSharedKey(key);
    await this.#prune("values");
    await this.#sql`
      INSERT INTO shared_values (key, value, expires_at)
      VALUES (${key}, ${value}, now() + make_interval(secs => ${interval(ttlMs)}))
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`;
  }

  async claim(key: string, value: string, ttlMs: number): Promise<boolean> {
    checkSharedKey(key);
    await this.#prune("values");
    const rows = await this.#sql`
      INSERT INTO shared_values AS v (key, value, expires_at)
      VALUES (${key}, ${value}, now() + make_interval(secs => ${interval(ttlMs)}))
      ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
        WHERE v.expires_at <= now()
      RETURNING key`;
    return rows.length === 1;
  }

  async get(key: string): Promise<string | undefined> {
    checkSharedKey(key);
    const [row] = await this.#sql<{ value: string }[]>`
      SELECT value FROM shared_values WHERE key = ${key} AND expires_at > now()`;
    return row?.value;
  }

  async take(key: string): Promise<string | undefined> {
    checkSharedKey(key);
    // Only one DELETE gets the row back; a concurrent one waits on its lock and finds nothing.
    const [row] = await this.#sql<{ value: string; live: boolean }[]>`
      DELETE FROM shared_values WHERE key = ${key} RETURNING value, expires_at > now() AS live`;
    return row?.live ? row.value : undefined;
  }

  async delete(key: string): Promise<void> {
    checkSharedKey(key);
    await this.#sql`DELETE FROM shared_values WHERE key = ${key}`;
  }

  /**
   * Deletes a table's expired rows when this node has not for a while:
   * readers ignore them anyway, so this only keeps the tables bounded by
   * what is live. Every node prunes; an overlap deletes nothing twice.
   */
  async #prune(table: "hits" | "counters" | "values"): Promise<void> {
    const now = Date.now();
    if (now - this.#prunedAt[table] < PRUNE_INTERVAL_MS) return;
    this.#prunedAt[table] = now;
    if (table === "hits") await this.#sql`DELETE FROM shared_hits WHERE expires_at <= now()`;
    else if (table === "counters") await this.#sql`DELETE FROM shared_counters WHERE window_ends_at <= now()`;
    else await this.#sql`DELETE FROM shared_values WHERE expires_at <= now()`;
  }
}
