// SqliteAuditQuery: the AuditQuery conformance suite on real SQLite files,
// plus what only SQLite has: the projection rebuilt from the log, a layout-1
// directory migrated, the derived tables staying append-only, read-your-writes
// and the query plans of the typical searches.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EventFilter } from "@trailproof/protocol";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { nodeHasher } from "../../node-hasher.js";
import { type DataDir, openDataDir } from "../../open-data-dir.js";
import { runAuditQueryConformance } from "../../query/audit-query.conformance.js";
import { ACME_EVENTS, at, GLOBEX_EVENTS, ids, seedAuditData } from "../../query/audit-query.fixture.js";
import { encodeCursor } from "../../query/cursor.js";
import { checkEventFilter, checkPageRequest } from "../../query/query-input.js";
import { checkStatsOptions } from "../../query/stats-buckets.js";
import { tenantLogReport } from "../../verify/tenant-log-report.js";
import { bucketCountsSql, type SqliteFilter, type SqlQuery, searchSql, topGroupsSql } from "./sqlite-search-sql.js";
import { readTextParts } from "./sqlite-text-parts.js";
import { walkTextMatches } from "./sqlite-text-walk.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "trailproof-query-"));

runAuditQueryConformance("SQLite files (projection following the log)", async () => {
  const data = await openDataDir({ dataDir: tempDir(), checkpointIntervalMs: 0 });
  return { ledger: data.ledger, query: data.query, settled: data.settled, close: () => data.ledger.close() };
});

// The same answers with the full-text index cut into parts of 4 entries, so
// every text query of the suite reads across several parts.
runAuditQueryConformance("SQLite files, full-text index in parts of 4 entries", async () => {
  const data = await openDataDir({ dataDir: tempDir(), checkpointIntervalMs: 0, sqliteTextPartEntries: 4 });
  return { ledger: data.ledger, query: data.query, settled: data.settled, close: () => data.ledger.close() };
});

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function open(dataDir: string, sqliteTextPartEntries?: number): Promise<DataDir> {
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, sqliteTextPartEntries });
  cleanup.unshift(() => data.ledger.close());
  return data;
}

/** A data directory with the query fixture appended and projected, then closed. */
async function seededDirectory(sqliteTextPartEntries?: number) {
  const dataDir = tempDir();
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, sqliteTextPartEntries });
  const seeded = await seedAuditData(data.ledger);
  await data.settled();
  await data.ledger.close();
  return { dataDir, seeded };
}

/** A raw connection to a tenant's file, as an operator's SQL shell would be. */
function tenantFile(dataDir: string, tenant: string): Database.Database {
  const db = new Database(join(dataDir, "tenants", `${tenant}.db`));
  cleanup.push(() => void db.close());
  return db;
}

const count = (db: Database.Database, sql: string) => (db.prepare(sql).get() as { n: number }).n;

/** A checked filter with the parts of the file's full-text index, as SqliteAuditQuery builds it. */
function sqliteFilter(db: Database.Database, filter: EventFilter): SqliteFilter {
  return { ...checkEventFilter(filter), textParts: readTextParts(db) };
}

/** One app edit by usr_ada, optionally with a message to search for. */
const appEdit = (id: string, occurredAt: string, message?: string) => ({
  id,
  action: "app.update",
  occurred_at: occurredAt,
  actor: { type: "user", id: "usr_ada" },
  target: { type: "app", id: "shop" },
  ...(message === undefined ? {} : { message }),
});

