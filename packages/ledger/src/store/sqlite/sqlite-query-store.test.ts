// SqliteAuditQuery: the AuditQuery conformance suite on a real SQLite file,
// plus what only SQLite has: backfilling an existing database, the derived
// tables staying append-only, and the query plans of the typical searches.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventFilter } from "@trailproof/protocol";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { Ledger } from "../../ledger.js";
import { runAuditQueryConformance } from "../../query/audit-query.conformance.js";
import { ACME_EVENTS, at, GLOBEX_EVENTS, ids, seedAuditData } from "../../query/audit-query.fixture.js";
import { encodeCursor } from "../../query/cursor.js";
import { checkEventFilter, checkPageRequest } from "../../query/query-input.js";
import { checkStatsOptions } from "../../query/stats-buckets.js";
import { SqliteAuditQuery } from "./sqlite-query-store.js";
import { bucketCountsSql, type SqlQuery, searchSql, topGroupsSql } from "./sqlite-search-sql.js";
import { SqliteStore } from "./sqlite-store.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "trailproof-query-"));

/** A second connection to the ledger's database file, as the server's reader would be. */
function openReader(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, "trailproof.db"));
  db.pragma("busy_timeout = 5000");
  return db;
}

runAuditQueryConformance("SQLite file (search structures present before the data)", async () => {
  const dataDir = tempDir();
  const ledger = await Ledger.open({ dataDir, checkpointIntervalMs: 0 });
  const db = openReader(dataDir);
  const query = new SqliteAuditQuery(db);
  return {
    ledger,
    query,
    close: async () => {
      await ledger.close();
      db.close();
    },
  };
});

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

/** A database written by a ledger that never had the search structures (a bare SqliteStore), then closed. */
async function legacyDatabase() {
  const dataDir = tempDir();
  const store = new SqliteStore(new Database(join(dataDir, "trailproof.db")));
  const ledger = await Ledger.open({ dataDir, checkpointIntervalMs: 0, store });
  const data = await seedAuditData(ledger);
  await ledger.close();
  const db = openReader(dataDir);
  cleanup.push(() => void db.close());
  return { dataDir, data, db };
}

describe("SqliteAuditQuery on an existing database", () => {
  it("refuses a database without the log schema", () => {
    const db = new Database(join(tempDir(), "empty.db"));
    cleanup.push(() => void db.close());
    let caught: unknown;
    try {
      new SqliteAuditQuery(db);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: "STORE_SCHEMA_MISSING" });
  });

  it("backfills the full-text and tag indexes from entries written before them", async () => {
    const { db, data } = await legacyDatabase();
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'entry_tags'").get()).toEqual({ n: 0 });
    const query = new SqliteAuditQuery(db);
    const page = { limit: 100, order: "asc" } as const;
    expect(ids((await query.search(data.acme, { text: "checkout stack" }, page)).entries)).toEqual(["page_v1"]);
    expect(ids((await query.search(data.acme, { tag: "module:auth" }, page)).entries)).toEqual([
      "login_ada",
      "login_eve",
    ]);
    const tagRows = (db.prepare("SELECT count(*) AS n FROM entry_tags").get() as { n: number }).n;
    const expectedTags = [...ACME_EVENTS, ...GLOBEX_EVENTS].reduce(
      (n, e) => n + ((e.tags as string[] | undefined)?.length ?? 0),
      0,
    );
    expect(tagRows).toBe(expectedTags);
    // Idempotent: a second construction neither fails nor indexes anything twice.
    new SqliteAuditQuery(db);
    expect((db.prepare("SELECT count(*) AS n FROM entry_tags").get() as { n: number }).n).toBe(tagRows);
    expect(ids((await query.search(data.acme, { text: "checkout stack" }, page)).entries)).toEqual(["page_v1"]);
  });

  it("indexes entries appended later through the triggers", async () => {
    const { dataDir, db, data } = await legacyDatabase();
    const query = new SqliteAuditQuery(db);
    const ledger = await Ledger.open({ dataDir, checkpointIntervalMs: 0 });
    cleanup.unshift(() => ledger.close());
    const [result] = await ledger.append("acme", [
      {
        id: "late",
        action: "app.update",
        occurred_at: at(5, 9),
        actor: { type: "user", id: "usr_ada" },
        target: { type: "app", id: "shop" },
        message: "A late zebra edit",
        tags: ["module:late", "module:late"],
      },
    ]);
    expect(result?.status).toBe("created");
    const page = { limit: 10, order: "asc" } as const;
    expect(ids((await query.search(data.acme, { text: "zebra" }, page)).entries)).toEqual(["late"]);
    expect(ids((await query.search(data.acme, { tag: "module:late" }, page)).entries)).toEqual(["late"]);
  });

  it("keeps the tag index append-only; the full-text index never writes to entries", async () => {
    const { db } = await legacyDatabase();
    new SqliteAuditQuery(db);
    expect(() => db.prepare("DELETE FROM entry_tags").run()).toThrow(/STORE_APPEND_ONLY/);
    expect(() => db.prepare("UPDATE entry_tags SET tag = 'x'").run()).toThrow(/STORE_APPEND_ONLY/);
    const before = db.prepare("SELECT count(*) AS n, sum(length(message)) AS m FROM entries").get();
    db.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')").run();
    expect(db.prepare("SELECT count(*) AS n, sum(length(message)) AS m FROM entries").get()).toEqual(before);
    expect(() => db.prepare("UPDATE entries SET message = 'forged'").run()).toThrow(/STORE_APPEND_ONLY/);
  });
});

