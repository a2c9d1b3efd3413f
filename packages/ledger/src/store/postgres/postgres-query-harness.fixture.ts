// A Ledger over a fresh PostgreSQL test database with the search projection
// following it and the checked query side reading it, as a service node
// wires them; close() ends every pool and drops the database.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LogFollower } from "../../follow/log-follower.js";
import { Ledger } from "../../ledger.js";
import type { AuditQueryHarness } from "../../query/audit-query.conformance.js";
import { CheckedAuditQuery } from "../../query/checked-audit-query.js";
import { PostgresAuditQuery } from "./postgres-audit-query.js";
import { openPostgres, type PgSql } from "./postgres-client.js";
import { PostgresLogStore } from "./postgres-log-store.js";
import { PostgresSearchProjection } from "./postgres-search-projection.js";
import { createTestDatabase, type TestDatabase } from "./postgres-test-database.fixture.js";

export interface PostgresQueryHarness extends AuditQueryHarness {
  db: TestDatabase;
  /** The app role's pool the ledger, the projection and the query share. */
  app: PgSql;
  /** The search follower; absent when opened with follow: false (settled() then resolves at once). */
  search: LogFollower | undefined;
}

export interface PostgresQueryHarnessOptions {
  /** Start the search follower (default true). */
  follow?: boolean;
}

export async function openPostgresQueryHarness(
  options: PostgresQueryHarnessOptions = {},
): Promise<PostgresQueryHarness> {
  const db = await createTestDatabase();
  const app = openPostgres(db.appUrl, { max: 4, applicationName: "trailproof-tests" });
  try {
    const ledger = await Ledger.open({
      dataDir: mkdtempSync(join(tmpdir(), "trailproof-pg-query-")),
      store: new PostgresLogStore(app),
      checkpointIntervalMs: 0,
    });
    const search = (options.follow ?? true) ? ledger.follow(new PostgresSearchProjection(app)) : undefined;
    return {
      db,
      app,
      search,
      ledger,
      query: new CheckedAuditQuery(new PostgresAuditQuery(app), ledger.readDivergences),
      settled: async () => search?.idle(),
      close: async () => {
        await ledger.close();
        await app.end({ timeout: 5 });
        await db.drop();
      },
    };
  } catch (err) {
    await app.end({ timeout: 5 });
    await db.drop();
    throw err;
  }
}
