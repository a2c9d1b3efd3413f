// Retention and legal holds (/v1/tenants/{tenant}/retention, .../legal-holds;
// docs/retention.md): rules by category, action prefix or tag with a tenant
// default, changed under dual control; holds that stop pruning of what they
// cover; and the 410 answer of an event whose body was pruned.

import { type Static, Type } from "typebox";
import { TENANT_NAME_PATTERN } from "./tenant-schemas.js";

const KEEP_DAYS = Type.Integer({
  minimum: 1,
  maximum: 36_500,
  description: "days a body is kept after it was received",
});

export const RetentionRuleSchema = Type.Object(
  {
    match: Type.Union([Type.Literal("category"), Type.Literal("action_prefix"), Type.Literal("tag")]),
    value: Type.String({ minLength: 1, maxLength: 256 }),
    keep_days: KEEP_DAYS,
  },
  { additionalProperties: false },
);
export type WireRetentionRule = Static<typeof RetentionRuleSchema>;

export const RetentionSchema = Type.Object({
  tenant: Type.String(),
  default_keep_days: Type.Union([KEEP_DAYS, Type.Null()], {
    description: "null: entries no rule matches are kept forever",
  }),
  rules: Type.Array(RetentionRuleSchema),
  updated_by: Type.Union([Type.String(), Type.Null()]),
  updated_at: Type.Union([Type.String(), Type.Null()]),
});
export type WireRetention = Static<typeof RetentionSchema>;

export const RetentionBodySchema = Type.Object(
  {
    default_keep_days: Type.Optional({
      ...KEEP_DAYS,
      description: "days for entries no rule matches; omitted: kept forever",
    }),
    rules: Type.Array(RetentionRuleSchema, { maxItems: 200 }),
    reason: Type.String({ minLength: 1, maxLength: 512 }),
  },
  { additionalProperties: false },
);

const TIME = Type.String({ format: "date-time" });

export const LegalHoldScopeSchema = Type.Union([
  Type.Object(
    {
      type: Type.Literal("target"),
      target_type: Type.String({ minLength: 1, maxLength: 256 }),
      target_id: Type.String({ minLength: 1, maxLength: 256 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal("actor"), actor_id: Type.String({ minLength: 1, maxLength: 256 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal("tag"), tag: Type.String({ minLength: 1, maxLength: 256 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal("time_range"), from: TIME, to: TIME },
    { additionalProperties: false, description: "occurred_at in [from, to)" },
  ),
]);
export type WireLegalHoldScope = Static<typeof LegalHoldScopeSchema>;

export const LegalHoldSchema = Type.Object({
  id: Type.String(),
  scope: LegalHoldScopeSchema,
  reason: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()]),
  placed_by: Type.String(),
  placed_at: Type.String(),
  lifted_by: Type.Union([Type.String(), Type.Null()]),
  lifted_at: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean({ description: "not lifted and not expired: it stops pruning of what it covers" }),
});
export type WireLegalHold = Static<typeof LegalHoldSchema>;

export const LegalHoldBodySchema = Type.Object(
  {
    scope: LegalHoldScopeSchema,
    reason: Type.String({ minLength: 1, maxLength: 512 }),
    expires_at: Type.Optional(Type.Union([TIME, Type.Null()])),
  },
  { additionalProperties: false },
);

export const LegalHoldResponseSchema = Type.Object({ legal_hold: LegalHoldSchema });
export const LegalHoldListSchema = Type.Object({ legal_holds: Type.Array(LegalHoldSchema) });

export const LegalHoldParamsSchema = Type.Object({
  tenant: Type.String({ pattern: TENANT_NAME_PATTERN }),
  id: Type.String({ pattern: "^hold_[A-Za-z0-9_-]{1,64}$" }),
});

export const LegalHoldLiftBodySchema = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);

export const PruneResultSchema = Type.Object({
  prune: Type.Object({
    tenant: Type.String(),
    prune_index: Type.Union([Type.Integer(), Type.Null()], {
      description: "the retention.prune event's index; null when nothing was due",
    }),
    ranges: Type.Array(Type.Array(Type.Integer(), { minItems: 2, maxItems: 2 }), {
      description: "[start, end) index ranges pruned",
    }),
    entries: Type.Integer(),
    by_category: Type.Record(Type.String(), Type.Integer()),
    kept_by_hold: Type.Integer({ description: "entries due that an active legal hold kept" }),
    completed: Type.Integer({ description: "unfinished prunes (a crash) completed first" }),
    skipped: Type.Optional(Type.String()),
  }),
});

/** 410 for an event whose body retention pruned: what still proves it was in the log. */
export const EventPrunedProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()),
  code: Type.String(),
  request_id: Type.Optional(Type.String()),
  pruned: Type.Object({
    index: Type.Integer(),
    leaf_hash: Type.String({ description: "base64 RFC 6962 leaf hash, kept after the body went" }),
    prune_index: Type.Union([Type.Integer(), Type.Null()], { description: "the retention.prune event's index" }),
    proof: Type.Optional(
      Type.Object({
        checkpoint: Type.String(),
        inclusion: Type.Object({
          index: Type.Integer(),
          size: Type.Integer(),
          leaf_hash: Type.String(),
          proof: Type.Array(Type.String()),
        }),
      }),
    ),
  }),
});
