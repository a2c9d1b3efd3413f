// ReportScheduleStore on PostgreSQL (schema/012-report-schedules.ts): every
// statement in its tenant's row-level security scope; a firing is claimed by
// one conditional UPDATE, so two nodes cannot both claim it.
import { type ReportScheduleRow, toReportSchedule } from "../report-rows.js";
import type { ReportScheduleChange, ReportScheduleRecord, ReportScheduleStore } from "../report-store.js";
import type { PgSql } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

export class PostgresReportStore implements ReportScheduleStore {
  readonly #sql: PgSql;

  /** Requires the schema migrated and `sql` connected as the app role. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async insertSchedule(r: ReportScheduleRecord): Promise<void> {
    await inTenant(this.#sql, r.tenantId, async (tx) => {
      await tx`INSERT INTO report_schedules (schedule_id, tenant_id, name, cron, period, definition, channel_ids,
          enabled, created_by, created_at, updated_at, last_fired_at, last_report_id)
        VALUES (${r.scheduleId}, ${r.tenantId}, ${r.name}, ${r.cron}, ${r.period}, ${tx.json(r.definition)},
          ${tx.json(r.channelIds)}, ${r.enabled}, ${r.createdBy}, ${r.createdAt}, ${r.updatedAt}, ${r.lastFiredAt},
          ${r.lastReportId})`;
    });
  }

  async findSchedule(tenantId: number, scheduleId: string): Promise<ReportScheduleRecord | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) =>
        tx<
          ReportScheduleRow[]
        >`SELECT * FROM report_schedules WHERE tenant_id = ${tenantId} AND schedule_id = ${scheduleId}`,
    );
    return row && toReportSchedule(row);
  }

  async listSchedules(tenantId: number): Promise<ReportScheduleRecord[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<ReportScheduleRow[]>`SELECT * FROM report_schedules WHERE tenant_id = ${tenantId}
        ORDER BY created_at, schedule_id`,
    );
    return rows.map(toReportSchedule);
  }

  async updateSchedule(
    tenantId: number,
    scheduleId: string,
    c: ReportScheduleChange,
  ): Promise<ReportScheduleRecord | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<
        ReportScheduleRow[]
      >`UPDATE report_schedules SET name = ${c.name}, cron = ${c.cron}, period = ${c.period},
          definition = ${tx.json(c.definition)}, channel_ids = ${tx.json(c.channelIds)}, enabled = ${c.enabled},
          updated_at = ${c.updatedAt}
        WHERE tenant_id = ${tenantId} AND schedule_id = ${scheduleId} RETURNING *`,
    );
    return row && toReportSchedule(row);
  }

  async deleteSchedule(tenantId: number, scheduleId: string): Promise<boolean> {
    const done = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`DELETE FROM report_schedules WHERE tenant_id = ${tenantId} AND schedule_id = ${scheduleId}`,
    );
    return done.count > 0;
  }

  async claimFiring(
    tenantId: number,
    scheduleId: string,
    previous: string | null,
    firedAt: string,
    reportId: string,
  ): Promise<boolean> {
    const done = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`UPDATE report_schedules SET last_fired_at = ${firedAt}, last_report_id = ${reportId}
        WHERE tenant_id = ${tenantId} AND schedule_id = ${scheduleId}
          AND last_fired_at IS NOT DISTINCT FROM ${previous}::text`,
    );
    return done.count > 0;
  }
}
