// PostgresAuditQuery and PostgresSearchProjection on a real PostgreSQL
// server: the AuditQuery conformance suite, plus what sharing one database
// between nodes and tenants asks: row-level security on every derived table,
// nodes applying the same entries at once, the derived tables append-only,
// and verification naming rows an operator edited behind the service's back.
import { hasErrorCode } from "@trailproof/core";
import type { EventFilter } from "@trailproof/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { nodeHasher } from "../../node-hasher.js";
import { runAuditQueryConformance } from "../../query/audit-query.conformance.js";
import { ACME_EVENTS, at, GLOBEX_EVENTS, type SeededData, seedAuditData } from "../../query/audit-query.fixture.js";
import { encodeCursor } from "../../query/cursor.js";
import { checkEventFilter, checkPageRequest } from "../../query/query-input.js";
import { tenantLogReport, type VerifyReport } from "../../verify/tenant-log-report.js";
import { openPostgres, type PgSql, type PgTx } from "./postgres-client.js";
import { openPostgresQueryHarness, type PostgresQueryHarness } from "./postgres-query-harness.fixture.js";
import { PostgresSearchAudit } from "./postgres-search-audit.js";
import { PostgresSearchProjection } from "./postgres-search-projection.js";
import { type PgQuery, searchSql, textMatchesSql } from "./postgres-search-sql.js";
import { inTenant } from "./tenant-scope.js";

runAuditQueryConformance("PostgreSQL (projection following the log)", openPostgresQueryHarness);

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

/** A fresh database with the query fixture appended (and projected, unless follow is false). */
async function seeded(follow = true): Promise<{ h: PostgresQueryHarness; data: SeededData }> {
  const h = await openPostgresQueryHarness({ follow });
  cleanup.push(() => h.close());
  const data = await seedAuditData(h.ledger);
  await h.settled();
  return { h, data };
}

/** A pool of its own on the app role, as another service node would hold. */
function nodePool(h: PostgresQueryHarness): PgSql {
  const sql = openPostgres(h.db.appUrl, { max: 2 });
  cleanup.unshift(() => sql.end({ timeout: 5 }));
  return sql;
}

/** Runs `edit` as the owner with triggers off: an operator with psql tampering with the rows. */
async function tamper(h: PostgresQueryHarness, edit: (tx: PgTx) => Promise<unknown>): Promise<void> {
  const owner = openPostgres(h.db.ownerUrl, { max: 1 });
  try {
    await owner.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      await edit(tx);
    });
  } finally {
    await owner.end({ timeout: 5 });
  }
}

async function verify(h: PostgresQueryHarness, tenant: string): Promise<VerifyReport> {
  const verifierKeys = (await h.ledger.verifierKeys(tenant)).map((k) => k.verifier_key);
  return tenantLogReport(h.ledger.store, nodeHasher, tenant, {
    verifierKeys,
    chunkSize: 7,
    derived: [new PostgresSearchAudit(h.app)],
  });
}

const kinds = (report: VerifyReport) => report.divergences.map((d) => `${d.kind}@${d.index}`);

const tagCount = (events: Record<string, unknown>[]) =>
  events.reduce((n, e) => n + new Set(e.tags as string[] | undefined).size, 0);

