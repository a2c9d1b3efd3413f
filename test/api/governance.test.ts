// The governance view over real HTTP: policy decisions and policy changes
// recorded through POST /v1/events (built by the SDK's policy helpers, plus
// version 1 events as older clients send them), read back through
// GET /v1/governance: counts by phase and policy, denials with remediation,
// changes with who made them, people as pseudonyms for viewers, bad input
// refused with every problem.
import { policyEvaluated, policyUpdated } from "@trailproof/client";
import type { Governance } from "@trailproof/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendJson } from "../send-json.js";
import { type ApiFixture, buildApiFixture } from "./api-fixture.js";

let f: ApiFixture;
let base: string;
beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 24 });
  base = await f.app.listen({ host: "127.0.0.1", port: 0 });
  const ids = await post(f.acme.ingest, decisions);
  expect(ids).toHaveLength(decisions.length);
  await f.settled();
});
afterAll(async () => {
  await f?.close();
});

const PSN = /^psn_[0-9a-f]{32}$/;
const DAY = "2026-11-20";
const at = (hhmm: string) => `${DAY}T${hhmm}:00Z`;
const PERIOD = `from=${DAY}T00:00:00Z&to=2026-11-21T00:00:00Z`;
const ci = { type: "service_account" as const, id: "ci-runner" };
const gateway = { type: "service_account" as const, id: "api-gateway" };
const ada = { type: "user" as const, id: "usr_ada", name: "Ada Lovelace" };

/** What the answers below may hold: a governance view, an ingest result, a problem, a search page. */
type Answer = Governance & {
  results: { id: string; status: string }[];
  code: string;
  problems: { pointer: string; message: string }[];
  events: unknown[];
};

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await sendJson(method, `${base}${path}`, key, body);
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: (await res.json()) as Answer };
}

async function post(key: string, events: unknown[]): Promise<string[]> {
  const res = await call("POST", "/v1/events", key, { events });
  expect(res.status).toBe(200);
  const results = res.body.results;
  expect(results.filter((r) => r.status !== "created")).toEqual([]);
  return results.map((r) => r.id);
}

const review = { id: "pol_prod_review", version: 7 };
const licence = { id: "pol_licences", version: "2026.11" };
const rate = { id: "pol_rate_limit", version: 3 };

const decisions = [
  policyEvaluated({
    id: "gov_build_allow",
    occurredAt: at("08:00"),
    actor: ci,
    phase: "build",
    policy: licence,
    decision: "allow",
    rationale: "every dependency has an approved licence",
    target: { type: "package", id: "pkg_charts" },
  }),
  policyEvaluated({
    id: "gov_build_warn",
    occurredAt: at("08:05"),
    actor: ci,
    phase: "build",
    policy: licence,
    decision: "warn",
    rationale: "one dependency's licence is under review",
    target: { type: "package", id: "pkg_pdf" },
  }),
  policyEvaluated({
    id: "gov_deploy_deny_1",
    occurredAt: at("09:00"),
    actor: ci,
    phase: "deploy",
    policy: review,
    decision: "deny",
    rationale: "production deploys need an approved review",
    remediation: "request a review in the release ticket and re-run the deploy",
    target: { type: "template", id: "tpl_checkout", name: "Checkout" },
    context: { environment: "production" },
  }),
  policyEvaluated({
    id: "gov_deploy_allow",
    occurredAt: at("09:30"),
    actor: ci,
    phase: "deploy",
    policy: review,
    decision: "allow",
    rationale: "reviewed by another person",
    target: { type: "template", id: "tpl_checkout", name: "Checkout" },
  }),
  policyEvaluated({
    id: "gov_deploy_deny_2",
    occurredAt: at("10:00"),
    actor: { ...ada },
    phase: "deploy",
    policy: { ...review, version: 8 },
    decision: "deny",
    rationale: "a self-approved review does not count",
    remediation: "ask another admin to approve the review",
    target: { type: "template", id: "tpl_billing" },
  }),
  policyEvaluated({
    id: "gov_runtime_deny",
    occurredAt: at("11:00"),
    actor: gateway,
    phase: "runtime",
    policy: rate,
    decision: "deny",
    rationale: "more than 100 exports per hour",
    remediation: "retry after the hour or ask for a higher limit",
    target: { type: "table", id: "tbl_customers" },
  }),
  // As a version 1 client sends it: no phase, no action_version; its outcome says denied.
  {
    id: "gov_v1_deny",
    action: "policy.evaluate",
    occurred_at: at("12:00"),
    actor: gateway,
    target: { type: "policy", id: "pol_legacy" },
    outcome: { status: "denied", reason: "policy:legacy" },
    metadata: { policy_id: "pol_legacy", policy_version: "1", matched_rules: ["r1"] },
  },
  // An OPA-style evaluation error: a decision outside allow, deny and warn.
  {
    id: "gov_runtime_error",
    action: "policy.evaluate",
    action_version: 2,
    occurred_at: at("12:30"),
    actor: gateway,
    target: { type: "policy", id: "pol_rate_limit" },
    outcome: { status: "failure", reason: "eval_conflict_error" },
    metadata: { phase: "runtime", policy_id: "pol_rate_limit", decision: "error" },
  },
  policyUpdated({
    id: "gov_update_review",
    occurredAt: at("09:45"),
    actor: ada,
    policy: { ...review, version: 8, name: "Production deploy review" },
    phase: "deploy",
    reason: "self-approval no longer counts",
    before: { name: "Production deploy review", enforcement: "enforce", version: "7", rules: ["one_review"] },
    after: { name: "Production deploy review", enforcement: "enforce", version: "8", rules: ["independent_review"] },
  }),
  policyUpdated({
    id: "gov_update_rate",
    occurredAt: at("10:30"),
    actor: { type: "user", id: "usr_grace", name: "Grace Hopper" },
    policy: { ...rate, name: "Export rate limit" },
    phase: "runtime",
    before: { enforcement: "warn", version: "2" },
    after: { enforcement: "enforce", version: "3" },
  }),
  // Outside the period: counted by no answer below that names the period.
  policyEvaluated({
    id: "gov_next_day",
    occurredAt: "2026-11-21T00:00:00Z",
    actor: ci,
    phase: "build",
    policy: licence,
    decision: "deny",
    rationale: "an unapproved licence",
    remediation: "replace the dependency",
    target: { type: "package", id: "pkg_gpl" },
  }),
];

