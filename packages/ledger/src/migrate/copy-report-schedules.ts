// Copies report schedules (docs/reports.md#scheduling) with their last-run
// state: a schedule copied without last_fired_at would fire again for a
// period SQLite already reported on.
import type { ReportScheduleStore } from "../store/report-store.js";
import { type CopyCounts, copyCounts, type TenantIdMap } from "./copy-counts.js";
import type { SqliteStateReader } from "./sqlite-source.js";

/** updated: a later firing (or definition change) carried onto a schedule the target held. */
export async function copyReportSchedules(
  source: SqliteStateReader,
  target: ReportScheduleStore,
  mapId: TenantIdMap,
): Promise<CopyCounts> {
  const out = copyCounts();
  for (const schedule of source.reportSchedules()) {
    const s = { ...schedule, tenantId: mapId(schedule.tenantId) };
    const existing = await target.findSchedule(s.tenantId, s.scheduleId);
    if (existing === undefined) {
      await target.insertSchedule(s);
      out.inserted++;
      continue;
    }
    let changed = false;
    if (existing.updatedAt < s.updatedAt) {
      const { name, cron, period, definition, channelIds, enabled, updatedAt } = s;
      await target.updateSchedule(s.tenantId, s.scheduleId, {
        name,
        cron,
        period,
        definition,
        channelIds,
        enabled,
        updatedAt,
      });
      changed = true;
    }
    // Only forward: a firing the target claimed after the source's stays.
    if (s.lastFiredAt !== null && (existing.lastFiredAt === null || existing.lastFiredAt < s.lastFiredAt)) {
      changed =
        (await target.claimFiring(
          s.tenantId,
          s.scheduleId,
          existing.lastFiredAt,
          s.lastFiredAt,
          s.lastReportId as string,
        )) || changed;
    }
    out[changed ? "updated" : "unchanged"]++;
  }
  return out;
}
