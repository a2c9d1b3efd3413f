// Operations: /healthz (the process is up), /readyz (the store is writable,
// signers load, checkpoints are recent), /metrics (Prometheus, operator key).
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
    // Entries must be signed within a few publishing intervals.
    const staleAfterMs = Math.max(5 * deps.config.checkpointIntervalMs, 10_000);
    for (const s of await deps.ledger.logStatus().catch(() => [])) {
      const age = s.checkpointSignedAt ? Date.now() - Date.parse(s.checkpointSignedAt) : Number.POSITIVE_INFINITY;
      if (s.treeSize > s.checkpointSize && age > staleAfterMs) problems.push(`tenant ${s.tenant}: checkpoint is stale`);
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
