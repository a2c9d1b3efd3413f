// Dual control (/v1/approvals): a change one admin must not make alone
// answers 202 with a pending approval; a different person approves or
// rejects it; the operator may put a tenant in single-admin mode.
import { type Static, Type } from "typebox";

export const ApprovalStatusSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("approved"),
  Type.Literal("rejected"),
  Type.Literal("expired"),
]);
export type WireApprovalStatus = Static<typeof ApprovalStatusSchema>;

export const ApprovalSchema = Type.Object({
  id: Type.String(),
  status: ApprovalStatusSchema,
  action: Type.String({ description: "what is asked for, e.g. signing_key.rotate" }),
  request: Type.Record(Type.String(), Type.Unknown(), { description: "the parameters, carried out as given" }),
  requested_by: Type.String({ description: "the credential that asked: an API key id or person:<username>" }),
  created_at: Type.String(),
  expires_at: Type.String(),
  decided_by: Type.Union([Type.String(), Type.Null()]),
  decided_at: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
    description: "what carrying out the approved request returned",
  }),
});
export type WireApproval = Static<typeof ApprovalSchema>;

/** 202: the request waits for a second person (or, in single-admin mode, 200 with the outcome). */
export const ApprovalResponseSchema = Type.Object({ approval: ApprovalSchema });
export type ApprovalResponse = Static<typeof ApprovalResponseSchema>;

export const ApprovalListSchema = Type.Object({ approvals: Type.Array(ApprovalSchema) });

export const ApprovalParamsSchema = Type.Object({ id: Type.String({ pattern: "^apr_[A-Za-z0-9_-]{1,64}$" }) });

export const ApprovalListQuerySchema = Type.Object(
  {
    status: Type.Optional(ApprovalStatusSchema),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const DualControlSchema = Type.Object({
  tenant: Type.String(),
  single_admin: Type.Boolean({
    description:
      "true: one admin's request takes effect at once (the setting is logged); false: a second person approves",
  }),
  set_by: Type.Union([Type.String(), Type.Null()]),
  set_at: Type.Union([Type.String(), Type.Null()]),
});

export const DualControlBodySchema = Type.Object(
  { single_admin: Type.Boolean(), reason: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);

export const KeyRotationBodySchema = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);