/** The plan SQLite chooses for `q`, one line per step. */
function plan(db: Database.Database, q: SqlQuery): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[];
  return rows.map((r) => r.detail).join("\n");
}

describe("query plans of the typical searches", () => {
  it.each([false, true])("use an index for each, never a full scan of entries (ANALYZE run: %s)", async (analyze) => {
    const { db, data } = await legacyDatabase();
    new SqliteAuditQuery(db);
    if (analyze) db.exec("ANALYZE");
    const page = checkPageRequest({ limit: 50, order: "desc" });
    const search = (filter: EventFilter) => plan(db, searchSql(data.acme, checkEventFilter(filter), page));
    const week = checkEventFilter({ from: at(0, 0), to: at(7, 0) });
    const day = checkStatsOptions({ bucket: "day" }).grid;
    // A day holding a few of the tenant's entries: statistics MUST NOT turn it into a tenant-wide read.
    const oneDay = checkEventFilter({ from: at(0, 0), to: at(1, 0) });
    const hour = checkStatsOptions({ bucket: "hour" }).grid;
    const cases: [string, string, RegExp][] = [
      ["one actor's last 50", search({ actorId: "usr_ada" }), /SEARCH e USING INDEX entries_actor/],
      [
        "an action prefix in a day",
        search({ actionPrefix: "app.", from: at(0, 0), to: at(1, 0) }),
        /SEARCH e USING INDEX entries_(action|time)/,
      ],
      ["one target's history", search({ targetType: "page", targetId: "checkout" }), /USING INDEX entries_target/],
      ["a common free-text word", search({ text: "checkout" }), /entries_fts VIRTUAL TABLE INDEX/],
      [
        "a rare free-text word",
        plan(db, searchSql(data.acme, checkEventFilter({ text: "checkout" }), page, true)),
        /^SCAN f VIRTUAL TABLE INDEX 0:M1\nSEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)/,
      ],
      ["a tag", search({ tag: "module:builder" }), /SEARCH t USING PRIMARY KEY \(tenant_id=\? AND tag=\?\)/],
      ["one session", search({ sessionId: "ses_ada" }), /SEARCH e USING INDEX entries_session/],
      ["one run", search({ runId: "run_1", actorType: "automation" }), /SEARCH e USING INDEX entries_run/],
      ["a week histogram", plan(db, bucketCountsSql(data.acme, week, day)), /USING (COVERING )?INDEX entries_time/],
      [
        "a day histogram by actor",
        plan(db, bucketCountsSql(data.acme, oneDay, hour, { groupBy: "actor", groups: ["usr_ada"] })),
        /SEARCH e USING INDEX entries_time/,
      ],
      [
        "a day's top actors",
        plan(db, topGroupsSql(data.acme, oneDay, "actor", 10)),
        /SEARCH e USING INDEX entries_time/,
      ],
    ];
    for (const [name, detail, want] of cases) {
      expect(detail, name).toMatch(want);
      expect(detail, name).not.toMatch(/SCAN e\b/);
    }
  });
});

describe("text searches driven by the matches", () => {
  it("return what the time-ordered walk returns, page by page", async () => {
    const { db, data } = await legacyDatabase();
    new SqliteAuditQuery(db);
    let compared = 0;
    const run = (q: SqlQuery) => (db.prepare(q.sql).all(...q.params) as { event_id: string }[]).map((r) => r.event_id);
    for (const filter of [
      { text: "linus wired" },
      { text: "checkout", actorId: "usr_ada" },
      { text: "ada", from: at(0, 9), to: at(3, 0) },
      { text: "component", actionPrefix: "component." },
    ] satisfies EventFilter[]) {
      const f = checkEventFilter(filter);
      for (const order of ["asc", "desc"] as const) {
        for (const cursor of [undefined, encodeCursor({ occurredMs: Date.parse(at(4, 10, 0, 4)), index: 20 }, order)]) {
          const page = checkPageRequest({ limit: 7, order, ...(cursor === undefined ? {} : { cursor }) });
          const walked = run(searchSql(data.acme, f, page));
          expect(run(searchSql(data.acme, f, page, true)), JSON.stringify(filter)).toEqual(walked);
          compared += walked.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
  });
});
