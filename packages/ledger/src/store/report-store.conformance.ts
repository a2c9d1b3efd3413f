// The ReportScheduleStore conformance suite (report-store.ts): every backend
// runs it, above all the rule that one firing is claimed once, even when two
// claims race, and that a tenant never sees another's schedules.
import { afterEach, describe, expect, it } from "vitest";
import type { ReportScheduleRecord, ReportScheduleStore } from "./report-store.js";

export interface ReportStores {
  reports: ReportScheduleStore;
  createTenant(name: string): Promise<number>;
  close(): Promise<void>;
}

const AT = "2026-01-01T00:00:00.000Z";
const LATER = "2026-02-01T06:00:00.000Z";

function schedule(
  tenantId: number,
  scheduleId: string,
  extra: Partial<ReportScheduleRecord> = {},
): ReportScheduleRecord {
  return {
    scheduleId,
    tenantId,
    name: `monthly ${scheduleId}`,
    cron: "0 6 1 * *",
    period: "previous_month",
    definition: {
      name: "Access",
      sections: [{ type: "access_changes" }],
      checks: [],
      nested: { list: [1, "two", null] },
    },
    channelIds: ["ch_mail", "ch_slack"],
    enabled: true,
    createdBy: "person:ada",
    createdAt: AT,
    updatedAt: AT,
    lastFiredAt: null,
    lastReportId: null,
    ...extra,
  };
}

export function runReportStoreConformance(name: string, open: () => Promise<ReportStores>): void {
  describe(`ReportScheduleStore conformance: ${name}`, () => {
    const opened: ReportStores[] = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    const fresh = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };

    it("keeps a schedule exactly as inserted, lists oldest first, and only its tenant's", async () => {
      const s = await fresh();
      const acme = await s.createTenant("acme");
      const globex = await s.createTenant("globex");
      await s.reports.insertSchedule(schedule(acme, "s2", { createdAt: LATER, updatedAt: LATER }));
      await s.reports.insertSchedule(schedule(acme, "s1"));
      await s.reports.insertSchedule(schedule(globex, "g1"));
      expect(await s.reports.findSchedule(acme, "s1")).toEqual(schedule(acme, "s1"));
      expect((await s.reports.listSchedules(acme)).map((r) => r.scheduleId)).toEqual(["s1", "s2"]);
      expect(await s.reports.findSchedule(acme, "g1")).toBeUndefined();
      expect(await s.reports.findSchedule(globex, "s1")).toBeUndefined();
    });

    it("updates what a PUT may change and deletes, answering whether there was one", async () => {
      const s = await fresh();
      const acme = await s.createTenant("acme");
      const globex = await s.createTenant("globex");
      await s.reports.insertSchedule(schedule(acme, "s1"));
      const change = {
        name: "weekly",
        cron: "0 7 * * 1",
        period: "previous_week",
        definition: { name: "Deploys", sections: [], checks: [] },
        channelIds: [],
        enabled: false,
        updatedAt: LATER,
      };
      expect(await s.reports.updateSchedule(acme, "s1", change)).toEqual({ ...schedule(acme, "s1"), ...change });
      expect(await s.reports.updateSchedule(globex, "s1", change)).toBeUndefined();
      expect(await s.reports.updateSchedule(acme, "nope", change)).toBeUndefined();
      expect(await s.reports.deleteSchedule(globex, "s1")).toBe(false);
      expect(await s.reports.deleteSchedule(acme, "s1")).toBe(true);
      expect(await s.reports.deleteSchedule(acme, "s1")).toBe(false);
      expect(await s.reports.listSchedules(acme)).toEqual([]);
    });

    it("claims a firing once: of two racing claims exactly one wins, and the next needs the new previous", async () => {
      const s = await fresh();
      const acme = await s.createTenant("acme");
      await s.reports.insertSchedule(schedule(acme, "s1"));
      const results = await Promise.all([
        s.reports.claimFiring(acme, "s1", null, LATER, "rpt_a"),
        s.reports.claimFiring(acme, "s1", null, LATER, "rpt_b"),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const after = await s.reports.findSchedule(acme, "s1");
      expect(after?.lastFiredAt).toBe(LATER);
      expect(["rpt_a", "rpt_b"]).toContain(after?.lastReportId);
      expect(await s.reports.claimFiring(acme, "s1", null, "2026-03-01T06:00:00.000Z", "rpt_c")).toBe(false);
      expect(await s.reports.claimFiring(acme, "s1", LATER, "2026-03-01T06:00:00.000Z", "rpt_c")).toBe(true);
      expect((await s.reports.findSchedule(acme, "s1"))?.lastReportId).toBe("rpt_c");
    });
  });
}
