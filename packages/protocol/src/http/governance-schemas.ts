// GET /v1/governance: policy decisions by phase and policy, recent denials
// with their remediation, and policy changes with who made them
// (docs/event-schema.md, "Policy decisions"; docs/api.md, "Governance").
import { type Static, Type } from "typebox";

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** Longest list of denials or changes one answer carries. */
export const MAX_GOVERNANCE_LIST = 200;

export const GovernanceQueryProperties = {
  from: Type.Optional(Type.String({ maxLength: 64, description: "occurred_at at or after (RFC 3339)" })),
  to: Type.Optional(Type.String({ maxLength: 64, description: "occurred_at before (RFC 3339)" })),
  phase: Type.Optional(
    Type.Union([Type.Literal("build"), Type.Literal("deploy"), Type.Literal("runtime")], {
      description: "only decisions (and policy changes) of this phase",
    }),
  ),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_GOVERNANCE_LIST,
      default: 50,
      description: "most denials and most policy changes listed, the newest first",
    }),
  ),
};

const PhaseOrNull = Nullable(
  Type.String({ description: 'build, deploy or runtime; null when the event states none of them ("unspecified")' }),
);

export const GovernanceDecisionRowSchema = Type.Object({
  phase: PhaseOrNull,
  policy_id: Type.String(),
  allow: Type.Integer(),
  deny: Type.Integer(),
  warn: Type.Integer(),
  other: Type.Integer({ description: "decisions outside allow, deny and warn (an OPA error, say)" }),
  total: Type.Integer(),
});
export type GovernanceDecisionRow = Static<typeof GovernanceDecisionRowSchema>;

const PrincipalSchema = Type.Object({
  type: Type.String(),
  id: Type.String({ description: "a keyed pseudonym for roles that may not read personal values" }),
  name: Type.Optional(Type.String()),
});
const TargetSchema = Type.Object({ type: Type.String(), id: Type.String(), name: Type.Optional(Type.String()) });

export const GovernanceDenialSchema = Type.Object({
  index: Type.Integer(),
  event_id: Type.String(),
  occurred_at: Type.String(),
  phase: PhaseOrNull,
  policy_id: Type.String(),
  policy_version: Nullable(Type.String()),
  rationale: Nullable(Type.String()),
  remediation: Nullable(Type.String({ description: "null when the denial named none" })),
  actor: PrincipalSchema,
  target: TargetSchema,
});
export type GovernanceDenial = Static<typeof GovernanceDenialSchema>;

export const GovernancePolicyChangeSchema = Type.Object({
  index: Type.Integer(),
  event_id: Type.String(),
  occurred_at: Type.String(),
  phase: PhaseOrNull,
  policy_id: Type.String(),
  policy_name: Nullable(Type.String()),
  policy_version: Nullable(Type.String()),
  previous_version: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  actor: PrincipalSchema,
  outcome: Type.String(),
  before: Type.Optional(Type.Unknown({ description: "the policy before the change (change.before), when recorded" })),
  after: Type.Optional(Type.Unknown({ description: "the policy after the change (change.after), when recorded" })),
});
export type GovernancePolicyChange = Static<typeof GovernancePolicyChangeSchema>;

export const GovernanceSchema = Type.Object({
  from: Nullable(Type.String()),
  to: Nullable(Type.String()),
  phase: Nullable(Type.String()),
  /** Whether actors are pseudonyms (roles that may not read personal values). */
  pseudonyms: Type.Boolean(),
  decisions: Type.Object({
    total: Type.Integer(),
    allow: Type.Integer(),
    deny: Type.Integer(),
    warn: Type.Integer(),
    other: Type.Integer(),
    rows: Type.Array(GovernanceDecisionRowSchema, {
      description: "by phase (build, deploy, runtime, unspecified) then policy id",
    }),
  }),
  denials: Type.Array(GovernanceDenialSchema, { description: "the newest denials first, at most limit" }),
  changes: Type.Array(GovernancePolicyChangeSchema, { description: "the newest policy changes first, at most limit" }),
  truncated: Type.Boolean({
    description: "true when the period held more policy events than one answer reads; narrow the period",
  }),
});
export type Governance = Static<typeof GovernanceSchema>;