describe("the search projection", () => {
  it("is rebuilt from the log when it is lost, with the same answers", async () => {
    const { dataDir, seeded } = await seededDirectory();
    const page = { limit: 100, order: "asc" } as const;
    let data = await open(dataDir);
    const before = ids((await data.query.search(seeded.acme, { text: "checkout stack" }, page)).entries);
    const tagged = ids((await data.query.search(seeded.acme, { tag: "module:auth" }, page)).entries);
    expect(before).toEqual(["page_v1"]);
    expect(tagged).toEqual(["login_ada", "login_eve"]);
    await data.ledger.close();
    cleanup.shift();

    const db = tenantFile(dataDir, "acme");
    db.exec(
      "DROP TRIGGER search_rows_no_update; DROP TRIGGER search_tags_no_update; DELETE FROM search_rows; DELETE FROM search_tags; DELETE FROM search_hours; INSERT INTO search_fts (search_fts) VALUES ('delete-all'); DELETE FROM projection_state",
    );
    db.close();
    data = await open(dataDir);
    await data.settled();
    expect(ids((await data.query.search(seeded.acme, { text: "checkout stack" }, page)).entries)).toEqual(before);
    expect(ids((await data.query.search(seeded.acme, { tag: "module:auth" }, page)).entries)).toEqual(tagged);
    const file = tenantFile(dataDir, "acme");
    expect(count(file, "SELECT count(*) AS n FROM search_rows")).toBe(ACME_EVENTS.length);
    const expectedTags = ACME_EVENTS.reduce((n, e) => n + new Set(e.tags as string[] | undefined).size, 0);
    expect(count(file, "SELECT count(*) AS n FROM search_tags")).toBe(expectedTags);
    expect(count(file, "SELECT sum(n) AS n FROM search_hours")).toBe(ACME_EVENTS.length);
  });

  it("keeps its cursor with its rows: it resumes where it stopped, applying nothing twice", async () => {
    const { dataDir } = await seededDirectory();
    const db = tenantFile(dataDir, "globex");
    expect(count(db, "SELECT covered AS n FROM projection_state WHERE name = 'search'")).toBe(GLOBEX_EVENTS.length);
    const data = await open(dataDir);
    const [r] = await data.ledger.append("globex", [appEdit("later", at(6, 1), "A later quokka edit")]);
    expect(r?.status).toBe("created");
    await data.settled();
    expect(count(db, "SELECT covered AS n FROM projection_state WHERE name = 'search'")).toBe(GLOBEX_EVENTS.length + 1);
    expect(count(db, "SELECT count(*) AS n FROM search_rows")).toBe(GLOBEX_EVENTS.length + 1);
    const globex = await data.ledger.tenantRecord("globex");
    const status = data.search.status().find((s) => s.tenantId === globex.tenantId);
    expect(status).toMatchObject({ follower: "search", covered: GLOBEX_EVENTS.length + 1, error: null });
  });

  it("answers read-your-writes: waitForSearch resolves once the write's index is covered", async () => {
    const data = await open(tempDir());
    const acme = await data.ledger.createTenant("acme");
    const [r] = await data.ledger.append("acme", [appEdit("mine", at(1, 1), "my own narwhal write")]);
    if (r?.status !== "created") throw new Error("not created");
    expect(await data.waitForSearch(acme.tenantId, r.index + 1, 5000)).toBe(true);
    const page = { limit: 5, order: "asc" } as const;
    expect(ids((await data.query.search(acme.tenantId, { text: "narwhal" }, page)).entries)).toEqual(["mine"]);
    // An index nobody wrote is never covered: the wait ends with false at its timeout.
    expect(await data.waitForSearch(acme.tenantId, r.index + 10, 50)).toBe(false);
  });

  it("keeps projected rows and tags from being edited in place", async () => {
    const { dataDir } = await seededDirectory();
    const db = tenantFile(dataDir, "acme");
    expect(() => db.prepare("UPDATE search_rows SET actor_id = 'usr_eve'").run()).toThrow(/STORE_APPEND_ONLY/);
    expect(() => db.prepare("UPDATE search_tags SET tag = 'x'").run()).toThrow(/STORE_APPEND_ONLY/);
    expect(() => db.prepare("UPDATE entries SET event_id = 'forged'").run()).toThrow(/STORE_APPEND_ONLY/);
  });
});

