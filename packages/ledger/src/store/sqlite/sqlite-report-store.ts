// ReportScheduleStore on the SQLite catalogue (trailproof.db), beside approvals.
import { type ReportScheduleRow, toReportSchedule } from "../report-rows.js";
import type { ReportScheduleChange, ReportScheduleRecord, ReportScheduleStore } from "../report-store.js";
import type { SqliteDatabase } from "./sqlite-database.js";

const DDL = `
CREATE TABLE IF NOT EXISTS report_schedules (
  schedule_id TEXT NOT NULL,
  tenant_id INTEGER NOT NULL REFERENCES tenants (tenant_id),
  name TEXT NOT NULL,
  cron TEXT NOT NULL,
  period TEXT NOT NULL,
  definition TEXT NOT NULL CHECK (json_type(definition) = 'object'),
  channel_ids TEXT NOT NULL CHECK (json_type(channel_ids) = 'array'),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_fired_at TEXT,
  last_report_id TEXT,
  PRIMARY KEY (tenant_id, schedule_id)
);
`;

export class SqliteReportStore implements ReportScheduleStore {
  readonly #db: SqliteDatabase;
  /** False on a read-only open of a catalogue written before schedules existed: reads find none. */
  readonly #hasTable: boolean;

  /** Requires the log schema (tenants) to exist: construct after SqliteStore. */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    if (db.readonly !== true) db.exec(DDL);
    this.#hasTable =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'report_schedules'").get() !== undefined;
  }

  async insertSchedule(r: ReportScheduleRecord): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO report_schedules (schedule_id, tenant_id, name, cron, period, definition, channel_ids, enabled,
          created_by, created_at, updated_at, last_fired_at, last_report_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.scheduleId,
        r.tenantId,
        r.name,
        r.cron,
        r.period,
        JSON.stringify(r.definition),
        JSON.stringify(r.channelIds),
        r.enabled ? 1 : 0,
        r.createdBy,
        r.createdAt,
        r.updatedAt,
        r.lastFiredAt,
        r.lastReportId,
      );
  }

  async findSchedule(tenantId: number, scheduleId: string): Promise<ReportScheduleRecord | undefined> {
    if (!this.#hasTable) return undefined;
    const row = this.#db
      .prepare("SELECT * FROM report_schedules WHERE tenant_id = ? AND schedule_id = ?")
      .get(tenantId, scheduleId) as ReportScheduleRow | undefined;
    return row && toReportSchedule(row);
  }

  async listSchedules(tenantId: number): Promise<ReportScheduleRecord[]> {
    if (!this.#hasTable) return [];
    const rows = this.#db
      .prepare("SELECT * FROM report_schedules WHERE tenant_id = ? ORDER BY created_at, schedule_id")
      .all(tenantId) as ReportScheduleRow[];
    return rows.map(toReportSchedule);
  }

  async updateSchedule(
    tenantId: number,
    scheduleId: string,
    c: ReportScheduleChange,
  ): Promise<ReportScheduleRecord | undefined> {
    const { changes } = this.#db
      .prepare(
        `UPDATE report_schedules SET name = ?, cron = ?, period = ?, definition = ?, channel_ids = ?, enabled = ?,
          updated_at = ? WHERE tenant_id = ? AND schedule_id = ?`,
      )
      .run(
        c.name,
        c.cron,
        c.period,
        JSON.stringify(c.definition),
        JSON.stringify(c.channelIds),
        c.enabled ? 1 : 0,
        c.updatedAt,
        tenantId,
        scheduleId,
      );
    return changes === 0 ? undefined : this.findSchedule(tenantId, scheduleId);
  }

  async deleteSchedule(tenantId: number, scheduleId: string): Promise<boolean> {
    const { changes } = this.#db
      .prepare("DELETE FROM report_schedules WHERE tenant_id = ? AND schedule_id = ?")
      .run(tenantId, scheduleId);
    return changes > 0;
  }

  async claimFiring(
    tenantId: number,
    scheduleId: string,
    previous: string | null,
    firedAt: string,
    reportId: string,
  ): Promise<boolean> {
    const { changes } = this.#db
      .prepare(
        `UPDATE report_schedules SET last_fired_at = ?, last_report_id = ?
          WHERE tenant_id = ? AND schedule_id = ? AND last_fired_at IS ?`,
      )
      .run(firedAt, reportId, tenantId, scheduleId, previous);
    return changes > 0;
  }
}