/** The error `p` rejects with; undefined (failing the caller's check) if it resolves. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  return undefined;
}

describe("the PostgreSQL search tables under row-level security", () => {
  it("show a tenant's transaction only its own rows, whatever the statement forgets", async () => {
    const { h, data } = await seeded();
    const counts = (tenantId: number | null) =>
      inTenant(h.app, tenantId, async (tx) => {
        const [r] = await tx<{ rows: number; tags: number; hours: number; cursors: number; other: number }[]>`
          SELECT (SELECT count(*) FROM search_rows) AS rows, (SELECT count(*) FROM search_tags) AS tags,
            (SELECT coalesce(sum(n), 0)::bigint FROM search_hours) AS hours, (SELECT count(*) FROM follower_cursors) AS cursors,
            (SELECT count(*) FROM search_rows WHERE tenant_id <> ${tenantId ?? 0}) AS other`;
        return r;
      });
    expect(await counts(data.acme)).toEqual({
      rows: ACME_EVENTS.length,
      tags: tagCount(ACME_EVENTS),
      hours: ACME_EVENTS.length,
      cursors: 1,
      other: 0,
    });
    expect(await counts(data.globex)).toEqual({
      rows: GLOBEX_EVENTS.length,
      tags: tagCount(GLOBEX_EVENTS),
      hours: GLOBEX_EVENTS.length,
      cursors: 1,
      other: 0,
    });
    // Operator scope (no tenant) sees no tenant's rows; the owner sees both.
    expect(await counts(null)).toEqual({ rows: 0, tags: 0, hours: 0, cursors: 0, other: 0 });
  });

  it("refuse a row written for another tenant, and any edit or delete by the service", async () => {
    const { h, data } = await seeded();
    const forged = rejection(
      inTenant(
        h.app,
        data.acme,
        (tx) => tx`INSERT INTO search_tags (tenant_id, tag, occurred_ms, idx) VALUES (${data.globex}, 'x', 0, 0)`,
      ),
    );
    expect(await forged).toMatchObject({ code: "42501", message: expect.stringMatching(/row-level security/) });
    for (const statement of [
      "UPDATE search_rows SET actor_id = 'usr_eve'",
      "UPDATE search_tags SET tag = 'x'",
      "DELETE FROM search_rows",
      "DELETE FROM search_tags",
      "DELETE FROM search_hours",
      "DELETE FROM follower_cursors",
    ]) {
      const err = await rejection(inTenant(h.app, data.acme, (tx) => tx.unsafe(statement)));
      expect(err, statement).toMatchObject({ code: "42501", message: expect.stringMatching(/permission denied/) });
    }
    const owner = openPostgres(h.db.ownerUrl, { max: 1 });
    cleanup.unshift(() => owner.end({ timeout: 5 }));
    for (const table of ["search_rows", "search_tags"]) {
      const err = await rejection(owner.unsafe(`UPDATE ${table} SET idx = idx`));
      expect(err, table).toMatchObject({ message: expect.stringMatching(/^STORE_APPEND_ONLY: /) });
    }
  });
});

describe("PostgreSQL text searches", () => {
  it("return the same pages driven by the full-text matches as walking the time index", async () => {
    const { h, data } = await seeded();
    const run = (q: PgQuery) =>
      inTenant(h.app, data.acme, async (tx) =>
        (await tx.unsafe(q.text, q.params as never[])).map((r) => r.event_id as string),
      );
    let compared = 0;
    for (const filter of [
      { text: "linus wired" },
      { text: "checkout", actorId: "usr_ada" },
      { text: "ada", from: at(0, 9), to: at(3, 0) },
      { text: "component", actionPrefix: "component." },
      { text: "linus", tag: "module:wiring" },
    ] satisfies EventFilter[]) {
      const f = checkEventFilter(filter);
      for (const order of ["asc", "desc"] as const) {
        for (const cursor of [undefined, encodeCursor({ occurredMs: Date.parse(at(4, 10, 0, 4)), index: 20 }, order)]) {
          const page = checkPageRequest({ limit: 7, order, ...(cursor === undefined ? {} : { cursor }) });
          const walked = await run(searchSql(data.acme, f, page));
          expect(await run(textMatchesSql(data.acme, f, page, 1000)), JSON.stringify(filter)).toEqual(walked);
          compared += walked.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it("read full-text matches through the index only within the transaction's tenant", async () => {
    const { h, data } = await seeded();
    const matches = (tenantId: number | null) =>
      inTenant(
        h.app,
        tenantId,
        async (tx) =>
          (await tx<{ idx: number }[]>`SELECT idx FROM search_text_matches(${"'ada'"}::tsquery, 100)`).length,
      );
    // "ada" is in 5 of acme's messages and 1 of globex's; none without a tenant.
    expect(await matches(data.acme)).toBe(5);
    expect(await matches(data.globex)).toBe(1);
    expect(await matches(null)).toBe(0);
  });
});

describe("the PostgreSQL search projection shared by nodes", () => {
  it("applies a batch once when two nodes apply it at the same time; the other's cursor moved", async () => {
    const { h, data } = await seeded(false);
    const entries = await h.ledger.store.readEntries(data.acme, 0, ACME_EVENTS.length);
    const nodes = [new PostgresSearchProjection(nodePool(h)), new PostgresSearchProjection(nodePool(h))];
    for (const [start, end] of [
      [0, 1],
      [1, 20],
      [20, ACME_EVENTS.length],
    ] as const) {
      const batch = entries.slice(start, end);
      const results = await Promise.allSettled(nodes.map((n) => n.apply(data.acme, batch)));
      expect(
        results.filter((r) => r.status === "fulfilled"),
        `batch ${start}..${end}`,
      ).toHaveLength(1);
      const failed = results.find((r) => r.status === "rejected");
      expect(hasErrorCode(failed?.reason, "FOLLOWER_CURSOR_MOVED"), String(failed?.reason)).toBe(true);
      for (const n of nodes) expect(await n.covered(data.acme)).toBe(end);
    }
    // A batch that starts behind the cursor now is refused outright, writing nothing.
    const late = await rejection(nodes[0]?.apply(data.acme, entries.slice(10, 30)) ?? Promise.resolve());
    expect(hasErrorCode(late, "FOLLOWER_CURSOR_MOVED")).toBe(true);
    const [counts] = await inTenant(
      h.app,
      data.acme,
      (tx) => tx<{ rows: number; distinct: number; tags: number; hours: number }[]>`
        SELECT count(*) AS rows, count(DISTINCT idx) AS distinct, (SELECT count(*) FROM search_tags) AS tags,
          (SELECT sum(n)::bigint FROM search_hours) AS hours FROM search_rows`,
    );
    expect(counts).toEqual({
      rows: ACME_EVENTS.length,
      distinct: ACME_EVENTS.length,
      tags: tagCount(ACME_EVENTS),
      hours: ACME_EVENTS.length,
    });
    expect(kinds(await verify(h, "acme"))).toEqual([]);
  });

  it("resumes from its durable cursor in a new process: a second follower applies only what is new", async () => {
    const { h, data } = await seeded();
    const node = new PostgresSearchProjection(nodePool(h));
    expect(await node.covered(data.acme)).toBe(ACME_EVENTS.length);
    expect(await node.covered(data.globex)).toBe(GLOBEX_EVENTS.length);
    expect(await node.covered(9999)).toBe(0);
  });
});

describe("verification of the PostgreSQL search projection", () => {
  it("accepts an untouched projection", async () => {
    const { h } = await seeded();
    const report = await verify(h, "acme");
    expect(report).toMatchObject({ ok: true, treeSize: ACME_EVENTS.length, divergences: [] });
  });

  it.each([
    ["actor_id", "'usr_nobody'"],
    ["action", "'app.nothing'"],
    ["target_id", "'page_elsewhere'"],
    ["event_id", "'evt_other'"],
    ["message", "'nothing to see'"],
  ])("names a search row whose %s an operator edited", async (column, value) => {
    const { h, data } = await seeded();
    await tamper(h, (tx) =>
      tx.unsafe(`UPDATE search_rows SET ${column} = ${value} WHERE tenant_id = $1 AND idx = 11`, [data.acme]),
    );
    const report = await verify(h, "acme");
    expect(report.ok).toBe(false);
    expect(report.divergences[0]).toMatchObject({ kind: "PROJECTION_MISMATCH", index: 11 });
    expect(report.divergences[0]?.message).toContain(column);
    expect(report.divergences).toHaveLength(1);
  });

  it("names an edited time", async () => {
    const { h, data } = await seeded();
    await tamper(
      h,
      (tx) =>
        tx`UPDATE search_rows SET occurred_ms = occurred_ms - 86400000 WHERE tenant_id = ${data.acme} AND idx = 3`,
    );
    expect(kinds(await verify(h, "acme"))).toEqual(["PROJECTION_MISMATCH@3"]);
  });

  it("names deleted search rows once, as a range", async () => {
    const { h, data } = await seeded();
    await tamper(h, (tx) => tx`DELETE FROM search_rows WHERE tenant_id = ${data.acme} AND idx BETWEEN 5 AND 9`);
    expect((await verify(h, "acme")).divergences).toEqual([
      { kind: "PROJECTION_MISMATCH", index: 5, message: "entries 5..9 have no search rows" },
    ]);
  });

  it("names full-text words that no longer say what the message says", async () => {
    const { h, data } = await seeded();
    await tamper(
      h,
      (tx) =>
        tx`UPDATE search_rows SET message_words = ${"'nothing':1"}::tsvector WHERE tenant_id = ${data.acme} AND idx = 13`,
    );
    expect(kinds(await verify(h, "acme"))).toEqual(["TEXT_INDEX_MISMATCH@13"]);
  });

  it("names a removed tag and an edited hourly count", async () => {
    const { h, data } = await seeded();
    await tamper(h, async (tx) => {
      const removed = await tx`DELETE FROM search_tags WHERE tenant_id = ${data.acme} AND idx = 2`;
      expect(removed.count).toBeGreaterThan(0);
      await tx`UPDATE search_hours SET n = n + 1 WHERE tenant_id = ${data.acme}
        AND hour_ms = (SELECT min(hour_ms) FROM search_hours WHERE tenant_id = ${data.acme})`;
    });
    const report = await verify(h, "acme");
    expect(kinds(report)).toEqual(["TAG_INDEX_MISMATCH@0", "AGGREGATE_MISMATCH@null"]);
    expect(report.divergences[1]?.message).toContain("hourly count");
  });

  it("names search rows past the projection's cursor", async () => {
    const { h, data } = await seeded();
    await tamper(h, (tx) => tx`UPDATE follower_cursors SET covered = 30 WHERE tenant_id = ${data.acme}`);
    const report = await verify(h, "acme");
    expect(report.divergences.find((d) => d.kind === "PROJECTION_MISMATCH")).toEqual({
      kind: "PROJECTION_MISMATCH",
      index: 30,
      message: `${ACME_EVENTS.length - 30} search row(s) from entry 30 on lie past the projection's cursor (30)`,
    });
  });

  it("leaves other tenants' findings out: globex verifies while acme's rows are edited", async () => {
    const { h, data } = await seeded();
    await tamper(h, (tx) => tx`DELETE FROM search_rows WHERE tenant_id = ${data.acme}`);
    expect(await verify(h, "globex")).toMatchObject({ ok: true, divergences: [] });
  });
});
