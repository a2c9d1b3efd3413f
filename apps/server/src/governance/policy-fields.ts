// Reading the policy-decision fields of a policy.evaluate or policy.update
// event (docs/event-schema.md, "Policy decisions"). Version 2 of both actions
// names the fields without typing them (an older event may carry any value
// there), so every reader here takes what it finds and says "unspecified"
// (null) for a value outside the documented ones rather than trusting it.
import { POLICY_DECISIONS, POLICY_PHASES, type PolicyDecision, type PolicyPhase } from "@trailproof/core";

type Json = Record<string, unknown>;

const asObject = (v: unknown): Json | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined;

export const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** A policy version as text: platforms send "3", "v3" or 3. */
export const versionText = (v: unknown): string | null =>
  typeof v === "number" && Number.isFinite(v) ? String(v) : text(v);

export function metadataOf(event: Json): Json {
  return asObject(event.metadata) ?? {};
}

export function phaseOf(value: unknown): PolicyPhase | null {
  return (POLICY_PHASES as readonly unknown[]).includes(value) ? (value as PolicyPhase) : null;
}

/**
 * The decision of a policy.evaluate: metadata.decision when it is allow, deny
 * or warn; else deny when the outcome is denied (a version 1 event that named
 * no decision); else "other".
 */
export function decisionOf(event: Json): PolicyDecision | "other" {
  const stated = metadataOf(event).decision;
  if ((POLICY_DECISIONS as readonly unknown[]).includes(stated)) return stated as PolicyDecision;
  if (stated === undefined && asObject(event.outcome)?.status === "denied") return "deny";
  return "other";
}

/** metadata.policy_id, else the target's id (a policy is the target of its events). */
export function policyIdOf(event: Json): string {
  return text(metadataOf(event).policy_id) ?? text(asObject(event.target)?.id) ?? "";
}

/** The phase of a policy change: metadata.phase, else the phase the policy states after, or before, the change. */
export function changePhaseOf(event: Json): PolicyPhase | null {
  const change = asObject(event.change);
  return (
    phaseOf(metadataOf(event).phase) ??
    phaseOf(asObject(change?.after)?.phase) ??
    phaseOf(asObject(change?.before)?.phase)
  );
}

export function principalOf(v: unknown): { type: string; id: string; name?: string } {
  const o = asObject(v) ?? {};
  const name = text(o.name);
  return { type: String(o.type ?? ""), id: String(o.id ?? ""), ...(name === null ? {} : { name }) };
}

export { asObject };
