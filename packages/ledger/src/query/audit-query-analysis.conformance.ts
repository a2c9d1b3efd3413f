// AuditQuery conformance, analysis half: stats buckets and groups, causation
// traces across nested runs, target histories and state replay. Run from
// runAuditQueryConformance on the data of audit-query.fixture.ts.
import { describe, expect, it } from "vitest";
import { at, type ConformanceContext, ids, rejection } from "./audit-query.fixture.js";

export function runAnalysisConformance(ctx: () => ConformanceContext): void {
  describe("stats", () => {
    it("counts per UTC day, omitting empty buckets", async () => {
      const { query, data } = ctx();
      const result = await query.stats(data.acme, { from: at(-1, 0), to: at(7, 0) }, { bucket: "day" });
      expect(result).toEqual({
        total: 45,
        buckets: [
          { start: at(0, 0), count: 3 },
          { start: at(1, 0), count: 3 },
          { start: at(2, 0), count: 7 },
          { start: at(3, 0), count: 2 },
          { start: at(4, 0), count: 30 },
        ],
      });
    });

    it("aligns weeks to Monday 00:00 UTC", async () => {
      const { query, data } = ctx();
      const result = await query.stats(data.acme, { from: at(-10, 0), to: at(10, 0) }, { bucket: "week" });
      expect(result).toEqual({ total: 45, buckets: [{ start: "2026-03-02T00:00:00.000Z", count: 45 }] });
    });

    it("names the largest groups and sums the rest in other", async () => {
      const { query, data } = ctx();
      const result = await query.stats(data.acme, {}, { bucket: "day", groupBy: "actor", maxGroups: 2 });
      expect(result).toEqual({
        total: 45,
        groups: ["usr_linus", "usr_ada"],
        buckets: [
          { start: at(0, 0), count: 3, groups: { usr_ada: 2 }, other: 1 },
          { start: at(1, 0), count: 3, groups: {}, other: 3 },
          { start: at(2, 0), count: 7, groups: { usr_ada: 2 }, other: 5 },
          { start: at(3, 0), count: 2, groups: { usr_ada: 1 }, other: 1 },
          { start: at(4, 0), count: 30, groups: { usr_linus: 30 }, other: 0 },
        ],
      });
      const byRisk = await query.stats(
        data.acme,
        { from: at(0, 0), to: at(1, 0) },
        { bucket: "hour", groupBy: "risk" },
      );
      expect(byRisk).toEqual({
        total: 3,
        groups: ["low", "medium"],
        buckets: [
          { start: at(0, 8), count: 2, groups: { low: 1, medium: 1 }, other: 0 },
          { start: at(0, 9), count: 1, groups: { low: 1 }, other: 0 },
        ],
      });
    });

    it("clamps an open range to the matching data", async () => {
      const { query, data } = ctx();
      expect(await query.stats(data.acme, { actorId: "usr_linus" }, { bucket: "minute" })).toEqual({
        total: 30,
        buckets: [{ start: at(4, 10), count: 30 }],
      });
      expect(await query.stats(data.acme, { actorId: "nobody" }, { bucket: "hour" })).toEqual({
        total: 0,
        buckets: [],
      });
      expect(await query.stats(data.acme, { actorId: "nobody" }, { bucket: "hour", groupBy: "kind" })).toEqual({
        total: 0,
        buckets: [],
        groups: [],
      });
      expect(await query.stats(data.globex, {}, { bucket: "week" })).toEqual({
        total: 8,
        buckets: [{ start: "2026-03-02T00:00:00.000Z", count: 8 }],
      });
    });

    it("refuses more than 2000 buckets, given or clamped, and bad options", async () => {
      const { query, data } = ctx();
      const given = { from: "2026-01-01T00:00:00Z", to: "2026-03-01T00:00:00Z" };
      expect(await rejection(() => query.stats(data.acme, given, { bucket: "minute" }))).toMatchObject({
        code: "STATS_TOO_MANY_BUCKETS",
        problems: [{ pointer: "/bucket" }],
      });
      expect(await rejection(() => query.stats(data.acme, {}, { bucket: "minute" }))).toMatchObject({
        code: "STATS_TOO_MANY_BUCKETS",
      });
      expect((await query.stats(data.acme, {}, { bucket: "hour" })).total).toBe(45);
      const bad = { bucket: "year", groupBy: "colour", maxGroups: 0 } as never;
      expect(await rejection(() => query.stats(data.acme, {}, bad))).toMatchObject({
        code: "SEARCH_QUERY_INVALID",
        problems: [{ pointer: "/bucket" }, { pointer: "/groupBy" }, { pointer: "/maxGroups" }],
      });
    });
  });

  describe("trace", () => {
    it("follows a person's action down through a run and a nested run, breadth first", async () => {
      const { query, data } = ctx();
      const trace = await query.trace(data.acme, "person", { maxEvents: 100 });
      expect(trace?.event.eventId).toBe("person");
      expect(ids(trace?.ancestors ?? [])).toEqual([]);
      expect(trace?.unresolvedCause).toBeNull();
      expect(ids(trace?.run ?? [])).toEqual([]);
      expect(ids(trace?.descendants ?? [])).toEqual([
        "run_start",
        "rec_create",
        "run_finish",
        "nested_start",
        "rec_update",
      ]);
      expect(trace?.truncated).toBe(false);
    });

    it("walks up to the root cause and lists the run", async () => {
      const { query, data } = ctx();
      const nested = await query.trace(data.acme, "rec_update", { maxEvents: 100 });
      expect(ids(nested?.ancestors ?? [])).toEqual(["person", "run_start", "rec_create", "nested_start"]);
      expect(ids(nested?.run ?? [])).toEqual(["nested_start", "rec_update"]);
      expect(ids(nested?.descendants ?? [])).toEqual([]);
      const middle = await query.trace(data.acme, "rec_create", { maxEvents: 100 });
      expect(ids(middle?.ancestors ?? [])).toEqual(["person", "run_start"]);
      expect(ids(middle?.run ?? [])).toEqual(["run_start", "rec_create", "run_finish"]);
      expect(ids(middle?.descendants ?? [])).toEqual(["nested_start", "rec_update"]);
    });

    it("is bounded by maxEvents and says so", async () => {
      const { query, data } = ctx();
      const trace = await query.trace(data.acme, "person", { maxEvents: 1 });
      expect(ids(trace?.descendants ?? [])).toEqual(["run_start"]);
      expect(trace?.truncated).toBe(true);
      const up = await query.trace(data.acme, "rec_update", { maxEvents: 2 });
      expect(ids(up?.ancestors ?? [])).toEqual(["rec_create", "nested_start"]);
      expect(up?.truncated).toBe(true);
      for (const maxEvents of [0, 1001, 2.5]) {
        expect(await rejection(() => query.trace(data.acme, "person", { maxEvents }))).toMatchObject({
          code: "SEARCH_QUERY_INVALID",
        });
      }
    });

    it("stays inside the tenant: a cause in another tenant is unresolved", async () => {
      const { query, data } = ctx();
      expect(await query.trace(data.acme, "no_such_event", { maxEvents: 10 })).toBeUndefined();
      expect(await query.trace(data.globex, "person", { maxEvents: 10 })).toBeUndefined();
      const foreign = await query.trace(data.globex, "g_caused", { maxEvents: 10 });
      expect(ids(foreign?.ancestors ?? [])).toEqual([]);
      expect(foreign?.unresolvedCause).toBe("person");
      expect(ids(foreign?.run ?? [])).toEqual(["g_caused"]);
      const run = await query.trace(data.acme, "run_start", { maxEvents: 10 });
      expect(ids(run?.run ?? [])).toEqual(["run_start", "rec_create", "run_finish"]);
    });
  });

  describe("targetHistory and stateAt", () => {
    it("lists every event on a target by time, paged", async () => {
      const { query, data } = ctx();
      const asc = await query.targetHistory(data.acme, "page", "checkout", { limit: 50, order: "asc" });
      expect(ids(asc.entries)).toEqual(["page_v1", "page_v2", "page_v3", "page_bad_patch"]);
      const first = await query.targetHistory(data.acme, "page", "checkout", { limit: 3, order: "desc" });
      expect(ids(first.entries)).toEqual(["page_bad_patch", "page_v3", "page_v2"]);
      const cursor = first.nextCursor as string;
      const rest = await query.targetHistory(data.acme, "page", "checkout", { limit: 3, order: "desc", cursor });
      expect(rest).toMatchObject({ nextCursor: null });
      expect(ids(rest.entries)).toEqual(["page_v1"]);
      const other = await query.targetHistory(data.globex, "page", "checkout", { limit: 50, order: "asc" });
      expect(other.entries).toEqual([]);
    });

    it("replays after-states and patches, reporting gaps instead of hiding them", async () => {
      const { query, data } = ctx();
      const state = (iso: string) => query.stateAt(data.acme, "page", "checkout", Date.parse(iso));
      expect(await state(at(0, 8, 59))).toEqual({ state: null, asOf: null, appliedEvents: 0, gaps: [] });
      expect(await state(at(0, 9))).toMatchObject({
        state: { layout: "stack", title: "Checkout" },
        asOf: { eventId: "page_v1", occurredAt: at(0, 9) },
        appliedEvents: 1,
        gaps: [],
      });
      expect(await state(at(1, 12))).toMatchObject({ state: { layout: "stack", title: "Pay" }, appliedEvents: 2 });
      const afterV3 = await state(at(2, 12));
      expect(afterV3).toMatchObject({ state: { layout: "grid", theme: "dark", title: "Pay" }, appliedEvents: 3 });
      expect(afterV3.gaps).toMatchObject([{ eventId: "page_v3", reason: "before_mismatch" }]);
      const latest = await state(at(9, 0));
      expect(latest).toMatchObject({
        state: { layout: "grid", theme: "dark", title: "Pay" },
        asOf: { eventId: "page_v3" },
        appliedEvents: 3,
      });
      expect(latest.gaps.map((g) => [g.eventId, g.reason])).toEqual([
        ["page_v3", "before_mismatch"],
        ["page_bad_patch", "patch_failed"],
      ]);
      expect(latest.gaps[1]?.message).toMatch(/operation 0 \(remove "\/missing"\) does not apply/);
    });

    it("replays committed states: personal values withheld, null after a delete", async () => {
      const { query, data } = ctx();
      const state = (iso: string) => query.stateAt(data.acme, "record", "rec_1", Date.parse(iso));
      expect(await state(at(2, 9, 0, 2))).toMatchObject({ state: { status: "lead" }, gaps: [] });
      expect(await state(at(2, 9, 0, 4))).toMatchObject({ state: { status: "customer" }, appliedEvents: 2, gaps: [] });
      expect(await state(at(3, 8))).toMatchObject({ state: null, asOf: { eventId: "rec_delete" }, gaps: [] });
      expect(await query.stateAt(data.globex, "record", "rec_1", Date.parse(at(9, 0)))).toMatchObject({
        state: null,
        appliedEvents: 0,
      });
      expect(await rejection(() => query.stateAt(data.acme, "record", "rec_1", Number.NaN))).toMatchObject({
        code: "SEARCH_QUERY_INVALID",
        problems: [{ pointer: "/at" }],
      });
    });
  });
}
