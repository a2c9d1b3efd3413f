// Fires report schedules (docs/reports.md#scheduling): each tick, for every
// tenant's enabled schedule whose cron has come due since it last fired (or
// since it was created), one node claims the firing (a shared claim, then
// the store's conditional update) and generates the report over the
// schedule's period rule, then appends report.generate naming the
// schedule's channel_ids. Delivering it to those channels is the
// notification follower's work, not this job's.
import { type JsonObject, TrailproofError } from "@trailproof/core";
import type { Ledger, ReportScheduleRecord, ReportScheduleStore, SharedState } from "@trailproof/ledger";
import type { ReportPeriodRule, WireReportDefinitionBody } from "@trailproof/protocol";
import { CronExpressionParser } from "cron-parser";
import type { FastifyBaseLogger } from "fastify";
import { META_AUDIT_APPENDER } from "../audit/meta-audit.js";
import { buildReport, reportCheckpoint } from "./build-report.js";
import { resolveReportDefinition } from "./report-definition.js";
import { periodBefore } from "./report-period.js";
import { newReportId, reportGenerateMetadata } from "./report-routes.js";

/** How often schedules are looked at: cron's granularity is a minute. */
export const REPORT_SCHEDULE_TICK_MS = 60_000;

export interface ReportSchedulerDeps {
  ledger: Ledger;
  reports: ReportScheduleStore;
  shared: SharedState;
  log: FastifyBaseLogger;
  /** The clock schedules fire by; Date.now unless a test moves it. */
  now?: () => number;
}

export interface FiredReport {
  tenant: string;
  scheduleId: string;
  reportId: string;
  firedAt: string;
}

/** The newest time at or before `nowMs` the cron (UTC) names; undefined for a cron that never fired. */
export function lastFiring(cron: string, nowMs: number): number | undefined {
  const it = CronExpressionParser.parse(cron, { currentDate: new Date(nowMs + 1), tz: "UTC" });
  try {
    return it.prev().getTime();
  } catch {
    return undefined;
  }
}

/** Whether `cron` is a cron this job can fire (5 or 6 fields, cron-parser's syntax). */
export function cronProblem(cron: string): string | undefined {
  try {
    CronExpressionParser.parse(cron, { tz: "UTC", strict: false });
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : "is not a cron expression";
  }
}

export class ReportScheduler {
  readonly #deps: ReportSchedulerDeps;
  readonly #tickMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<FiredReport[]> | undefined;

  constructor(deps: ReportSchedulerDeps, tickMs = REPORT_SCHEDULE_TICK_MS) {
    this.#deps = deps;
    this.#tickMs = tickMs;
  }

  start(): void {
    if (this.#tickMs <= 0) return;
    this.#timer = setInterval(() => {
      void this.runOnce();
    }, this.#tickMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Fires every schedule that is due on this node's claim; what it generated. */
  runOnce(): Promise<FiredReport[]> {
    this.#running ??= this.#runAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #runAll(): Promise<FiredReport[]> {
    const { ledger, reports, log } = this.#deps;
    const now = (this.#deps.now ?? Date.now)();
    const fired: FiredReport[] = [];
    for (const tenant of await ledger.listTenants()) {
      for (const schedule of await reports.listSchedules(tenant.tenantId)) {
        if (!schedule.enabled) continue;
        try {
          const one = await this.#fireIfDue(tenant.name, schedule, now);
          if (one) fired.push(one);
        } catch (err) {
          log.error({ tenant: tenant.name, schedule: schedule.scheduleId, err }, "scheduled report could not run");
        }
      }
    }
    return fired;
  }

  async #fireIfDue(tenant: string, schedule: ReportScheduleRecord, now: number): Promise<FiredReport | undefined> {
    const { ledger, reports, shared } = this.#deps;
    const due = lastFiring(schedule.cron, now);
    const since = Math.max(Date.parse(schedule.createdAt), schedule.lastFiredAt ? Date.parse(schedule.lastFiredAt) : 0);
    if (due === undefined || due <= since) return undefined;
    const firedAt = new Date(due).toISOString();
    // One node per firing: the shared claim keeps the others from even trying; the store's conditional update decides.
    if (!(await shared.claim(`report-schedule:${tenant}:${schedule.scheduleId}:${firedAt}`, "1", 10 * 60_000))) {
      return undefined;
    }
    const reportId = newReportId();
    if (!(await reports.claimFiring(schedule.tenantId, schedule.scheduleId, schedule.lastFiredAt, firedAt, reportId))) {
      return undefined;
    }
    const stored = schedule.definition as unknown as Omit<WireReportDefinitionBody, "period">;
    const definition = resolveReportDefinition({
      ...stored,
      period: periodBefore(schedule.period as ReportPeriodRule, due),
    });
    const checkpoint = await reportCheckpoint(ledger, tenant);
    const report = await buildReport(ledger, tenant, reportId, definition, checkpoint);
    const [appended] = await ledger.append(
      tenant,
      [
        {
          id: reportId,
          action: "report.generate",
          // The ledger's clock, which stamps received_at: the report is generated now, whatever time it was due.
          occurred_at: new Date(ledger.now()).toISOString(),
          actor: { type: "system", id: "report-scheduler" },
          target: { type: "report", id: reportId, name: definition.name },
          metadata: reportGenerateMetadata(
            report,
            checkpoint.treeSize,
            schedule.channelIds,
            schedule.scheduleId,
          ) as JsonObject,
        },
      ],
      { appendedBy: META_AUDIT_APPENDER, serviceRecord: true },
    );
    if (appended?.status !== "created" && appended?.status !== "duplicate") {
      throw new TrailproofError("META_AUDIT_FAILED", `could not record report.generate of ${reportId}`);
    }
    return { tenant, scheduleId: schedule.scheduleId, reportId, firedAt };
  }
}
