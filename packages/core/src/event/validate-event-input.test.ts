// Envelope validation: valid events from each no-code area pass; every class
// of bad input yields EVENT_INVALID with every problem at its pointer.
import { describe, expect, it } from "vitest";
import type { JsonObject } from "../canonical-json.js";
import { hasErrorCode, type Problem } from "../errors.js";
import { MAX_STATE_BYTES } from "./envelope-schema.js";
import { prepareEvent } from "./prepare-event.js";
import { context, pageEvent, thrown } from "./test-fixtures.js";
import { validateEventInput } from "./validate-event-input.js";

function problems(input: unknown): Problem[] {
  const err = thrown(() => validateEventInput(input));
  expect(hasErrorCode(err, "EVENT_INVALID")).toBe(true);
  return [...err.problems];
}

const at = (ps: Problem[]) => ps.map((p) => p.pointer);

const valid: Record<string, JsonObject> = {
  "builder page edit": pageEvent({
    context: {
      session_id: "s-1",
      request_id: "r-1",
      ip: "2001:db8::1",
      user_agent: "Mozilla/5.0",
      environment: "production",
      region: "eu-west-1",
      trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
      span_id: "00f067aa0ba902b7",
    },
    tags: ["module:builder", "feature:forms/validation", "gdpr"],
    risk: "medium",
    message: "Ada renamed the checkout page",
  }),
  "component wiring": {
    action: "component.wire",
    occurred_at: "2026-05-01T10:00:00Z",
    actor: { type: "user", id: "u-1" },
    target: { type: "component", id: "c-9", path: ["app:crm", "page:p-7", "component:c-9"] },
    metadata: { source_component: "button-1", event: "click", binding: "submitOrder" },
  },
  "workflow run by automation": {
    id: "run-77:finish",
    action: "workflow.run.finish",
    occurred_at: "2026-05-01T10:00:00.999999+00:00",
    actor: { type: "automation", id: "wf-3" },
    target: { type: "workflow", id: "wf-3", name: "Nightly sync" },
    outcome: { status: "failure", reason: "timeout" },
    automation: {
      origin: "schedule",
      workflow_id: "wf-3",
      workflow_version: "12",
      run_id: "run-77",
      step: "fetch",
      trigger_id: "cron-1",
      caused_by: "run-77:start",
    },
    metadata: { duration_ms: 30000, steps_executed: 2, error_code: "timeout" },
  },
  "policy decision overriding another": {
    action: "policy.evaluate",
    occurred_at: "2026-05-01T10:00:00+05:30",
    actor: { type: "service_account", id: "policy-engine", on_behalf_of: { type: "user", id: "u-1", name: "Ada" } },
    target: { type: "record", id: "r-1" },
    outcome: { status: "denied", reason: "policy:export.blocked" },
    automation: {
      origin: "rule",
      rule_id: "no-export",
      condition: "record.sensitivity == 'high'",
      rationale: "exports of sensitive records need approval",
      decision_path: ["rule:no-export", "match"],
      overrides: "evt-earlier",
    },
  },
  "record change with patch and hashes": {
    action: "record.update",
    action_version: 1,
    kind: "update",
    category: "data",
    occurred_at: "2026-05-01T10:00:00Z",
    actor: { type: "user", id: "u-1" },
    target: { type: "record", id: "r-1" },
    change: { before: { a: 1 }, after: { a: 2 }, patch: [{ op: "replace", path: "/a", value: 2 }] },
  },
  "login with an IPv4 address": {
    action: "user.login",
    schema_version: 1,
    occurred_at: "2026-05-01T10:00:00Z",
    actor: { type: "user", id: "u-1" },
    target: { type: "user", id: "u-1" },
    context: { ip: "192.0.2.10" },
    metadata: { method: "password", mfa: true },
  },
};

describe("validateEventInput accepts", () => {
  for (const [name, event] of Object.entries(valid)) {
    it(name, () => {
      expect(validateEventInput(event)).toBe(event);
      expect(prepareEvent(event, context()).committed.action).toBe(event.action);
    });
  }
});

