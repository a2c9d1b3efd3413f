// Rows of report_schedules (schema/012-report-schedules.ts and
// sqlite-report-store.ts) and their records: one mapping for both backends.
// SQLite keeps the JSON columns as text and booleans as 0/1; PostgreSQL
// hands back parsed JSON and booleans.
import type { JsonObject } from "@trailproof/core";
import type { ReportScheduleRecord } from "./report-store.js";

export interface ReportScheduleRow {
  schedule_id: string;
  tenant_id: number;
  name: string;
  cron: string;
  period: string;
  definition: string | JsonObject;
  channel_ids: string | string[];
  enabled: boolean | number;
  created_by: string;
  created_at: string;
  updated_at: string;
  last_fired_at: string | null;
  last_report_id: string | null;
}

export function toReportSchedule(r: ReportScheduleRow): ReportScheduleRecord {
  return {
    scheduleId: r.schedule_id,
    tenantId: r.tenant_id,
    name: r.name,
    cron: r.cron,
    period: r.period,
    definition: typeof r.definition === "string" ? (JSON.parse(r.definition) as JsonObject) : r.definition,
    channelIds: typeof r.channel_ids === "string" ? (JSON.parse(r.channel_ids) as string[]) : r.channel_ids,
    enabled: r.enabled === true || r.enabled === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastFiredAt: r.last_fired_at,
    lastReportId: r.last_report_id,
  };
}