describe("GET /v1/governance", () => {
  it("counts decisions by phase and policy over the period", async () => {
    const res = await call("GET", `/v1/governance?${PERIOD}`, f.acme.auditor);
    expect(res.status).toBe(200);
    expect(res.body.decisions).toEqual({
      total: 8,
      allow: 2,
      deny: 4,
      warn: 1,
      other: 1,
      rows: [
        { phase: "build", policy_id: "pol_licences", allow: 1, deny: 0, warn: 1, other: 0, total: 2 },
        { phase: "deploy", policy_id: "pol_prod_review", allow: 1, deny: 2, warn: 0, other: 0, total: 3 },
        { phase: "runtime", policy_id: "pol_rate_limit", allow: 0, deny: 1, warn: 0, other: 1, total: 2 },
        { phase: null, policy_id: "pol_legacy", allow: 0, deny: 1, warn: 0, other: 0, total: 1 },
      ],
    });
    expect(res.body).toMatchObject({ from: `${DAY}T00:00:00.000Z`, to: "2026-11-21T00:00:00.000Z", truncated: false });
  });

  it("lists denials newest first with their remediation, and the changes with who made them", async () => {
    const res = await call("GET", `/v1/governance?${PERIOD}`, f.acme.auditor);
    expect(res.body.pseudonyms).toBe(false);
    expect(res.body.denials.map((d: { event_id: string }) => d.event_id)).toEqual([
      "gov_v1_deny",
      "gov_runtime_deny",
      "gov_deploy_deny_2",
      "gov_deploy_deny_1",
    ]);
    expect(res.body.denials[2]).toMatchObject({
      phase: "deploy",
      policy_id: "pol_prod_review",
      policy_version: "8",
      rationale: "a self-approved review does not count",
      remediation: "ask another admin to approve the review",
      actor: { type: "user", id: "usr_ada", name: "Ada Lovelace" },
      target: { type: "template", id: "tpl_billing" },
    });
    expect(res.body.denials[0]).toMatchObject({ phase: null, remediation: null, policy_version: "1" });
    expect(res.body.changes).toEqual([
      expect.objectContaining({
        event_id: "gov_update_rate",
        phase: "runtime",
        policy_id: "pol_rate_limit",
        policy_name: "Export rate limit",
        policy_version: "3",
        previous_version: "2",
        actor: { type: "user", id: "usr_grace", name: "Grace Hopper" },
        before: { enforcement: "warn", version: "2" },
        after: { enforcement: "enforce", version: "3" },
      }),
      expect.objectContaining({
        event_id: "gov_update_review",
        reason: "self-approval no longer counts",
        actor: { type: "user", id: "usr_ada", name: "Ada Lovelace" },
        before: expect.objectContaining({ rules: ["one_review"] }),
        after: expect.objectContaining({ rules: ["independent_review"] }),
      }),
    ]);
  });

  it("shows a viewer the same counts with people as pseudonyms", async () => {
    const audited = (await call("GET", `/v1/governance?${PERIOD}`, f.acme.auditor)).body;
    const viewed = (await call("GET", `/v1/governance?${PERIOD}`, f.acme.viewer)).body;
    expect(viewed.pseudonyms).toBe(true);
    expect(viewed.decisions).toEqual(audited.decisions);
    const people = [...viewed.changes.map((c) => c.actor), viewed.denials[2]?.actor];
    expect(people).toHaveLength(3);
    for (const actor of people) {
      expect(actor?.id).toMatch(PSN);
      expect(actor?.name).toBeUndefined();
    }
    expect(JSON.stringify(viewed)).not.toMatch(/usr_ada|usr_grace|Ada Lovelace|Grace Hopper/);
    // Service accounts are no one's personal data: shown as they are.
    expect(viewed.denials[1]?.actor).toEqual(gateway);
  });

  it("narrows to one phase and a limit", async () => {
    const res = await call("GET", `/v1/governance?${PERIOD}&phase=deploy&limit=1`, f.acme.admin);
    expect(res.status).toBe(200);
    expect(res.body.phase).toBe("deploy");
    expect(res.body.decisions.rows).toEqual([
      { phase: "deploy", policy_id: "pol_prod_review", allow: 1, deny: 2, warn: 0, other: 0, total: 3 },
    ]);
    expect(res.body.decisions.total).toBe(3);
    expect(res.body.denials.map((d: { event_id: string }) => d.event_id)).toEqual(["gov_deploy_deny_2"]);
    expect(res.body.changes.map((c: { event_id: string }) => c.event_id)).toEqual(["gov_update_review"]);
  });

  it("reads version 1 decisions of the sample data as unspecified phase, deny by their decision", async () => {
    const sent = f.sent.acme.filter((e) => e.action === "policy.evaluate");
    expect(sent.length).toBeGreaterThan(0);
    const denied = sent.filter((e) => (e.metadata as { decision: string }).decision === "deny").length;
    const res = await call("GET", "/v1/governance?from=2026-11-01T00:00:00Z&to=2026-11-10T00:00:00Z", f.acme.auditor);
    expect(res.body.decisions.rows).toEqual([
      {
        phase: null,
        policy_id: "pol_deploy_review",
        allow: sent.length - denied,
        deny: denied,
        warn: 0,
        other: 0,
        total: sent.length,
      },
    ]);
    expect(res.body.changes).toEqual([]);
  });

  it("refuses bad input with every problem as problem+json, and ingest keys", async () => {
    const bad = await call("GET", "/v1/governance?from=yesterday&to=soon", f.acme.auditor);
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/^application\/problem\+json/);
    expect(bad.body.code).toBe("SEARCH_QUERY_INVALID");
    expect(bad.body.problems.map((p: { pointer: string }) => p.pointer).sort()).toEqual(["/from", "/to"]);
    const phase = await call("GET", "/v1/governance?phase=staging&limit=0", f.acme.auditor);
    expect(phase.status).toBe(400);
    expect(phase.body.problems.length).toBeGreaterThanOrEqual(2);
    const ingest = await call("GET", "/v1/governance", f.acme.ingest);
    expect(ingest.status).toBe(403);
  });

  it("records the read in the meta-audit, and another tenant sees none of it", async () => {
    await call("GET", `/v1/governance?${PERIOD}&phase=build`, f.acme.viewer);
    await f.settled();
    const reads = await call("GET", "/v1/events?action=audit.governance.read", f.acme.auditor);
    expect(reads.status).toBe(200);
    expect(reads.body.events.length).toBeGreaterThan(0);
    const other = await call("GET", `/v1/governance?${PERIOD}`, f.globex.auditor);
    expect(other.body.decisions.total).toBe(0);
    expect(other.body.changes).toEqual([]);
  });
});
