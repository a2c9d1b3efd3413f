// POST /v1/reports generates a report against the newest signed checkpoint
// and records report.generate (its definition and checkpoint size, never the
// bytes); GET /v1/reports/{id} regenerates it at that checkpoint size, the
// same bytes. Auditors and admins: both may read personal data, and a report
// holds committed events, whose personal values are commitments only.
import { randomUUID } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { ReportArtifact } from "@trailproof/core";
import { fromUtf8, type JsonObject, type ReportDefinition, TrailproofError } from "@trailproof/core";
import {
  ProblemResponses,
  ReportArtifactSchema,
  ReportDefinitionBodySchema,
  ReportFormatQuerySchema,
  ReportParamsSchema,
} from "@trailproof/protocol";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { buildReport, encodeReport, reportCheckpoint } from "./build-report.js";
import { reportCsv } from "./report-csv.js";
import { resolveReportDefinition } from "./report-definition.js";
import { reportHtml } from "./report-html.js";

const common = { tags: ["reports"], security: [{ bearer: [] }] };

/**
 * The printable page's own policy, replacing the console's (which the
 * service's onSend hook puts on every answer): its inline styles apply, no
 * script runs, nothing loads, and the console (same origin) may frame it.
 * A route-level onSend runs after the instance's, so this one wins.
 */
const REPORT_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

async function reportPagePolicy(_request: unknown, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (String(reply.getHeader("content-type") ?? "").startsWith("text/html")) {
    reply.header("content-security-policy", REPORT_PAGE_CSP);
    reply.header("x-frame-options", "SAMEORIGIN");
  }
  return payload;
}

export type ReportFormat = "json" | "csv" | "html";

/** ?format= first, then the Accept header; JSON (the verifiable artifact) by default. */
export function reportFormatOf(format: ReportFormat | undefined, acceptHeader: string | undefined): ReportFormat {
  if (format) return format;
  const accept = acceptHeader ?? "";
  if (/\btext\/csv\b/.test(accept)) return "csv";
  if (/\btext\/html\b/.test(accept)) return "html";
  return "json";
}

export function sendReport(reply: FastifyReply, report: ReportArtifact, format: ReportFormat): FastifyReply {
  const file = `report-${report.report_id}`;
  switch (format) {
    case "csv":
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${file}.csv"`)
        .send(reportCsv(report));
    case "html":
      return reply.type("text/html; charset=utf-8").send(reportHtml(report));
    default:
      return reply
        .type("application/json; charset=utf-8")
        .header("content-disposition", `inline; filename="${file}.json"`)
        .send(encodeReport(report));
  }
}

/** A fresh report id: also the id of its report.generate event, which GET finds it by. */
export const newReportId = (): string => `rpt_${randomUUID().replaceAll("-", "")}`;

/** What report.generate records: enough to regenerate the same bytes. */
export function reportGenerateMetadata(
  report: ReportArtifact,
  checkpointSize: number,
  channelIds: readonly string[],
  scheduleId?: string,
): Record<string, unknown> {
  return {
    report_id: report.report_id,
    name: report.definition.name,
    period_from: report.definition.period.from,
    period_to: report.definition.period.to,
    checkpoint_size: checkpointSize,
    violations: report.summary.violations,
    channel_ids: [...channelIds],
    ...(scheduleId === undefined ? {} : { schedule_id: scheduleId }),
    definition: report.definition,
  };
}

export function registerReportRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { ledger } = deps;

  api.post(
    "/v1/reports",
    {
      config: { permission: "export" },
      onSend: reportPagePolicy,
      schema: {
        ...common,
        summary: "Generate a compliance / internal-audit report against the newest signed checkpoint",
        description:
          "Sections and checks over the entries received in the period (docs/reports.md). The JSON is the verifiable artifact (`trailproof verify --report`); csv and html render it. Records report.generate.",
        querystring: ReportFormatQuerySchema,
        body: ReportDefinitionBodySchema,
        produces: ["application/json", "text/csv", "text/html"],
        response: { 200: ReportArtifactSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const def = resolveReportDefinition(request.body);
      const checkpoint = await reportCheckpoint(ledger, tenant);
      const report = await buildReport(ledger, tenant, newReportId(), def, checkpoint);
      await audit.record(request, {
        action: "report.generate",
        id: report.report_id,
        target: { type: "report", id: report.report_id, name: def.name },
        metadata: reportGenerateMetadata(report, checkpoint.treeSize, []),
      });
      return sendReport(reply, report, reportFormatOf(request.query.format, request.headers.accept));
    },
  );

  api.get(
    "/v1/reports/:id",
    {
      config: { permission: "export" },
      onSend: reportPagePolicy,
      schema: {
        ...common,
        summary: "A generated report, regenerated at its recorded checkpoint size (the same bytes)",
        params: ReportParamsSchema,
        querystring: ReportFormatQuerySchema,
        produces: ["application/json", "text/csv", "text/html"],
        response: { 200: ReportArtifactSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const { id } = request.params;
      const recorded = await findRecordedReport(deps, tenant, id);
      const checkpoint = await reportCheckpoint(ledger, tenant, recorded.checkpointSize);
      const report = await buildReport(ledger, tenant, id, recorded.definition, checkpoint);
      await audit.record(request, {
        action: "audit.export",
        target: { type: "report", id },
        dedupeKey: id,
      });
      return sendReport(reply, report, reportFormatOf(request.query.format, request.headers.accept));
    },
  );
}

/** The definition and checkpoint size a report.generate entry recorded; REPORT_NOT_FOUND otherwise. */
export async function findRecordedReport(
  deps: Pick<AppDeps, "ledger">,
  tenant: string,
  id: string,
): Promise<{ definition: ReportDefinition; checkpointSize: number }> {
  const notFound = () => new TrailproofError("REPORT_NOT_FOUND", `no report ${JSON.stringify(id)} in this tenant`);
  const entry = await deps.ledger.findEntry(tenant, id);
  if (!entry || entry.leafData.length === 0) throw notFound();
  const event = JSON.parse(fromUtf8(entry.leafData)) as JsonObject;
  const metadata = event.metadata as JsonObject | undefined;
  if (event.action !== "report.generate" || metadata?.report_id !== id || typeof metadata.definition !== "object")
    throw notFound();
  return {
    definition: metadata.definition as unknown as ReportDefinition,
    checkpointSize: Number(metadata.checkpoint_size),
  };
}