describe("validateEventInput refuses", () => {
  it("several wrong fields at once, each at its pointer with a readable message", () => {
    const ps = problems({
      action: "App.Update",
      occurred_at: "yesterday",
      actor: { type: "robot", id: "" },
      target: { type: "page" },
      outcome: { status: "ok" },
      risk: "extreme",
      tags: ["Not A Tag"],
    });
    expect(at(ps).sort()).toEqual([
      "/action",
      "/actor/id",
      "/actor/type",
      "/occurred_at",
      "/outcome/status",
      "/risk",
      "/tags/0",
      "/target/id",
    ]);
    const message = (pointer: string) => ps.find((p) => p.pointer === pointer)?.message;
    expect(message("/actor/type")).toBe("must be one of: user, service_account, automation, system");
    expect(message("/actor/id")).toBe("must not be empty");
    expect(message("/target/id")).toBe("is required");
    expect(message("/occurred_at")).toContain("RFC 3339 timestamp with a UTC offset");
    expect(message("/action")).toContain("dotted lower-case action name");
  });

  it("an unknown top-level field and unknown nested fields", () => {
    const ps = problems(pageEvent({ colour: "red", actor: { type: "user", id: "u", role: "admin" } }));
    expect(ps).toEqual([
      { pointer: "/colour", message: "is not an allowed field here" },
      { pointer: "/actor/role", message: "is not an allowed field here" },
    ]);
  });

  it("__proto__, constructor and prototype keys anywhere", () => {
    const input = JSON.parse(
      '{"action":"app.update","occurred_at":"2026-05-01T10:00:00Z","actor":{"type":"user","id":"u"},' +
        '"target":{"type":"app","id":"a"},"metadata":{"__proto__":{"admin":true},"x":{"constructor":1}}}',
    );
    expect(problems(input)).toEqual([
      { pointer: "/metadata/__proto__", message: 'uses the reserved key "__proto__", which is not allowed anywhere' },
      {
        pointer: "/metadata/x/constructor",
        message: 'uses the reserved key "constructor", which is not allowed anywhere',
      },
    ]);
  });

  it("impossible dates and missing offsets", () => {
    expect(problems(pageEvent({ occurred_at: "2026-02-30T00:00:00Z" }))).toEqual([
      { pointer: "/occurred_at", message: "has day 30, which month 2 of 2026 does not have" },
    ]);
    expect(at(problems(pageEvent({ occurred_at: "2026-05-01T10:00:00" })))).toEqual(["/occurred_at"]);
  });

  it("an all-zero trace_id or span_id and a bad ip", () => {
    const ps = problems(pageEvent({ context: { trace_id: "0".repeat(32), span_id: "0".repeat(16), ip: "999.1.1.1" } }));
    expect(ps).toEqual([
      { pointer: "/context/ip", message: "must be an IPv4 or IPv6 address" },
      { pointer: "/context/trace_id", message: "must be 32 lowercase hex digits, not all zero (a W3C trace-id)" },
      { pointer: "/context/span_id", message: "must be 16 lowercase hex digits, not all zero (a W3C parent-id)" },
    ]);
  });

  it("an automation actor without automation", () => {
    const event = { ...valid["workflow run by automation"] };
    delete event.automation;
    expect(problems(event)).toEqual([{ pointer: "/automation", message: "is required when actor.type is automation" }]);
  });

  it("an oversize state and oversize metadata", () => {
    const big = "x".repeat(MAX_STATE_BYTES);
    const ps = problems(pageEvent({ change: { after: { blob: big } }, metadata: { note: "y".repeat(17 * 1024) } }));
    expect(at(ps)).toEqual(["/metadata", "/change/after"]);
    expect(ps[1]?.message).toMatch(/^change\.after is \d+ bytes in RFC 8785 form; the limit is 65536$/);
  });

  it("nesting deeper than the limit", () => {
    let deep: JsonObject = {};
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const ps = problems(pageEvent({ metadata: deep }));
    expect(ps).toHaveLength(1);
    expect(ps[0]?.pointer.startsWith("/metadata/d/d/")).toBe(true);
    expect(ps[0]?.message).toContain("at most 32 levels deep");
  });

  it("values that are not JSON, and a non-object event", () => {
    expect(at(problems(pageEvent({ metadata: { n: Number.NaN } })))).toEqual(["/metadata/n"]);
    expect(problems([1, 2])).toEqual([{ pointer: "", message: "the event must be a JSON object" }]);
    expect(at(problems({ ...pageEvent(), when: new Date() }))).toEqual(["/when"]);
  });

  it("long malformed pointers and addresses quickly (no catastrophic backtracking)", () => {
    const started = Date.now();
    const ps = problems(
      pageEvent({
        change: { patch: [{ op: "remove", path: `${"/".repeat(1000)}~` }] },
        context: { ip: `${"1:".repeat(30)}x` },
      }),
    );
    expect(at(ps).sort()).toEqual(["/change/patch/0/path", "/context/ip"]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("malformed change sections", () => {
    const ps = problems(
      pageEvent({
        change: {
          before_hash: `sha256:${"a".repeat(64)}`,
          after_hash: "md5:abc",
          patch: [
            { op: "add", path: "/a" },
            { op: "move", path: "/b" },
            { op: "remove", path: "c", value: 1 },
          ],
        },
      }),
    );
    expect(at(ps)).toEqual([
      "/change/patch/2/path",
      "/change/after_hash",
      "/change/before_hash",
      "/change/after_hash",
      "/change/patch/0/value",
      "/change/patch/1/from",
      "/change/patch/2/value",
    ]);
    expect(problems(pageEvent({ change: {} }))).toEqual([
      { pointer: "/change", message: "must contain at least one of before, after or patch" },
    ]);
  });
});
