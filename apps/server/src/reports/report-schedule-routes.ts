// Report schedules over HTTP (admin): create, list, read, replace and
// delete; each change is a report_schedule.* event with the schedule before
// and after. The scheduler (report-schedule.ts) fires them.
import { randomUUID } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { type JsonObject, type Problem, TrailproofError } from "@trailproof/core";
import type { ReportScheduleRecord } from "@trailproof/ledger";
import {
  ProblemResponses,
  ReportParamsSchema,
  ReportScheduleBodySchema,
  ReportScheduleListSchema,
  ReportScheduleResponseSchema,
  type WireReportSchedule,
  type WireReportScheduleBody,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import type { AppDeps } from "../deps.js";
import { resolveReportDefinition } from "./report-definition.js";
import { cronProblem } from "./report-schedule.js";

const common = { tags: ["reports"], security: [{ bearer: [] }] };

export function toWireSchedule(r: ReportScheduleRecord): WireReportSchedule {
  return {
    id: r.scheduleId,
    name: r.name,
    cron: r.cron,
    period: r.period,
    definition: r.definition,
    channel_ids: r.channelIds,
    enabled: r.enabled,
    created_by: r.createdBy,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    last_fired_at: r.lastFiredAt,
    last_report_id: r.lastReportId,
  };
}

/** The body checked beyond its schema (cron, queries); REPORT_INVALID listing every problem. */
function checkedBody(body: WireReportScheduleBody): JsonObject {
  const problems: Problem[] = [];
  const cron = cronProblem(body.cron);
  if (cron !== undefined) problems.push({ pointer: "/cron", message: cron });
  try {
    // Any valid period: the queries and checks are what is checked here.
    resolveReportDefinition({
      ...body.definition,
      period: { from: "2000-01-01T00:00:00.000Z", to: "2000-01-02T00:00:00.000Z" },
    });
  } catch (err) {
    if (!(err instanceof TrailproofError)) throw err;
    problems.push(...err.problems.map((p) => ({ ...p, pointer: `/definition${p.pointer}` })));
  }
  if (problems.length > 0) {
    throw new TrailproofError("REPORT_INVALID", `the report schedule has ${problems.length} problem(s)`, { problems });
  }
  return body.definition as unknown as JsonObject;
}

/** What a schedule's events carry as state: the schedule without its bookkeeping. */
const stateOf = (r: ReportScheduleRecord) => ({
  name: r.name,
  cron: r.cron,
  period: r.period,
  enabled: r.enabled,
  definition: r.definition,
  channel_ids: r.channelIds,
});

/** What a schedule's meta-audit event names: the schedule as its target and in its metadata. */
const subjectOf = (r: ReportScheduleRecord) => ({
  target: { type: "report_schedule", id: r.scheduleId, name: r.name },
  metadata: { schedule_id: r.scheduleId },
});

export function registerReportScheduleRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { reports } = deps;
  const notFound = (id: string) =>
    new TrailproofError("REPORT_SCHEDULE_NOT_FOUND", `no report schedule ${JSON.stringify(id)} in this tenant`);

  api.post(
    "/v1/report-schedules",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Schedule a report: a definition without its period, a cron (UTC) and a period rule",
        body: ReportScheduleBodySchema,
        response: { 201: ReportScheduleResponseSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const definition = checkedBody(body);
      const now = new Date().toISOString();
      const record: ReportScheduleRecord = {
        scheduleId: `rsc_${randomUUID().replaceAll("-", "")}`,
        tenantId: request.principal?.tenantId as number,
        name: body.name,
        cron: body.cron,
        period: body.period,
        definition,
        channelIds: body.channel_ids ?? [],
        enabled: body.enabled ?? true,
        createdBy: request.principal?.id as string,
        createdAt: now,
        updatedAt: now,
        lastFiredAt: null,
        lastReportId: null,
      };
      await reports.insertSchedule(record);
      await audit.record(request, {
        action: "report_schedule.create",
        ...subjectOf(record),
        change: { after: stateOf(record) },
      });
      return reply.code(201).send({ schedule: toWireSchedule(record) });
    },
  );

  api.get(
    "/v1/report-schedules",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "The tenant's report schedules, oldest first",
        response: { 200: ReportScheduleListSchema, ...ProblemResponses },
      },
    },
    async (request) => ({
      schedules: (await reports.listSchedules(request.principal?.tenantId as number)).map(toWireSchedule),
    }),
  );

  api.get(
    "/v1/report-schedules/:id",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "One report schedule",
        params: ReportParamsSchema,
        response: { 200: ReportScheduleResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const found = await reports.findSchedule(request.principal?.tenantId as number, request.params.id);
      if (!found) throw notFound(request.params.id);
      return { schedule: toWireSchedule(found) };
    },
  );

  api.put(
    "/v1/report-schedules/:id",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Replace a report schedule (its firing history is kept)",
        params: ReportParamsSchema,
        body: ReportScheduleBodySchema,
        response: { 200: ReportScheduleResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenantId = request.principal?.tenantId as number;
      const body = request.body;
      const definition = checkedBody(body);
      const before = await reports.findSchedule(tenantId, request.params.id);
      if (!before) throw notFound(request.params.id);
      const after = await reports.updateSchedule(tenantId, request.params.id, {
        name: body.name,
        cron: body.cron,
        period: body.period,
        definition,
        channelIds: body.channel_ids ?? [],
        enabled: body.enabled ?? true,
        updatedAt: new Date().toISOString(),
      });
      if (!after) throw notFound(request.params.id);
      await audit.record(request, {
        action: "report_schedule.update",
        ...subjectOf(after),
        change: { before: stateOf(before), after: stateOf(after) },
      });
      return { schedule: toWireSchedule(after) };
    },
  );

  api.delete(
    "/v1/report-schedules/:id",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Delete a report schedule; answers it as it was",
        params: ReportParamsSchema,
        response: { 200: ReportScheduleResponseSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenantId = request.principal?.tenantId as number;
      const before = await reports.findSchedule(tenantId, request.params.id);
      if (!before || !(await reports.deleteSchedule(tenantId, request.params.id))) throw notFound(request.params.id);
      await audit.record(request, {
        action: "report_schedule.delete",
        ...subjectOf(before),
        change: { before: stateOf(before) },
      });
      return { schedule: toWireSchedule(before) };
    },
  );
}
