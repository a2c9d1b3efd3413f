// The full-text index in parts (sqlite-text-parts.ts) on real SQLite files:
// each part holds exactly its range of indexes, verification checks every
// part against its own rows, a projection rebuilt from the start writes each
// entry into the part that holds it, and a layout-2 file's single index
// becomes the first part on open with the same answers.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { nodeHasher } from "../../node-hasher.js";
import { type DataDir, openDataDir } from "../../open-data-dir.js";
import type { EntryPage } from "../../query/audit-query.js";
import { checkEventFilter, checkPageRequest } from "../../query/query-input.js";
import { tenantLogReport } from "../../verify/tenant-log-report.js";
import { type SqlQuery, searchSql } from "./sqlite-search-sql.js";
import { SQLITE_LAYOUT_VERSION } from "./sqlite-tenant-schema.js";
import { readTextParts, TEXT_PARTS_SQL } from "./sqlite-text-parts.js";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

const WORDS = ["zebra", "okapi", "quokka", "narwhal"];
const EVENTS = Array.from({ length: 40 }, (_, i) => ({
  id: `t_${i}`,
  action: "app.update",
  occurred_at: new Date(Date.parse("2026-03-01T00:00:00Z") + i * 60_000).toISOString(),
  actor: { type: "user", id: `usr_${i % 3}` },
  target: { type: "app", id: "shop" },
  // Every fifth event without a message: not indexed, in no part's content.
  ...(i % 5 === 4 ? {} : { message: `${WORDS[i % 4]} ${i % 2 ? "edited" : "moved"} page ${i}` }),
}));

async function open(dataDir: string, sqliteTextPartEntries?: number): Promise<DataDir> {
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, sqliteTextPartEntries });
  cleanup.unshift(() => data.ledger.close());
  return data;
}

async function closeFirst(): Promise<void> {
  await cleanup.shift()?.();
}

function tenantFile(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, "tenants", "acme.db"));
  cleanup.push(() => void db.close());
  return db;
}

/** A data directory with EVENTS appended (in batches of 7) and projected. */
async function seeded(partEntries?: number): Promise<{ dataDir: string; data: DataDir; tenantId: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-text-parts-"));
  const data = await open(dataDir, partEntries);
  const { tenantId } = await data.ledger.createTenant("acme");
  for (let k = 0; k < EVENTS.length; k += 7) await data.ledger.append("acme", EVENTS.slice(k, k + 7));
  await data.settled();
  return { dataDir, data, tenantId };
}

const ids = (page: EntryPage) => page.entries.map((e) => e.eventId);

/** What a few text searches answer, in both orders, over two pages. */
async function answers(data: DataDir, tenantId: number): Promise<string[][]> {
  const out: string[][] = [];
  for (const text of ["zebra", "edited", "okapi moved", "page 17", "absent"]) {
    for (const order of ["asc", "desc"] as const) {
      const first = await data.query.search(tenantId, { text }, { limit: 4, order });
      out.push(ids(first));
      if (first.nextCursor !== null) {
        out.push(ids(await data.query.search(tenantId, { text }, { limit: 4, order, cursor: first.nextCursor })));
      }
    }
  }
  return out;
}

async function verifyAcme(data: DataDir) {
  const keys = (await data.ledger.verifierKeys("acme")).map((k) => k.verifier_key);
  return tenantLogReport(data.ledger.store, nodeHasher, "acme", { verifierKeys: keys, derived: data.audits });
}

