// Typed helpers for policy decisions and policy changes, version 2 of
// policy.evaluate and policy.update (docs/event-schema.md, "Policy
// decisions"). The catalogue cannot type those fields (version 2 must accept
// what version 1 did), so these helpers hold the shape: a phase and a
// decision from the documented sets, and a remediation with every denial.
import {
  InvalidInputError,
  type JsonValue,
  POLICY_DECISIONS,
  POLICY_PHASES,
  type PolicyPhase,
  type Problem,
} from "@trailproof/core";
import type { EventFields, PolicyState } from "./event-builders.js";
import type { EventDraft, Target } from "./event-draft.js";

type Open<T> = T & { [key: string]: JsonValue | undefined };

export interface PolicyRef {
  id: string;
  /** The policy's version the decision was made with (or the change produced). */
  version: string | number;
  /** Shown as the target's name when the helper makes the target. */
  name?: string;
}

interface PolicyEventBase extends Omit<EventFields, "target" | "metadata"> {
  policy: PolicyRef;
  /** Default: the policy itself, `{type: "policy", id, name}`. */
  target?: Target;
  /** More metadata; the helper's own fields win over these. */
  metadata?: Open<object>;
}

interface DecisionCommon extends PolicyEventBase {
  phase: PolicyPhase;
  /** Why the policy decided so, free of personal data. */
  rationale: string;
  matchedRules?: string[];
}

/** A denial MUST say how to pass; an allow or a warning may. */
export type PolicyEvaluatedFields =
  | (DecisionCommon & { decision: "deny"; remediation: string })
  | (DecisionCommon & { decision: "allow" | "warn"; remediation?: string });

export interface PolicyUpdatedFields extends PolicyEventBase {
  /** The version before the change; default before.version when given. */
  previousVersion?: string | number;
  phase?: PolicyPhase;
  /** Why the policy changed, free of personal data. */
  reason?: string;
  before?: Open<PolicyState & { version?: string | number; phase?: PolicyPhase; description?: string }>;
  after?: Open<PolicyState & { version?: string | number; phase?: PolicyPhase; description?: string }>;
}

const versionText = (v: string | number) => String(v);

function refuse(problems: Problem[]): never {
  throw new InvalidInputError("EVENT_INVALID", "the policy event is invalid", { problems });
}

function policyProblems(policy: unknown): Problem[] {
  const p = policy as Partial<PolicyRef> | undefined;
  const problems: Problem[] = [];
  if (typeof p?.id !== "string" || p.id === "")
    problems.push({ pointer: "/metadata/policy_id", message: "must be a non-empty string (policy.id)" });
  const v = p?.version;
  if (!(typeof v === "string" && v !== "") && !(typeof v === "number" && Number.isFinite(v))) {
    problems.push({
      pointer: "/metadata/policy_version",
      message: "must be a non-empty string or a number (policy.version)",
    });
  }
  return problems;
}

function envelope(action: string, fields: PolicyEventBase, metadata: Record<string, unknown>): Record<string, unknown> {
  const e: Record<string, unknown> = {
    action,
    action_version: 2,
    target: fields.target ?? {
      type: "policy",
      id: fields.policy.id,
      ...(fields.policy.name === undefined ? {} : { name: fields.policy.name }),
    },
  };
  if (fields.id !== undefined) e.id = fields.id;
  if (fields.occurredAt !== undefined) {
    e.occurred_at = fields.occurredAt instanceof Date ? fields.occurredAt.toISOString() : fields.occurredAt;
  }
  for (const key of ["actor", "outcome", "message", "context", "automation", "tags", "risk"] as const) {
    if (fields[key] !== undefined) e[key] = fields[key];
  }
  const kept = Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined));
  e.metadata = { ...(fields.metadata ?? {}), ...kept };
  return e;
}

/**
 * A policy.evaluate (version 2) event. Throws EVENT_INVALID listing every
 * problem: a phase or decision outside the documented ones, a missing policy
 * id or version or rationale, a denial without remediation. A denial's
 * outcome defaults to `denied`, so searches for `outcome:denied` find it.
 */
export function policyEvaluated(fields: PolicyEvaluatedFields): EventDraft {
  const problems = policyProblems(fields.policy);
  if (!(POLICY_PHASES as readonly unknown[]).includes(fields.phase)) {
    problems.push({ pointer: "/metadata/phase", message: `must be one of: ${POLICY_PHASES.join(", ")}` });
  }
  if (!(POLICY_DECISIONS as readonly unknown[]).includes(fields.decision)) {
    problems.push({ pointer: "/metadata/decision", message: `must be one of: ${POLICY_DECISIONS.join(", ")}` });
  }
  if (typeof fields.rationale !== "string" || fields.rationale.trim() === "") {
    problems.push({ pointer: "/metadata/rationale", message: "must say why the policy decided so" });
  }
  const remediation = fields.remediation;
  if (fields.decision === "deny" && (typeof remediation !== "string" || remediation.trim() === "")) {
    problems.push({ pointer: "/metadata/remediation", message: "is required when the decision is deny" });
  }
  if (problems.length > 0) refuse(problems);
  const event = envelope("policy.evaluate", fields, {
    phase: fields.phase,
    policy_id: fields.policy.id,
    policy_version: versionText(fields.policy.version),
    decision: fields.decision,
    rationale: fields.rationale,
    remediation,
    matched_rules: fields.matchedRules,
  });
  if (event.outcome === undefined && fields.decision === "deny") event.outcome = { status: "denied" };
  return event as EventDraft;
}

/**
 * A policy.update (version 2) event: the policy before and after as `change`.
 * Throws EVENT_INVALID for a missing policy id or version or a phase outside
 * the documented ones.
 */
export function policyUpdated(fields: PolicyUpdatedFields): EventDraft {
  const problems = policyProblems(fields.policy);
  if (fields.phase !== undefined && !(POLICY_PHASES as readonly unknown[]).includes(fields.phase)) {
    problems.push({ pointer: "/metadata/phase", message: `must be one of: ${POLICY_PHASES.join(", ")}` });
  }
  if (problems.length > 0) refuse(problems);
  const previous = fields.previousVersion ?? fields.before?.version;
  const event = envelope("policy.update", fields, {
    policy_id: fields.policy.id,
    policy_version: versionText(fields.policy.version),
    previous_version: previous === undefined ? undefined : versionText(previous),
    phase: fields.phase,
    reason: fields.reason,
  });
  if (fields.before !== undefined || fields.after !== undefined) {
    event.change = {
      ...(fields.before === undefined ? {} : { before: fields.before }),
      ...(fields.after === undefined ? {} : { after: fields.after }),
    };
  }
  return event as EventDraft;
}
