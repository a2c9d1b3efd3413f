// Erasure (/v1/erasures, issue 12): crypto-shredding of one subject's
// personal values under dual control, its record, and the receipt the
// requester keeps (core's verify/erasure-receipt.ts checks it offline).
import { type Static, Type } from "typebox";
import { ApprovalSchema } from "./approval-schemas.js";

const SubjectId = Type.String({ minLength: 1, maxLength: 256 });

export const ErasureBodySchema = Type.Object(
  {
    subject: Type.Object(
      {
        actor_id: Type.Optional(SubjectId),
        target_id: Type.Optional(SubjectId),
        id: Type.Optional(SubjectId),
      },
      {
        additionalProperties: false,
        description:
          "exactly one of actor_id, target_id or id: all name the same subject id (an actor's or target's id, or any id an action schema's privacy.subject points at)",
      },
    ),
  },
  { additionalProperties: false },
);
export type ErasureBody = Static<typeof ErasureBodySchema>;

export const ErasureReceiptSchema = Type.Object(
  {
    format: Type.Literal("trailproof-erasure-receipt/v1"),
    erasure_id: Type.String(),
    event: Type.Record(Type.String(), Type.Unknown(), { description: "the erasure.complete event as sealed" }),
    index: Type.Integer(),
    checkpoint: Type.String({ description: "the signed checkpoint note the proof is against" }),
    inclusion: Type.Object({
      index: Type.Integer(),
      size: Type.Integer(),
      leaf_hash: Type.String(),
      proof: Type.Array(Type.String()),
    }),
  },
  {
    description:
      "keep it: `trailproof verify --erasure-receipt FILE --key VERIFIER_KEY` (or core's verifyErasureReceipt) checks it offline",
  },
);

export const ErasureSchema = Type.Object({
  id: Type.String(),
  subject: Type.String({ description: "the subject's keyed pseudonym (psn_...), never its id" }),
  requested_by: Type.String(),
  approved_by: Type.String(),
  erased_at: Type.String(),
  values_erased: Type.Integer(),
  entries_touched: Type.Integer(),
  receipt: Type.Union([ErasureReceiptSchema, Type.Null()], {
    description: "null while no signed checkpoint covers the erasure.complete event yet",
  }),
});
export type WireErasure = Static<typeof ErasureSchema>;

export const ErasureListSchema = Type.Object({ erasures: Type.Array(Type.Omit(ErasureSchema, ["receipt"])) });

export const ErasureParamsSchema = Type.Object({ id: Type.String({ pattern: "^ers_[A-Za-z0-9_-]{1,64}$" }) });

/** 202 pending, or (single-admin mode) 200 with the outcome: { erasure, already_erased }. */
export const ErasureRequestResponseSchema = Type.Object({ approval: ApprovalSchema });
