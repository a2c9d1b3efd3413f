// The policy helpers build version 2 events the catalogue accepts, and refuse
// what the catalogue cannot: an unknown phase or decision, a denial without remediation.
import { ActionRegistry, builtinCatalogue, portableHasher, prepareEvent } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { type PolicyEvaluatedFields, policyEvaluated, policyUpdated } from "./policy-events.js";

const registry = new ActionRegistry(builtinCatalogue);

function seal(event: unknown) {
  return prepareEvent(event, {
    registry,
    unknownActions: "reject",
    receivedAt: new Date(),
    newId: () => "unused",
    hasher: portableHasher,
    randomBytes: (n) => new Uint8Array(n),
    appendedBy: { type: "api_key", id: "0000000000000001" },
  });
}

function problemsOf(build: () => unknown): string[] {
  let caught: unknown;
  try {
    build();
  } catch (err) {
    caught = err;
  }
  expect(caught).toMatchObject({ code: "EVENT_INVALID" });
  return (caught as { problems: { pointer: string }[] }).problems.map((p) => p.pointer);
}

const denial: PolicyEvaluatedFields = {
  id: "evt_deny",
  occurredAt: "2026-11-05T10:00:00Z",
  actor: { type: "service_account", id: "ci-runner" },
  phase: "deploy",
  policy: { id: "pol_prod_review", version: 7 },
  decision: "deny",
  rationale: "production deploys need an approved review",
  remediation: "request a review in the release ticket",
  matchedRules: ["require_review"],
};

describe("policyEvaluated", () => {
  it("builds a version 2 policy.evaluate that seals, a denial with outcome denied", () => {
    const draft = policyEvaluated(denial);
    expect(draft).toEqual({
      id: "evt_deny",
      action: "policy.evaluate",
      action_version: 2,
      occurred_at: "2026-11-05T10:00:00Z",
      actor: { type: "service_account", id: "ci-runner" },
      target: { type: "policy", id: "pol_prod_review" },
      outcome: { status: "denied" },
      metadata: {
        phase: "deploy",
        policy_id: "pol_prod_review",
        policy_version: "7",
        decision: "deny",
        rationale: "production deploys need an approved review",
        remediation: "request a review in the release ticket",
        matched_rules: ["require_review"],
      },
    });
    const sealed = seal(draft);
    expect(sealed.committed).toMatchObject({ action_version: 2, kind: "policy_evaluation", category: "governance" });
  });

  it("keeps an explicit target and outcome, and extra metadata under its own fields", () => {
    const draft = policyEvaluated({
      ...denial,
      decision: "warn",
      remediation: undefined,
      target: { type: "template", id: "tpl_checkout" },
      outcome: { status: "success" },
      metadata: { decision: "overridden", environment: "production" },
    });
    expect(draft.target).toEqual({ type: "template", id: "tpl_checkout" });
    expect(draft.outcome).toEqual({ status: "success" });
    expect(draft.metadata).toMatchObject({ decision: "warn", environment: "production" });
    expect(draft.metadata).not.toHaveProperty("remediation");
    expect(() => seal({ ...draft, occurred_at: "2026-11-05T10:00:00Z", actor: denial.actor })).not.toThrow();
  });

  it("refuses a denial without remediation, an unknown phase and decision, every problem at once", () => {
    const bad = { ...denial, phase: "staging", decision: "block", remediation: " ", rationale: "" };
    expect(problemsOf(() => policyEvaluated(bad as unknown as PolicyEvaluatedFields))).toEqual([
      "/metadata/phase",
      "/metadata/decision",
      "/metadata/rationale",
    ]);
    const noRemedy = { ...denial, remediation: undefined } as unknown as PolicyEvaluatedFields;
    expect(problemsOf(() => policyEvaluated(noRemedy))).toEqual(["/metadata/remediation"]);
    const noPolicy = { ...denial, policy: { id: "", version: Number.NaN } };
    expect(problemsOf(() => policyEvaluated(noPolicy))).toEqual(["/metadata/policy_id", "/metadata/policy_version"]);
  });
});

describe("policyUpdated", () => {
  it("builds a version 2 policy.update with the policy before and after, and seals", () => {
    const draft = policyUpdated({
      occurredAt: "2026-11-05T09:00:00Z",
      actor: { type: "user", id: "usr_ada", name: "Ada Lovelace" },
      policy: { id: "pol_prod_review", version: "8", name: "Production deploy review" },
      phase: "deploy",
      reason: "two reviewers for payment services",
      before: { name: "Production deploy review", enforcement: "enforce", version: "7", rules: ["one_review"] },
      after: { name: "Production deploy review", enforcement: "enforce", version: "8", rules: ["two_reviews"] },
    });
    expect(draft).toMatchObject({
      action: "policy.update",
      action_version: 2,
      target: { type: "policy", id: "pol_prod_review", name: "Production deploy review" },
      metadata: {
        policy_id: "pol_prod_review",
        policy_version: "8",
        previous_version: "7",
        phase: "deploy",
        reason: "two reviewers for payment services",
      },
      change: { before: { version: "7" }, after: { version: "8" } },
    });
    const sealed = seal(draft);
    expect(sealed.committed).toMatchObject({ action_version: 2, kind: "config_change" });
    const patch = (sealed.committed.change as { patch: unknown[] }).patch;
    expect(patch).toEqual(
      expect.arrayContaining([
        { op: "replace", path: "/rules/0", value: "two_reviews" },
        { op: "replace", path: "/version", value: "8" },
      ]),
    );
  });

  it("refuses an unknown phase and a policy without a version", () => {
    const bad = { policy: { id: "pol_1" }, phase: "prod" } as unknown as Parameters<typeof policyUpdated>[0];
    expect(problemsOf(() => policyUpdated(bad))).toEqual(["/metadata/policy_version", "/metadata/phase"]);
  });
});
