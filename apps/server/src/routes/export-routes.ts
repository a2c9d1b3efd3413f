// GET /v1/export (auditor and up): streams the tenant's bundle, the same
// file `trailproof verify --bundle` checks, in constant memory, up to the
// newest signed checkpoint.
import { Readable } from "node:stream";
import { bundleLines } from "@trailproof/ledger";
import { ProblemResponses } from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { checkpointCovering } from "./signed-checkpoint.js";

export function registerExportRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  app.get(
    "/v1/export",
    {
      config: { permission: "export" },
      schema: {
        tags: ["log"],
        security: [{ bearer: [] }],
        summary: "The tenant's export bundle (NDJSON: header, checkpoints, entries), streamed",
        produces: ["application/x-ndjson"],
        response: { ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
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
    },
  );
}
