// GET /v1/automations (viewer and up): workflows and their runs over the
// last days, summarised from workflow.run.* events in the log.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { fromUtf8 } from "@trailproof/core";
import { AutomationsQuerySchema, AutomationsSchema, ProblemResponses } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import { summarizeRuns } from "../automations/summarize-runs.js";
import type { AppDeps } from "../deps.js";

const MAX_RUN_EVENTS = 20_000;

export function registerAutomationRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/v1/automations",
    {
      config: { permission: "read" },
      schema: {
        tags: ["events"],
        security: [{ bearer: [] }],
        summary: "Workflows and their runs: success and failure, durations, last run, missed scheduled runs",
        querystring: AutomationsQuerySchema,
        response: { 200: AutomationsSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { days = 7 } = request.query;
      const now = Date.now();
      const record = await deps.ledger.tenantRecord(tenant);
      const filter = { actionPrefix: "workflow.run.", from: new Date(now - days * 86_400_000).toISOString() };
      const events = [];
      let cursor: string | undefined;
      do {
        const page = await deps.query.search(record.tenantId, filter, {
          limit: 500,
          order: "asc",
          ...(cursor ? { cursor } : {}),
        });
        for (const e of page.entries) events.push(JSON.parse(fromUtf8(e.leafData)));
        cursor = page.nextCursor ?? undefined;
      } while (cursor && events.length < MAX_RUN_EVENTS);
      await audit.record(request, {
        action: "audit.stats.read",
        target: { type: "log", id: tenant },
        metadata: { query: { days } },
        dedupeKey: `automations:${days}`,
      });
      return { ...summarizeRuns(events, now), truncated: cursor !== undefined };
    },
  );
}
