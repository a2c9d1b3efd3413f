// Operations: /healthz (the process is up), /readyz (the store is reachable,
// signers load, no entry waits unsigned past the bound), /metrics (Prometheus, operator key).
import type { FastifyInstance } from "fastify";
import type { AppDeps } from "../deps.js";

export function registerHealthRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get("/healthz", { schema: { tags: ["operations"], summary: "The process is up" } }, async () => ({
    status: "ok",
  }));

  app.get("/readyz", { schema: { tags: ["operations"], summary: "Ready to take events" } }, async (_request, reply) => {
    const problems: string[] = [];
    try {
      await deps.ledger.listTenants();
    } catch {
      problems.push("store unreachable");
    }
    if (deps.ledger.publisherError) problems.push("checkpoint publisher failing");
    // The publisher signs at most one interval after new entries; an entry
    // still unsigned after five has been failed by it (docs/runbooks/operations.md).
    // Measured from the oldest unsigned entry, not the last checkpoint: after a
    // quiet spell the last checkpoint is old while nothing has waited. With the
    // timer off (0) only the size trigger signs, so there is no bound to hold.
    const unsignedBoundMs = 5 * deps.config.checkpointIntervalMs;
    for (const s of await deps.ledger.logStatus().catch(() => [])) {
      const waitedMs = s.oldestUnsignedAt === null ? 0 : Date.now() - Date.parse(s.oldestUnsignedAt);
      if (unsignedBoundMs > 0 && waitedMs > unsignedBoundMs)
        problems.push(`tenant ${s.tenant}: checkpoint is stale (entries unsigned for more than ${unsignedBoundMs} ms)`);
      try {
        await deps.ledger.keys.signer(s.tenant, s.origin);
      } catch {
        problems.push(`tenant ${s.tenant}: signing key unreadable`);
      }
    }
    return reply
      .code(problems.length === 0 ? 200 : 503)
      .send({ status: problems.length === 0 ? "ready" : "not ready", problems });
  });

  app.get(
    "/metrics",
    {
      config: { permission: "operate" },
      schema: { tags: ["operations"], summary: "Prometheus metrics (operator key)", security: [{ bearer: [] }] },
    },
    async (_request, reply) =>
      reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
}
