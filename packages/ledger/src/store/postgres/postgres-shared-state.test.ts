// PostgresSharedState: the SharedState conformance suite on the real server
// with two pools (two nodes) as the app role, and what only the database
// shows: the app role's grants and the pruning of expired rows.
import { afterEach, describe, expect, it } from "vitest";
import { runSharedStateConformance } from "../shared-state.conformance.js";
import { openPostgres, type PgSql } from "./postgres-client.js";
import { PostgresSharedState } from "./postgres-shared-state.js";
import { createTestDatabase } from "./postgres-test-database.fixture.js";

interface Pair {
  a: PostgresSharedState;
  b: PostgresSharedState;
  /** Node a's pool, as the app role. */
  app: PgSql;
  owner: PgSql;
  close(): Promise<void>;
}

async function openPair(): Promise<Pair> {
  const db = await createTestDatabase();
  const pools = [openPostgres(db.appUrl, { max: 4 }), openPostgres(db.appUrl, { max: 4 })] as const;
  const owner = openPostgres(db.ownerUrl, { max: 1 });
  return {
    a: new PostgresSharedState(pools[0]),
    b: new PostgresSharedState(pools[1]),
    app: pools[0],
    owner,
    close: async () => {
      for (const p of [...pools, owner]) await p.end({ timeout: 5 });
      await db.drop();
    },
  };
}

runSharedStateConformance("PostgreSQL", openPair);

describe("PostgreSQL shared state", () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0)) await f();
  });

  it("a node's next write deletes every expired row, and readers never saw them", async () => {
    const pair = await openPair();
    cleanup.push(pair.close);
    const { a, b, owner } = pair;
    await b.put("old-value", "v", 60_000);
    await b.increment("old-counter", 60_000);
    await b.addHit("old-hit", 60_000);
    // Expired as far as the database's clock goes (the owner edits what the app role cannot backdate).
    await owner`UPDATE shared_values SET expires_at = now() - interval '1 second'`;
    await owner`UPDATE shared_counters SET window_ends_at = now() - interval '1 second'`;
    await owner`UPDATE shared_hits SET at = now() - interval '2 minutes', expires_at = now() - interval '1 second'`;
    expect(await b.get("old-value")).toBeUndefined();
    expect((await b.recentHits("old-hit", 60_000)).count).toBe(0);
    // Node a has not pruned yet: its first write of each kind does.
    await a.put("new-value", "v", 60_000);
    await a.increment("new-counter", 60_000);
    await a.addHit("new-hit", 60_000);
    const left = await owner<{ t: string; key: string }[]>`
      SELECT 'values' AS t, key FROM shared_values UNION ALL
      SELECT 'counters', key FROM shared_counters UNION ALL
      SELECT 'hits', key FROM shared_hits ORDER BY 1, 2`;
    expect(left).toEqual([
      { t: "counters", key: "new-counter" },
      { t: "hits", key: "new-hit" },
      { t: "values", key: "new-value" },
    ]);
  });

  it("the app role may use the tables but not change their shape", async () => {
    const { app, close } = await openPair();
    cleanup.push(close);
    await expect(app`TRUNCATE shared_values`).rejects.toMatchObject({ code: "42501" });
    await expect(app`ALTER TABLE shared_hits ADD COLUMN x int`).rejects.toMatchObject({ code: "42501" });
  });
});
