// Built-in catalogue, governance: version 2 of policy.evaluate and
// policy.update, naming the policy-decision fields (docs/event-schema.md,
// "Policy decisions"). Version 1 of both stays in catalogue-data.ts.
import type { JsonObject } from "../canonical-json.js";
import type { ActionDefinition, JsonSchema } from "./action-definition.js";
import { dataActions } from "./catalogue-data.js";

/**
 * An event that names no action_version is validated against the latest
 * version, so version 2 MUST accept every event version 1 accepts (the rule
 * the registry holds tenants to, check-backward-compatible.ts). Version 1's
 * metadata is an open object: a new field there may carry any value in an old
 * event, so version 2 names its fields (annotations only) but cannot type
 * them, require them, or require `remediation` when `decision` is deny with an
 * if/then: a version 1 denial without remediation would then be refused. The
 * shape is held by the SDK's policy helpers (packages/client) instead, and the
 * governance view reads a value outside the documented ones as unspecified.
 */
function named(description: string): JsonSchema {
  return { description };
}

function versionOne(action: string): ActionDefinition {
  const found = dataActions.find((d) => d.action === action && d.version === 1);
  if (found === undefined) throw new Error(`the built-in catalogue lacks ${action} version 1`);
  return found;
}

/** `schema` with `fields` described; a field version 1 already typed keeps its type (narrowing nothing, widening nothing). */
function withFields(schema: JsonSchema | undefined, fields: Record<string, JsonSchema>): JsonSchema {
  const base = schema ?? { type: "object" };
  const properties = { ...((base.properties as JsonObject | undefined) ?? {}) };
  for (const [name, field] of Object.entries(fields)) {
    properties[name] = { ...((properties[name] as JsonObject | undefined) ?? {}), ...field };
  }
  return { ...base, properties };
}

/** The phases a policy decision is made in, in pipeline order. */
export const POLICY_PHASES = ["build", "deploy", "runtime"] as const;
export type PolicyPhase = (typeof POLICY_PHASES)[number];
/** The decisions a version 2 policy.evaluate documents. */
export const POLICY_DECISIONS = ["allow", "deny", "warn"] as const;
export type PolicyDecision = (typeof POLICY_DECISIONS)[number];

const evaluateV1 = versionOne("policy.evaluate");
const updateV1 = versionOne("policy.update");

export const policyActions: ActionDefinition[] = [
  {
    ...evaluateV1,
    version: 2,
    metadataSchema: withFields(evaluateV1.metadataSchema, {
      phase: named('Where the decision was made: "build", "deploy" or "runtime".'),
      policy_id: named("The policy's stable id."),
      policy_version: named("The version of the policy the decision was made with."),
      decision: named('"allow", "deny" or "warn".'),
      rationale: named("Why the policy decided so, in a sentence free of personal data."),
      remediation: named("What would make a denied request pass; expected when decision is deny."),
      matched_rules: named("The ids of the policy's rules that matched."),
    }),
  },
  {
    ...updateV1,
    version: 2,
    metadataSchema: withFields(updateV1.metadataSchema, {
      policy_id: named("The policy's stable id (the event's target.id names it too)."),
      policy_version: named("The policy's version after the change."),
      previous_version: named("The policy's version before the change."),
      phase: named('The phase the policy applies to: "build", "deploy" or "runtime".'),
      reason: named("Why the policy was changed, free of personal data."),
    }),
    stateSchema: withFields(updateV1.stateSchema, {
      version: named("The policy's version in this state."),
      phase: named("The phase the policy applies to in this state."),
      description: named("What the policy is for."),
    }),
  },
];
