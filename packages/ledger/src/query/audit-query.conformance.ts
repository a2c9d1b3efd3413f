// The AuditQuery conformance suite: every store runs it (SQLite always,
// PostgreSQL when it lands) against data appended through the real Ledger.
// This file: search, paging, cursors and tenant isolation; the analysis
// queries (stats, trace, history, state) are in audit-query-analysis.conformance.ts.

import { PERSON_TARGET_TYPES } from "@trailproof/core";
import type { EventFilter } from "@trailproof/protocol";
import { eventMatchesFilter, parseSearchQuery } from "@trailproof/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ledger } from "../ledger.js";
import { at, type ConformanceContext, ids, rejection, type SeededData, seedAuditData } from "./audit-query.fixture.js";
import type { AuditQuery, PageRequest, QueriedEntry, SortOrder } from "./audit-query.js";
import { runAnalysisConformance } from "./audit-query-analysis.conformance.js";

export interface AuditQueryHarness {
  /** A ledger writing to the store under test. */
  ledger: Ledger;
  /** The query implementation reading that same store. */
  query: AuditQuery;
  /** Resolves once the query side covers every entry appended so far (its projection follows the log). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** Reads every page of a search, checking each page's size and cursor. */
async function allPages(query: AuditQuery, tenant: number, filter: EventFilter, page: PageRequest) {
  const pages: QueriedEntry[][] = [];
  let cursor: string | undefined;
  do {
    const result = await query.search(tenant, filter, { ...page, ...(cursor === undefined ? {} : { cursor }) });
    pages.push(result.entries);
    cursor = result.nextCursor ?? undefined;
    expect(pages.length).toBeLessThan(100);
  } while (cursor !== undefined);
  return pages;
}

export function runAuditQueryConformance(name: string, open: () => Promise<AuditQueryHarness>): void {
  describe(`AuditQuery conformance: ${name}`, () => {
    let harness: AuditQueryHarness;
    let data: SeededData;
    beforeAll(async () => {
      harness = await open();
      data = await seedAuditData(harness.ledger);
      await harness.settled();
    });
    afterAll(async () => harness?.close());
    const ctx = (): ConformanceContext => ({ query: harness.query, data });

    /** Acme event ids the oracle expects for `filter`, by occurred_at then index. */
    const expected = (filter: EventFilter, order: SortOrder) => {
      const hits = data.committed
        .filter((c) => eventMatchesFilter(c.event, filter))
        .sort((a, b) => a.occurredMs - b.occurredMs || a.index - b.index)
        .map((c) => c.event.id as string);
      return order === "asc" ? hits : hits.reverse();
    };

    const FILTERS: EventFilter[] = [
      { actorId: "usr_ada" },
      { actorType: "automation" },
      { action: "app.page.update" },
      { actionPrefix: "app." },
      { actionPrefix: "workflow.run." },
      { kind: "delete" },
      { category: "data" },
      { targetType: "page" },
      { targetId: "rec_1" },
      { targetType: "workspace", targetId: "acme" },
      { outcome: "denied" },
      { outcome: "failure" },
      { risk: "critical" },
      { risk: "high" },
      { tag: "module:builder" },
      { tag: "module:wiring", from: at(4, 10, 0, 3), to: at(4, 10, 0, 6) },
      { sessionId: "ses_ada" },
      { runId: "run_1" },
      { workflowId: "wf_notify" },
      { causedBy: "run_start" },
      { environment: "staging" },
      { from: at(1, 0), to: at(2, 0) },
      { actorId: "usr_ada", from: at(2, 0) },
      { tag: "module:builder", actorId: "usr_grace", actionPrefix: "app." },
    ];

    it.each(FILTERS.map((f) => [JSON.stringify(f), f] as const))("filters by %s", async (_, filter) => {
      const all = data.committed.length;
      for (const order of ["asc", "desc"] as const) {
        const want = expected(filter, order);
        expect(want.length).toBeGreaterThan(0);
        expect(want.length).toBeLessThan(all);
        const got = await harness.query.search(data.acme, filter, { limit: 500, order });
        expect(ids(got.entries)).toEqual(want);
        expect(got.nextCursor).toBeNull();
      }
    });

    // The search language's NOT, OR and parentheses (the filter's `where`),
    // over fields the events lack (NULL columns), tags, dates and free text.
    const CONDITIONS = [
      "-action:app.*",
      "NOT actor:usr_ada",
      "-session:ses_ada",
      "-env:staging",
      "-run:run_1 actor_type:automation",
      "risk:critical OR outcome:denied",
      "(actor:usr_ada OR actor:usr_grace) -kind:delete",
      "-(tag:module:builder OR tag:module:wiring)",
      "tag:module:builder -actor:usr_grace",
      "-checkout",
      "checkout OR cafe OR eve",
      "-(ada OR linus)",
      "actor:usr_ada -(checkout page)",
      `-(after:${at(1, 0)} before:${at(2, 0)})`,
      `actor:usr_linus (before:${at(4, 10, 0, 3)} OR after:${at(4, 10, 0, 20)})`,
      "-target:workspace:acme -target_type:page",
      "NOT NOT risk:high",
      "-caused_by:run_start actor_type:automation",
    ];
    it.each(CONDITIONS)("filters by the condition of %s", async (q) => {
      const filter = parseSearchQuery(q);
      expect(filter.where).toBeDefined();
      const all = data.committed.length;
      for (const order of ["asc", "desc"] as const) {
        const want = expected(filter, order);
        expect(want.length).toBeGreaterThan(0);
        expect(want.length).toBeLessThan(all);
        const got = await harness.query.search(data.acme, filter, { limit: 500, order });
        expect(ids(got.entries)).toEqual(want);
      }
    });

    it("pages a condition without repeating or skipping, and counts what it selects", async () => {
      const filter = parseSearchQuery("-action:app.* -(ada OR eve)");
      for (const order of ["asc", "desc"] as const) {
        const pages = await allPages(harness.query, data.acme, filter, { limit: 7, order });
        expect(ids(pages.flat())).toEqual(expected(filter, order));
      }
      const stats = await harness.query.stats(data.acme, filter, { bucket: "day", groupBy: "actor", maxGroups: 100 });
      const want = new Map<string, number>();
      for (const c of data.committed.filter((c) => eventMatchesFilter(c.event, filter))) {
        const actor = (c.event.actor as { id: string }).id;
        want.set(actor, (want.get(actor) ?? 0) + 1);
      }
      const got = new Map<string, number>();
      for (const bucket of stats.buckets) {
        for (const [actor, n] of Object.entries(bucket.groups ?? {})) got.set(actor, (got.get(actor) ?? 0) + n);
      }
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      expect(stats.total).toBe(expected(filter, "asc").length);
    });

    it("refuses a malformed condition with every problem", async () => {
      const where = { or: [{ field: "risk", value: "extreme" }, { not: { field: "colour", value: "x" } }] };
      const err = await rejection(() =>
        harness.query.search(data.acme, { where } as unknown as EventFilter, { limit: 5, order: "asc" }),
      );
      expect(err).toMatchObject({
        code: "SEARCH_QUERY_INVALID",
        problems: [{ pointer: "/where/or/0/value" }, { pointer: "/where/or/1/not/value" }],
      });
    });

    it("returns the committed leaf data with its index and times", async () => {
      const { entries } = await harness.query.search(data.acme, { action: "user.login" }, { limit: 1, order: "asc" });
      const [entry] = entries;
      const committed = data.committed.find((c) => c.event.id === "login_ada");
      expect(entry).toMatchObject({ eventId: "login_ada", index: committed?.index, occurredMs: Date.parse(at(0, 8)) });
      const event = JSON.parse(new TextDecoder().decode(entry?.leafData));
      expect(event).toEqual(committed?.event);
      expect(event.actor).toEqual({ id: "usr_ada", type: "user" });
      expect(entry?.receivedMs).toBeTypeOf("number");
    });

    it("matches every free-text word, ignoring case and diacritics", async () => {
      const search = async (text: string, filter: EventFilter = {}) =>
        ids((await harness.query.search(data.acme, { ...filter, text }, { limit: 100, order: "asc" })).entries);
      expect(await search("checkout")).toEqual(["page_v1", "page_v2", "page_v3"]);
      expect(await search("CHECKOUT stack")).toEqual(["page_v1"]);
      expect(await search("cafe")).toEqual(["page_v3"]);
      // rec_delete's rendered message names "usr_ada": _ separates words, as in any unicode61 index.
      expect(await search("ada")).toEqual(["login_ada", "page_v1", "person", "page_v3", "rec_delete"]);
      expect(await search("ada", { actorId: "usr_grace" })).toEqual([]);
      expect(await search("Ada Eve")).toEqual([]);
      expect(await search("globex")).toEqual([]);
    });

    it("keeps full-text syntax in user text literal", async () => {
      const search = async (text: string) =>
        ids((await harness.query.search(data.acme, { text }, { limit: 100, order: "asc" })).entries);
      for (const text of ["NEAR(", "OR", "col:x", 'quoted"', 'admin" OR "x', "* NEAR(root) -admin", "grant^ tried"]) {
        expect(await search(text)).toEqual(["grant_denied"]);
      }
      expect(await search("NEAR(ada checkout)")).toEqual([]);
      expect(await search("message:ada")).toEqual([]);
      for (const text of ['"', "*", "( )"]) {
        const err = await rejection(() => harness.query.search(data.acme, { text }, { limit: 10, order: "asc" }));
        expect(err).toMatchObject({ code: "SEARCH_QUERY_INVALID", problems: [{ pointer: "/text" }] });
      }
    });

    const PAGED: EventFilter[] = [{ actorId: "usr_linus" }, { tag: "module:wiring" }, { text: "linus wired" }];
    it.each(PAGED.map((f) => [JSON.stringify(f), f] as const))(
      "pages %s in both orders without repeating or skipping ties",
      async (_, filter) => {
        for (const order of ["asc", "desc"] as const) {
          const pages = await allPages(harness.query, data.acme, filter, { limit: 12, order });
          expect(pages.map((p) => p.length)).toEqual([12, 12, 6]);
          const flat = pages.flat();
          expect(new Set(ids(flat)).size).toBe(30);
          const whole = await harness.query.search(data.acme, filter, { limit: 500, order });
          expect(ids(flat)).toEqual(ids(whole.entries));
          expect(ids(flat)).toEqual(expected({ actorId: "usr_linus" }, order));
        }
      },
    );

    it("ends exactly at a full last page with a null cursor", async () => {
      const pages = await allPages(harness.query, data.acme, { actorId: "usr_linus" }, { limit: 15, order: "asc" });
      expect(pages.map((p) => p.length)).toEqual([15, 15]);
    });

    it("refuses malformed cursors and cursors of the other order", async () => {
      const b64 = (s: string) => Buffer.from(s).toString("base64url");
      const first = await harness.query.search(data.acme, { actorId: "usr_linus" }, { limit: 5, order: "desc" });
      const bad = [
        "",
        "not a cursor!",
        "x".repeat(300),
        `${b64('{"o":1,"i":2,"d":"asc"}')}=`,
        b64("{}"),
        b64("[]"),
        b64("nope"),
        b64('{"o":1,"i":-1,"d":"asc"}'),
        b64('{"o":1.5,"i":2,"d":"asc"}'),
        b64('{"o":1,"i":2,"d":"up"}'),
        b64('{"o":1,"i":2,"d":"asc","tenant":1}'),
        b64('{"o":"1","i":2,"d":"asc"}'),
        first.nextCursor as string,
      ];
      for (const cursor of bad) {
        const err = await rejection(() =>
          harness.query.search(data.acme, { actorId: "usr_linus" }, { limit: 5, order: "asc", cursor }),
        );
        expect(err, cursor).toMatchObject({ code: "SEARCH_CURSOR_INVALID", problems: [{ pointer: "/cursor" }] });
      }
    });

    it("refuses bad limits and filters", async () => {
      for (const limit of [0, 501, 1.5, Number.NaN]) {
        const err = await rejection(() => harness.query.search(data.acme, {}, { limit, order: "asc" }));
        expect(err).toMatchObject({ code: "SEARCH_QUERY_INVALID", problems: [{ pointer: "/limit" }] });
      }
      const err = await rejection(() =>
        harness.query.search(data.acme, { risk: "extreme" as never, to: "soon" }, { limit: 5, order: "asc" }),
      );
      expect(err).toMatchObject({ code: "SEARCH_QUERY_INVALID", problems: [{ pointer: "/to" }, { pointer: "/risk" }] });
    });

    it("never shows one tenant's entries to another, even with its cursor", async () => {
      const globex = await harness.query.search(data.globex, {}, { limit: 500, order: "asc" });
      expect(ids(globex.entries).sort()).toEqual([
        "g_caused",
        "g_invite",
        "g_login",
        "globex_wire_00",
        "globex_wire_01",
        "globex_wire_02",
        "globex_wire_03",
        "globex_wire_04",
      ]);
      const acmeAda = await harness.query.search(data.acme, { actorId: "usr_ada" }, { limit: 500, order: "asc" });
      expect(ids(acmeAda.entries).every((id) => !id.startsWith("g"))).toBe(true);
      const acmePage = await harness.query.search(data.acme, { actorId: "usr_linus" }, { limit: 2, order: "asc" });
      const cursor = acmePage.nextCursor as string;
      const withAcmeCursor = await harness.query.search(data.globex, {}, { limit: 500, order: "asc", cursor });
      expect(withAcmeCursor.entries.length).toBeGreaterThan(0);
      expect(ids(withAcmeCursor.entries).every((id) => id.startsWith("globex_wire_"))).toBe(true);
      const byTag = await harness.query.search(data.globex, { tag: "module:builder" }, { limit: 50, order: "asc" });
      expect(ids(byTag.entries)).toEqual(["g_login"]);
      const unknownTenant = await harness.query.search(9999, {}, { limit: 50, order: "asc" });
      expect(unknownTenant).toEqual({ entries: [], nextCursor: null });
    });

    it("lists the distinct ids of people (user actors, person targets) in pages, one tenant's only", async () => {
      const want = new Set<string>();
      for (const { event } of data.committed) {
        const actor = event.actor as { type: string; id: string };
        const target = event.target as { type: string; id: string };
        if (actor.type === "user") want.add(actor.id);
        if (PERSON_TARGET_TYPES.includes(target.type)) want.add(target.id);
      }
      const sorted = [...want].sort();
      expect(sorted.length).toBeGreaterThan(2);
      const got: string[] = [];
      let after = "";
      for (;;) {
        const page = await harness.query.personIds(data.acme, after, 2);
        expect(page.length).toBeLessThanOrEqual(2);
        if (page.length === 0) break;
        got.push(...page);
        after = page[page.length - 1] as string;
      }
      expect(got).toEqual(sorted);
      expect(got).not.toContain("usr_globex_guest");
      expect(await harness.query.personIds(data.globex, "", 10)).toEqual(["usr_ada", "usr_globex_guest", "usr_linus"]);
      expect(await harness.query.personIds(9999, "", 10)).toEqual([]);
    });

    runAnalysisConformance(ctx);
  });
}