describe("a layout-1 data directory", () => {
  it("is moved to one file per tenant on open, byte for byte: the log still verifies, search is rebuilt", async () => {
    const dataDir = tempDir();
    cpSync(join(import.meta.dirname, "../../../../../testdata/store-v1"), dataDir, { recursive: true });
    const data = await open(dataDir);
    expect(data.migrated).toEqual(["acme"]);
    const keys = (await data.ledger.verifierKeys("acme")).map((k) => k.verifier_key);
    const report = await tenantLogReport(data.ledger.store, nodeHasher, "acme", { verifierKeys: keys });
    expect(report).toMatchObject({ ok: true, treeSize: 20, divergences: [] });
    expect(report.checkpoints).toBeGreaterThanOrEqual(2);
    await data.settled();
    const acme = await data.ledger.tenantRecord("acme");
    const all = await data.query.search(acme.tenantId, {}, { limit: 100, order: "asc" });
    expect(all.entries).toHaveLength(20);
    const [r] = await data.ledger.append("acme", [appEdit("after_migration", at(1, 1))]);
    expect(r).toMatchObject({ status: "created", index: 20 });
    await data.ledger.close();
    cleanup.shift();
    const reopened = await open(dataDir);
    expect(reopened.migrated).toEqual([]);
    expect(await reopened.ledger.treeSize("acme")).toBe(21);
  });
});

/** The plan SQLite chooses for `q`, one line per step. */
function plan(db: Database.Database, q: SqlQuery): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[];
  return rows.map((r) => r.detail).join("\n");
}

describe("query plans of the typical searches", () => {
  it.each([false, true])("use an index for each, never a table scan (ANALYZE run: %s)", async (analyze) => {
    const { dataDir } = await seededDirectory();
    const db = tenantFile(dataDir, "acme");
    if (analyze) db.exec("ANALYZE");
    const page = checkPageRequest({ limit: 50, order: "desc" });
    const search = (filter: EventFilter) => plan(db, searchSql(sqliteFilter(db, filter), page));
    const week = sqliteFilter(db, { from: at(0, 0), to: at(7, 0), actorId: "usr_ada" });
    const day = checkStatsOptions({ bucket: "day" }).grid;
    const oneDay = sqliteFilter(db, { from: at(0, 0), to: at(1, 0) });
    const hour = checkStatsOptions({ bucket: "hour" }).grid;
    const cases: [string, string, RegExp][] = [
      ["one actor's last 50", search({ actorId: "usr_ada" }), /SEARCH e USING INDEX search_actor/],
      [
        "an action prefix in a day",
        search({ actionPrefix: "app.", from: at(0, 0), to: at(1, 0) }),
        /SEARCH e USING INDEX search_(action|time)/,
      ],
      ["one target's history", search({ targetType: "page", targetId: "checkout" }), /USING INDEX search_target/],
      // The probe seeks one rowid in the word's doclist ("=" in the index plan), never reads all matches.
      ["a common free-text word", search({ text: "checkout" }), /search_fts EXISTS VIRTUAL TABLE INDEX 0:=M1/],
      [
        "a rare free-text word",
        plan(db, searchSql(sqliteFilter(db, { text: "checkout" }), page, true)),
        /^SCAN f VIRTUAL TABLE INDEX 0:M1\nSEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)/,
      ],
      ["a tag", search({ tag: "module:builder" }), /SEARCH t USING PRIMARY KEY \(tag=\?\)/],
      ["one session", search({ sessionId: "ses_ada" }), /SEARCH e USING INDEX search_session/],
      ["one run", search({ runId: "run_1", actorType: "automation" }), /SEARCH e USING INDEX search_run/],
      ["a week histogram of one actor", plan(db, bucketCountsSql(week, day)), /USING (COVERING )?INDEX search_actor/],
      [
        "a day histogram by actor",
        plan(db, bucketCountsSql(oneDay, hour, { groupBy: "actor", groups: ["usr_ada"] })),
        /SEARCH e USING INDEX search_time/,
      ],
      ["a day's top actors", plan(db, topGroupsSql(oneDay, "actor", 10)), /SEARCH e USING INDEX search_time/],
    ];
    for (const [name, detail, want] of cases) {
      expect(detail, name).toMatch(want);
      // An ordered walk of an index that stops at the page's limit is fine; a scan of the table is not.
      expect(detail, name).not.toMatch(/SCAN e\b(?! USING (COVERING )?INDEX)/);
    }
  });
});

