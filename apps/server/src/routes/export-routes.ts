// GET /v1/export (auditor and up): by default the tenant's bundle, the same
// file `trailproof verify --bundle` checks, up to the newest signed
// checkpoint; with format=ndjson, csv or ocsf, the events matching the event
// search's filters (docs/exports.md). Every format streams in constant memory
// and every export is recorded in the log (audit.export) before it starts.
import { Readable } from "node:stream";
import { TrailproofError } from "@trailproof/core";
import { bundleLines } from "@trailproof/ledger";
import { MIN_INDEX_MAX_WAIT_MS, ProblemResponses, parseEventFilterParams } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { csvBody, ndjsonBody, ocsfBody } from "../export/export-body.js";
import { exportEvents } from "../export/export-events.js";
import { ExportQuerySchema, parseExportQuery } from "../export/export-query.js";
import { stableQuery } from "./search-params.js";
import { checkpointCovering } from "./signed-checkpoint.js";

const CONTENT: Record<"ndjson" | "csv" | "ocsf", { type: string; suffix: string }> = {
  ndjson: { type: "application/x-ndjson", suffix: "events.ndjson" },
  csv: { type: "text/csv; charset=utf-8", suffix: "events.csv" },
  ocsf: { type: "application/x-ndjson", suffix: "ocsf.ndjson" },
};

export function registerExportRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  app.get(
    "/v1/export",
    {
      config: { permission: "export" },
      attachValidation: true,
      schema: {
        tags: ["log"],
        security: [{ bearer: [] }],
        summary: "Export the tenant's log: the verifiable bundle (default), or its events as NDJSON, CSV or OCSF",
        description:
          "format=bundle (default): NDJSON of header, checkpoints and entries, verifiable with `trailproof verify --bundle`. format=ndjson|csv|ocsf: the events matching the event search's filters (the parameters of GET /v1/events), sorted by occurred_at (`order`), shown as the caller's role may read them; csv is spreadsheet-safe unless safe=false. Columns and mapping: docs/exports.md, docs/ocsf.md.",
        querystring: ExportQuerySchema,
        produces: ["application/x-ndjson", "text/csv"],
        response: { ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const asked = parseExportQuery(request.query as Record<string, unknown>, request.validationError);
      if (asked.format === "bundle") {
        await audit.record(request, { action: "audit.export", target: { type: "log", id: tenant } });
        // The bundle ends at the newest signed checkpoint. A GET never signs, so
        // wait (bounded) for the publisher to cover what was appended until now.
        const size = await deps.ledger.treeSize(tenant);
        if (size > 0) await checkpointCovering(deps.ledger, tenant, size - 1, deps.config.checkpointIntervalMs);
        const keys = await deps.ledger.verifierKeys(tenant);
        const stream = Readable.from(bundleLines(deps.ledger.store, tenant, keys));
        return reply
          .type("application/x-ndjson")
          .header("content-disposition", `attachment; filename="${tenant}.bundle"`)
          .send(stream);
      }

      const filter = parseEventFilterParams(asked.filter);
      const record = await deps.ledger.tenantRecord(tenant);
      // One snapshot: the entries the log held when the export began (not the
      // export's own audit.export entry, nor anything appended while it streams),
      // once the search covers them all (so a receipt's index is always in: no min_index needed).
      const treeSize = await deps.ledger.treeSize(tenant);
      if (deps.waitForSearch && !(await deps.waitForSearch(record.tenantId, treeSize, MIN_INDEX_MAX_WAIT_MS))) {
        reply.header("retry-after", "1");
        throw new TrailproofError("SERVICE_UNAVAILABLE", "the search does not cover the log yet; retry shortly");
      }
      await audit.record(request, {
        action: "audit.export",
        target: { type: "log", id: tenant },
        metadata: { query: stableQuery({ ...asked.filter, format: asked.format, order: asked.order }) },
      });
      const items = exportEvents(deps, {
        tenant,
        tenantId: record.tenantId,
        role: request.principal?.role ?? "viewer",
        filter,
        order: asked.order,
        treeSize,
      });
      const body =
        asked.format === "csv"
          ? csvBody(items, asked.safe)
          : asked.format === "ocsf"
            ? ocsfBody(items, record.origin)
            : ndjsonBody(items);
      const { type, suffix } = CONTENT[asked.format];
      return reply.type(type).header("content-disposition", `attachment; filename="${tenant}-${suffix}"`).send(body);
    },
  );
}
