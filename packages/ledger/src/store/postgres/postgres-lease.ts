// Leases on PostgreSQL: one row per lease, taken with a single upsert that
// succeeds only when the row is free, lapsed or the caller's own; the
// database's clock decides expiry, so nodes' clocks need not agree.
import type { LeaseStore } from "../lease-store.js";
import type { PgSql } from "./postgres-client.js";

export class PostgresLeaseStore implements LeaseStore {
  readonly #sql: PgSql;

  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const rows = await this.#sql`
      INSERT INTO leases (name, holder, expires_at)
      VALUES (${name}, ${holder}, now() + make_interval(secs => ${ttlMs / 1000}))
      ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
        WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < now()
      RETURNING holder`;
    return rows.length === 1;
  }

  async release(name: string, holder: string): Promise<void> {
    await this
      .#sql`UPDATE leases SET expires_at = now() - interval '1 second' WHERE name = ${name} AND holder = ${holder}`;
  }
}