describe("text searches driven by the matches", () => {
  it.each([
    [undefined, 1],
    [5, 8],
  ])("return what the time-ordered walk returns, page by page (parts of %s entries)", async (partEntries, parts) => {
    const { dataDir } = await seededDirectory(partEntries);
    const db = tenantFile(dataDir, "acme");
    // At least: the fixture's events and the meta-audit records of its setup.
    expect(sqliteFilter(db, {}).textParts.length).toBeGreaterThanOrEqual(parts);
    let compared = 0;
    const run = (q: SqlQuery) => (db.prepare(q.sql).all(...q.params) as { event_id: string }[]).map((r) => r.event_id);
    for (const filter of [
      { text: "linus wired" },
      { text: "checkout", actorId: "usr_ada" },
      { text: "ada", from: at(0, 9), to: at(3, 0) },
      { text: "component", actionPrefix: "component." },
    ] satisfies EventFilter[]) {
      const f = sqliteFilter(db, filter);
      for (const order of ["asc", "desc"] as const) {
        for (const cursor of [undefined, encodeCursor({ occurredMs: Date.parse(at(4, 10, 0, 4)), index: 20 }, order)]) {
          const page = checkPageRequest({ limit: 7, order, ...(cursor === undefined ? {} : { cursor }) });
          const walked = run(searchSql(f, page));
          expect(run(searchSql(f, page, true)), JSON.stringify(filter)).toEqual(walked);
          compared += walked.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
  });
});

describe("text searches walking a common word's matches in index order", () => {
  // Parts of 700 entries: blocks of 1,024 indexes straddle parts.
  it.each([
    [undefined, 1],
    [700, 4],
  ])(
    "return exactly what the time-ordered walk returns, with late and future-dated events, at any chunk size (parts of %s entries)",
    async (partEntries, parts) => {
      const dataDir = tempDir();
      const data = await open(dataDir, partEntries);
      await data.ledger.createTenant("acme");
      const words = ["zebra", "okapi", "quokka"];
      const base = Date.parse("2026-03-01T00:00:00Z");
      // Mostly in order, every 7th event an hour late, the last one a day in the
      // future, and event 500 dated among events 1025 and 1026; 2,600 events span
      // three blocks of 1,024 indexes, so walks stop early, and one that stopped
      // as soon as the block ahead looked old enough would miss event 500.
      const minute = (i: number) => base + i * 60_000;
      const occurred = (i: number) =>
        i === 500 ? minute(1025) + 30_000 : minute(i) - (i % 7 === 0 ? 3_600_000 : 0) + (i === 2599 ? 86_400_000 : 0);
      const events = Array.from({ length: 2600 }, (_, i) => ({
        id: `w_${i}`,
        action: "app.update",
        occurred_at: new Date(occurred(i)).toISOString(),
        actor: { type: "user", id: `usr_${i % 3}` },
        target: { type: "app", id: "shop" },
        message: `${words[i % 3]} ${i % 2 ? "edited" : "moved"} the page`,
      }));
      for (let k = 0; k < events.length; k += 500) await data.ledger.append("acme", events.slice(k, k + 500));
      await data.settled();
      const db = tenantFile(dataDir, "acme");
      expect(sqliteFilter(db, {}).textParts).toHaveLength(parts);
      const all = <T>(q: SqlQuery) => db.prepare(q.sql).all(...q.params) as T[];
      let compared = 0;
      for (const filter of [
        { text: "zebra" },
        { text: "edited okapi" },
        { text: "page", actorId: "usr_1" },
        { text: "moved", from: "2026-03-01T01:00:00Z", to: "2026-03-01T05:00:00Z" },
        { text: "moved", from: "2026-03-02T00:00:00Z" },
        { text: "page", to: new Date(minute(1030) + 30_000).toISOString() },
      ] satisfies EventFilter[]) {
        const f = sqliteFilter(db, filter);
        for (const order of ["asc", "desc"] as const) {
          const cursors = [undefined, 200, 1500].map((i) =>
            i === undefined ? undefined : encodeCursor({ occurredMs: base + i * 60_000, index: i }, order),
          );
          for (const cursor of cursors) {
            const page = checkPageRequest({ limit: 9, order, ...(cursor === undefined ? {} : { cursor }) });
            const expected = all<{ idx: number }>(searchSql(f, page)).map((r) => r.idx);
            for (const chunk of [1, 3, 7, 256]) {
              expect(walkTextMatches(all, f, page, chunk), `${JSON.stringify(filter)} ${order} ${chunk}`).toEqual(
                expected,
              );
            }
            compared += expected.length;
          }
        }
      }
      expect(compared).toBeGreaterThan(100);
    },
  );
});