describe("the full-text index in parts", () => {
  it("keeps each part to its own range of indexes and answers as one index does", async () => {
    const whole = await seeded();
    const expected = await answers(whole.data, whole.tenantId);
    expect(expected.flat()).toContain("t_17");

    const parted = await seeded(6);
    const db = tenantFile(parted.dataDir);
    const parts = readTextParts(db);
    // The 40 events are entries 0..39.
    expect(parts.map((p) => p.lo)).toEqual([0, 6, 12, 18, 24, 30, 36]);
    for (const p of parts) {
      const { lo, hi, n } = db
        .prepare(`SELECT min(rowid) AS lo, max(rowid) AS hi, count(*) AS n FROM ${p.table}`)
        .get() as {
        lo: number;
        hi: number;
        n: number;
      };
      expect(lo, p.table).toBeGreaterThanOrEqual(p.lo);
      if (p.hi !== undefined) expect(hi, p.table).toBeLessThan(p.hi);
      expect(n, p.table).toBeGreaterThan(0);
    }
    expect(await answers(parted.data, parted.tenantId)).toEqual(expected);
    const report = await verifyAcme(parted.data);
    expect(report).toMatchObject({ ok: true, divergences: [] });
  });

  it("is checked part by part: verify names an entry lost from a later part", async () => {
    const { dataDir, data } = await seeded(6);
    await closeFirst();
    const db = tenantFile(dataDir);
    const r = db.prepare("SELECT message FROM search_rows WHERE idx = 20").get() as { message: string };
    // Index 20 is in the part that starts at 18.
    db.prepare("INSERT INTO search_fts_3 (search_fts_3, rowid, message) VALUES ('delete', 20, ?)").run(r.message);
    const reopened = await open(dataDir, 6);
    const report = await verifyAcme(reopened);
    expect(report.ok).toBe(false);
    expect(report.divergences.map((d) => `${d.kind}@${d.index}`)).toEqual(["TEXT_INDEX_MISMATCH@20"]);
    expect(data).toBeDefined();
  });

  it("is rebuilt into the parts that hold each entry when the projection is lost", async () => {
    const { dataDir, data, tenantId } = await seeded(6);
    const before = await answers(data, tenantId);
    await closeFirst();
    const db = tenantFile(dataDir);
    const parts = readTextParts(db);
    db.exec("DROP TRIGGER search_rows_no_update; DROP TRIGGER search_tags_no_update");
    db.exec("DELETE FROM search_rows; DELETE FROM search_tags; DELETE FROM search_hours; DELETE FROM projection_state");
    for (const p of parts) db.exec(`INSERT INTO ${p.table} (${p.table}) VALUES ('delete-all')`);
    const reopened = await open(dataDir, 6);
    await reopened.settled();
    expect(await answers(reopened, tenantId)).toEqual(before);
    expect(db.prepare(TEXT_PARTS_SQL.sql).all()).toHaveLength(parts.length);
    expect(await verifyAcme(reopened)).toMatchObject({ ok: true, divergences: [] });
  });

  it("turns a layout-2 file's single index into the first part on open, with the same answers", async () => {
    const { dataDir, data, tenantId } = await seeded();
    const before = await answers(data, tenantId);
    await closeFirst();
    // Layout 2 as it was: one FTS5 table over all of search_rows, no parts.
    const db = tenantFile(dataDir);
    db.exec(`DROP TABLE search_fts; DROP VIEW search_text_0; DROP TABLE search_text_parts;
      CREATE VIRTUAL TABLE search_fts USING fts5 (message, content = 'search_rows', content_rowid = 'idx',
        tokenize = 'unicode61 remove_diacritics 2');
      INSERT INTO search_fts (search_fts) VALUES ('rebuild');
      PRAGMA user_version = 2;`);
    const reopened = await open(dataDir, 6);
    // Every later step applies too (layout 4: sealed disclosures).
    expect(db.pragma("user_version", { simple: true })).toBe(SQLITE_LAYOUT_VERSION);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").get() as { sql: string }).sql;
    expect(sql).toContain("search_text_0");
    expect(await answers(reopened, tenantId)).toEqual(before);
    expect(await verifyAcme(reopened)).toMatchObject({ ok: true, divergences: [] });
    // The first part holds all 40 entries; the next write (index 40) opens a part.
    await reopened.ledger.append("acme", [{ ...EVENTS[0], id: "after", message: "zebra after the upgrade" }]);
    await reopened.settled();
    expect(db.prepare(TEXT_PARTS_SQL.sql).all()).toEqual([
      { part: 0, first_idx: 0 },
      { part: 1, first_idx: 40 },
    ]);
    const page = await reopened.query.search(tenantId, { text: "upgrade" }, { limit: 5, order: "desc" });
    expect(ids(page)).toEqual(["after"]);
  });

  it("probes only the part that holds an entry, seeking its index in that part's doclist", async () => {
    const { dataDir } = await seeded(6);
    const db = tenantFile(dataDir);
    const parts = readTextParts(db);
    const q: SqlQuery = searchSql(
      { ...checkEventFilter({ text: "zebra", actorId: "usr_1" }), textParts: parts },
      checkPageRequest({ limit: 10, order: "desc" }),
    );
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.params) as { detail: string }[])
      .map((r) => r.detail)
      .join("\n");
    // One seek per part ("=": a rowid in the word's doclist), each behind its range guard.
    for (const p of parts) expect(plan.split("\n")).toContain(`SCAN ${p.table} VIRTUAL TABLE INDEX 0:=M1`);
    expect(plan).toMatch(/SEARCH e USING INDEX search_actor/);
  });
});
