// Erasure over HTTP (issue 12): POST /v1/erasures asks, under dual control,
// for one subject's personal values to be crypto-shredded; once a different
// admin approves, the subject's data key is destroyed and its sealed values
// deleted (tombstones kept), erasure.complete is appended naming the subject
// by pseudonym only, and the outcome carries a receipt the requester can
// verify offline. GET lists them and shows one with its receipt.
import { randomBytes } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  ERASURE_RECEIPT_FORMAT,
  type ErasureReceipt,
  fromUtf8,
  InvalidInputError,
  type JsonObject,
  TrailproofError,
} from "@trailproof/core";
import type { ErasureRecord, Ledger } from "@trailproof/ledger";
import {
  ApprovalResponseSchema,
  ErasureBodySchema,
  ErasureListSchema,
  ErasureParamsSchema,
  ErasureSchema,
  ProblemResponses,
  type WireErasure,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { DualControl } from "../approvals/dual-control.js";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import type { AppDeps } from "../deps.js";
import { checkpointCovering, proofIn } from "./signed-checkpoint.js";

const common = { tags: ["admin"], security: [{ bearer: [] }] };

/** The one subject id a body names (untrusted): exactly one of actor_id, target_id, id. */
function subjectIdOf(body: { subject: { actor_id?: string; target_id?: string; id?: string } }): string {
  const named = [body.subject.actor_id, body.subject.target_id, body.subject.id].filter(
    (v): v is string => v !== undefined,
  );
  if (named.length !== 1) {
    const message = "name the subject with exactly one of actor_id, target_id or id";
    throw new InvalidInputError("ERASURE_SUBJECT_INVALID", message, { problems: [{ pointer: "/subject", message }] });
  }
  return named[0] as string;
}

/** The receipt of erasure `id`: its erasure.complete entry, proven in a signed checkpoint; null before one covers it. */
async function receiptOf(ledger: Ledger, tenant: string, id: string, waitMs: number): Promise<ErasureReceipt | null> {
  const entry = await ledger.findEntry(tenant, id);
  if (!entry) return null;
  const checkpoint = await checkpointCovering(ledger, tenant, entry.index, waitMs);
  if (!checkpoint || checkpoint.treeSize <= entry.index) return null;
  return {
    format: ERASURE_RECEIPT_FORMAT,
    erasure_id: id,
    event: JSON.parse(fromUtf8(entry.leafData)) as JsonObject,
    index: entry.index,
    ...(await proofIn(ledger, tenant, entry, checkpoint)),
  };
}

function toWire(r: ErasureRecord): Omit<WireErasure, "receipt"> {
  return {
    id: r.erasureId,
    subject: r.subject,
    requested_by: r.requestedBy,
    approved_by: r.approvedBy,
    erased_at: new Date(r.erasedMs).toISOString(),
    values_erased: r.valuesErased,
    entries_touched: r.entriesTouched,
  };
}

export function registerErasureRoutes(
  app: FastifyInstance,
  deps: AppDeps,
  audit: MetaAudit,
  dualControl: DualControl,
): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { approvals, ledger } = deps;

  dualControl.register({
    action: "erasure",
    async run(req, tenant, request, approvalId) {
      const subjectId = String(request.subject_id);
      const tenantId = req.principal?.tenantId as number;
      const asked = await approvals.findApproval(tenantId, approvalId);
      const erasureId = `ers_${randomBytes(16).toString("base64url")}`;
      const { record, created } = await ledger.eraseSubject(tenant, subjectId, {
        erasureId,
        requestedBy: asked?.requestedBy ?? "",
        approvedBy: req.principal?.id ?? "",
      });
      // Idempotent: a subject already erased keeps its first erasure; nothing is shredded twice.
      // Its erasure.complete is appended only if missing (a run that stopped between the two).
      const logged = created ? undefined : await ledger.findEntry(tenant, record.erasureId);
      if (logged === undefined) {
        await audit.record(req, {
          id: record.erasureId,
          action: "erasure.complete",
          target: { type: "erasure", id: record.erasureId },
          metadata: {
            erasure_id: record.erasureId,
            approval_id: approvalId,
            requested_by: record.requestedBy,
            approved_by: record.approvedBy,
            subject: record.subject,
            values_erased: record.valuesErased,
            entries_touched: record.entriesTouched,
          },
        });
      }
      // The receipt needs a checkpoint covering the event: sign now, on the publisher's one path.
      await ledger.publishCheckpoints();
      const receipt = await receiptOf(ledger, tenant, record.erasureId, deps.config.checkpointIntervalMs);
      return { erasure: { ...toWire(record), receipt } as unknown as JsonObject, already_erased: !created };
    },
  });

  api.post(
    "/v1/erasures",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Erase one subject's personal values (crypto-shredding), under dual control",
        description:
          "Answers 202 with a pending approval that a different admin approves (POST /v1/approvals/{id}/approve); in single-admin mode it runs at once (200). The approval's outcome holds the erasure and its receipt. Leaves, commitments and every proof stay valid; reads show the erased marker.",
        body: ErasureBodySchema,
        response: { 200: ApprovalResponseSchema, 202: ApprovalResponseSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const subjectId = subjectIdOf(request.body);
      const { approval, pending } = await dualControl.request(request, "erasure", { subject_id: subjectId });
      return reply.code(pending ? 202 : 200).send({ approval });
    },
  );

  api.get(
    "/v1/erasures",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "The tenant's erasures, oldest first",
        response: { 200: ErasureListSchema, ...ProblemResponses },
      },
    },
    async (request) => ({ erasures: (await ledger.erasures(tenantOf(request))).map(toWire) }),
  );

  api.get(
    "/v1/erasures/:id",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "One erasure with its receipt",
        params: ErasureParamsSchema,
        response: { 200: ErasureSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const record = (await ledger.erasures(tenant)).find((e) => e.erasureId === request.params.id);
      if (!record) {
        throw new TrailproofError(
          "ERASURE_NOT_FOUND",
          `no erasure ${JSON.stringify(request.params.id)} in this tenant`,
        );
      }
      const receipt = await receiptOf(ledger, tenant, record.erasureId, deps.config.checkpointIntervalMs);
      return { ...toWire(record), receipt };
    },
  );
}
