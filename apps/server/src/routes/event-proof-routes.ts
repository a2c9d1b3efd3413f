// GET /v1/events/{id}/proof: one event's C2SP tlog-proof (docs/log-format.md,
// "Single-event proofs"), a text file anyone can verify offline with the
// log's verifier key (`trailproof verify --proof`). The event's leaf data
// rides in the proof's `extra` line, so the file alone rehashes the leaf.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { encodeTlogProof, TrailproofError } from "@trailproof/core";
import {
  EventIdParamsSchema,
  EventPrunedProblemSchema,
  PROBLEM_CONTENT_TYPE,
  ProblemResponses,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { HttpProblem } from "../http/problem.js";
import { prunedProblem } from "./pruned-event.js";
import { checkpointCovering } from "./signed-checkpoint.js";

export const TLOG_PROOF_CONTENT_TYPE = "text/plain; charset=utf-8";

export function registerEventProofRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const { ledger } = deps;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    "/v1/events/:id/proof",
    {
      config: { permission: "prove" },
      schema: {
        tags: ["events"],
        security: [{ bearer: [] }],
        summary: "The event's C2SP tlog-proof: leaf data, index, inclusion proof and the signed checkpoint, as text",
        description:
          "c2sp.org/tlog-proof@v1 with the event's leaf data (RFC 8785 of the committed event) base64 in its `extra` line. Waits up to two checkpoint intervals (at most 5 s) for a signed checkpoint covering the event, then answers 404 (NOT_FOUND) if none does yet. A pruned event answers 410: its body is no longer there to prove.",
        params: EventIdParamsSchema,
        produces: ["text/plain"],
        response: { 200: Type.String(), 410: EventPrunedProblemSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const { id } = request.params;
      const entry = await ledger.findEntry(tenant, id);
      if (!entry) throw new TrailproofError("EVENT_NOT_FOUND", `no event ${JSON.stringify(id)} in this tenant`);
      await audit.record(request, { action: "audit.proof.read", target: { type: "event", id }, dedupeKey: "" });
      if (entry.leafData.length === 0) {
        return reply
          .code(410)
          .type(PROBLEM_CONTENT_TYPE)
          .send(await prunedProblem(deps, request, tenant, entry));
      }
      // A GET never signs: wait, bounded, for the publisher's next checkpoint.
      const checkpoint = await checkpointCovering(ledger, tenant, entry.index, deps.config.checkpointIntervalMs);
      if (!checkpoint || checkpoint.treeSize <= entry.index) {
        throw new HttpProblem("NOT_FOUND", "no signed checkpoint covers this event yet; retry shortly");
      }
      const inclusionProof = await ledger.inclusionProof(tenant, entry.index, checkpoint.treeSize);
      const text = encodeTlogProof({
        extra: entry.leafData,
        index: BigInt(entry.index),
        inclusionProof,
        checkpoint: checkpoint.note,
      });
      return reply
        .type(TLOG_PROOF_CONTENT_TYPE)
        .header("content-disposition", `attachment; filename="${safeFileName(id)}.tlog-proof"`)
        .send(text);
    },
  );
}

/** The event id as a file name: anything outside [A-Za-z0-9._-] becomes "_" (ids are untrusted). */
function safeFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 100) || "event";
}
