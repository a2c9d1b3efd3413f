// Report schedules (docs/reports.md#scheduling): per tenant, a report
// definition without its period, a cron, a period rule and the notification
// channels its report.generate names. The scheduler claims each firing by
// moving last_fired_at forward in one conditional step, so two nodes never
// generate the same scheduled report twice.
import type { JsonObject } from "@trailproof/core";

export interface ReportScheduleRecord {
  scheduleId: string;
  tenantId: number;
  name: string;
  /** 5-field cron, UTC. */
  cron: string;
  /** previous_day, previous_week, previous_month or previous_quarter. */
  period: string;
  /** The report definition without its period: {name, sections, checks}. */
  definition: JsonObject;
  channelIds: string[];
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** The firing time last claimed; null while it never fired. */
  lastFiredAt: string | null;
  lastReportId: string | null;
}

/** What a PUT may change. */
export type ReportScheduleChange = Pick<
  ReportScheduleRecord,
  "name" | "cron" | "period" | "definition" | "channelIds" | "enabled" | "updatedAt"
>;

export interface ReportScheduleStore {
  insertSchedule(record: ReportScheduleRecord): Promise<void>;
  findSchedule(tenantId: number, scheduleId: string): Promise<ReportScheduleRecord | undefined>;
  /** The tenant's schedules, oldest first. */
  listSchedules(tenantId: number): Promise<ReportScheduleRecord[]>;
  /** Replaces what a PUT may change; the record after, undefined when there is none. */
  updateSchedule(
    tenantId: number,
    scheduleId: string,
    change: ReportScheduleChange,
  ): Promise<ReportScheduleRecord | undefined>;
  /** Removes it; false when there was none. */
  deleteSchedule(tenantId: number, scheduleId: string): Promise<boolean>;
  /**
   * Claims the firing at `firedAt`: MUST set last_fired_at to it (and
   * last_report_id) only while last_fired_at still equals `previous`, in
   * one atomic step, so of two nodes claiming one firing exactly one wins.
   */
  claimFiring(
    tenantId: number,
    scheduleId: string,
    previous: string | null,
    firedAt: string,
    reportId: string,
  ): Promise<boolean>;
}
