// prepareEvent: the committed event format, defaults, registry checks, change
// handling and determinism. Privacy has its own suite (event-privacy.test.ts).
import { describe, expect, it } from "vitest";
import { encodeCanonicalJsonBytes, type JsonObject } from "../canonical-json.js";
import { hasErrorCode, type Problem } from "../errors.js";
import { portableHasher } from "../hasher.js";
import { ActionRegistry } from "../schema/action-registry.js";
import { builtinCatalogue } from "../schema/builtin-catalogue.js";
import { stateHash } from "./event-change.js";
import { type PrepareContext, prepareEvent } from "./prepare-event.js";
import { context, pageEvent, seededRandomBytes, thrown } from "./test-fixtures.js";

function problems(input: unknown, ctx: PrepareContext = context()): Problem[] {
  const err = thrown(() => prepareEvent(input, ctx));
  expect(hasErrorCode(err, "EVENT_INVALID")).toBe(true);
  return [...err.problems];
}

const minimal: JsonObject = {
  action: "app.update",
  occurred_at: "2026-05-01T10:00:00+02:00",
  actor: { type: "user", id: "u-1" },
  target: { type: "app", id: "a-1", name: "CRM" },
};

describe("prepareEvent: committed event", () => {
  it("applies every default and omits absent optional fields", () => {
    const prepared = prepareEvent(minimal, context());
    expect(prepared.id).toBe("evt-1");
    expect(prepared.committed).toEqual({
      schema_version: 2,
      appended_by: { type: "api_key", id: "00000000000000a1" },
      id: "evt-1",
      action: "app.update",
      action_version: 1,
      kind: "update",
      category: "configuration",
      occurred_at: "2026-05-01T08:00:00.000Z",
      received_at: "2026-05-01T08:00:01.500Z",
      actor: { type: "user", id: "u-1" },
      target: { type: "app", id: "a-1", name: "CRM" },
      outcome: { status: "success" },
      message: "user u-1 updated app CRM",
      risk: "low",
      privacy: { masked: [], commitments: {} },
    });
    expect(prepared.leafData).toEqual(encodeCanonicalJsonBytes(prepared.committed));
    expect(prepared.disclosures).toEqual([]);
    expect(prepared.contentDigest).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
  });

  it("keeps what the platform sent over the defaults", () => {
    const committed = prepareEvent(
      { ...minimal, id: "mine", message: "custom", risk: "critical", outcome: { status: "denied", reason: "rbac" } },
      context(),
    ).committed;
    expect(committed).toMatchObject({ id: "mine", message: "custom", risk: "critical" });
    expect(committed.outcome).toEqual({ status: "denied", reason: "rbac" });
  });

  it("does not mutate the input", () => {
    const input = pageEvent({ actor: { type: "user", id: "u", name: "Ada" } });
    const copy = structuredClone(input);
    prepareEvent(input, context());
    expect(input).toEqual(copy);
  });

  it("is deterministic: same input and randomness give identical leaf data", () => {
    const a = prepareEvent(pageEvent(), context({ randomBytes: seededRandomBytes("s") }));
    const b = prepareEvent(pageEvent(), context({ randomBytes: seededRandomBytes("s") }));
    const c = prepareEvent(pageEvent(), context({ randomBytes: seededRandomBytes("other") }));
    expect(b.leafData).toEqual(a.leafData);
    expect(b.disclosures).toEqual(a.disclosures);
    expect(c.leafData).not.toEqual(a.leafData);
    expect(c.contentDigest).toBe(a.contentDigest);
  });

  it("derives the content digest from content, not from key order, received_at or salts", () => {
    const a = prepareEvent(minimal, context());
    const reordered = JSON.parse(JSON.stringify({ target: minimal.target, ...minimal }));
    const b = prepareEvent(reordered, context({ receivedAt: new Date("2030-01-01T00:00:00Z") }));
    const c = prepareEvent({ ...minimal, message: "different" }, context());
    expect(b.contentDigest).toBe(a.contentDigest);
    expect(c.contentDigest).not.toBe(a.contentDigest);
  });
});

describe("prepareEvent: registry", () => {
  it("refuses an unknown action under 'reject'", () => {
    expect(problems({ ...minimal, action: "crm.deal.close" })).toEqual([
      {
        pointer: "/action",
        message:
          "crm.deal.close is not a registered action: register its schema (POST /v1/schemas), " +
          'or set the tenant setting unknown_actions to "accept" (PATCH /v1/settings)',
      },
    ]);
  });

  it("accepts an unknown action under 'accept' when kind and category are given", () => {
    const ctx = context({ unknownActions: "accept" });
    expect(problems({ ...minimal, action: "crm.deal.close" }, ctx).map((p) => p.pointer)).toEqual([
      "/kind",
      "/category",
    ]);
    const committed = prepareEvent(
      { ...minimal, action: "crm.deal.close", kind: "update", category: "data" },
      ctx,
    ).committed;
    expect(committed).toMatchObject({ action_version: null, kind: "update", category: "data", risk: "low" });
    expect(committed.message).toBeUndefined();
  });

  it("refuses kind or category that disagree with the definition", () => {
    expect(problems({ ...minimal, kind: "delete", category: "data" })).toEqual([
      { pointer: "/kind", message: "must be update (the kind of app.update version 1) or be left out" },
      { pointer: "/category", message: "must be configuration (the category of app.update version 1) or be left out" },
    ]);
  });

  it("resolves a named action_version and refuses an unregistered one", () => {
    const registry = new ActionRegistry(builtinCatalogue);
    const v1 = registry.resolve("app.update");
    registry.register({ ...(v1 as object), version: 2, defaultRisk: "high" } as (typeof builtinCatalogue)[number]);
    const ctx = context({ registry });
    expect(prepareEvent(minimal, ctx).committed).toMatchObject({ action_version: 2, risk: "high" });
    expect(prepareEvent({ ...minimal, action_version: 1 }, ctx).committed).toMatchObject({
      action_version: 1,
      risk: "low",
    });
    expect(problems({ ...minimal, action_version: 3 }, ctx)).toEqual([
      { pointer: "/action_version", message: "version 3 of app.update is not registered; registered versions: 1, 2" },
    ]);
  });

  it("validates metadata and states with the definition's schemas", () => {
    const ps = problems({
      ...minimal,
      action: "app.page.update",
      metadata: { page_id: 7 },
      change: { before: { title: 1 }, after: { title: "ok", route: false } },
    });
    expect(ps).toEqual([
      { pointer: "/metadata/page_id", message: "must be a string or null" },
      { pointer: "/change/before/title", message: "must be a string" },
      { pointer: "/change/after/route", message: "must be a string" },
    ]);
  });

  it("collects envelope and registry problems into one error", () => {
    const ps = problems({ ...minimal, kind: "delete", actor: { type: "user", id: "" }, colour: 1 });
    expect(ps.map((p) => p.pointer).sort()).toEqual(["/actor/id", "/colour", "/kind"]);
  });
});

describe("prepareEvent: change", () => {
  const recordEvent = (change: JsonObject): JsonObject => ({
    action: "record.update",
    occurred_at: "2026-05-01T10:00:00Z",
    actor: { type: "user", id: "u-1" },
    target: { type: "record", id: "r-1" },
    change,
  });
  const changeOf = (event: JsonObject) => prepareEvent(event, context()).committed.change as JsonObject;

  it("computes the patch when none is given", () => {
    expect(changeOf(recordEvent({ before: { a: 1, b: [1, 2] }, after: { a: 2, b: [1], c: true } })).patch).toEqual([
      { op: "remove", path: "/b/1" },
      { op: "replace", path: "/a", value: 2 },
      { op: "add", path: "/c", value: true },
    ]);
  });

  it("takes a missing state as {} (create, delete)", () => {
    expect(changeOf(recordEvent({ after: { a: 1 } }))).toEqual({
      after: { a: 1 },
      after_hash: stateHash(portableHasher, { a: 1 }),
      patch: [{ op: "add", path: "/a", value: 1 }],
    });
    expect(changeOf(recordEvent({ before: { a: 1 } }))).toEqual({
      before: { a: 1 },
      before_hash: stateHash(portableHasher, { a: 1 }),
      patch: [{ op: "remove", path: "/a" }],
    });
    expect(changeOf(recordEvent({ before: { a: 1 }, after: { a: 1 } })).patch).toEqual([]);
  });

  it("keeps a given patch that turns before into after", () => {
    const patch = [
      { op: "test", path: "/a", value: 1 },
      { op: "replace", path: "/a", value: 3 },
    ];
    expect(changeOf(recordEvent({ before: { a: 1 }, after: { a: 3 }, patch })).patch).toEqual(patch);
  });

  it("refuses a given patch that does not turn before into after, or does not apply", () => {
    expect(
      problems(recordEvent({ before: { a: 1 }, after: { a: 3 }, patch: [{ op: "replace", path: "/a", value: 2 }] })),
    ).toEqual([{ pointer: "/change/patch", message: "applied to change.before does not yield change.after" }]);
    expect(
      problems(recordEvent({ before: { a: 1 }, after: { a: 3 }, patch: [{ op: "test", path: "/a", value: 9 }] })),
    ).toEqual([{ pointer: "/change/patch/0", message: "cannot be applied: its test does not hold on change.before" }]);
  });

  it("checks client state hashes against the states as received", () => {
    const before = { a: 1 };
    const good = stateHash(portableHasher, before);
    expect(changeOf(recordEvent({ before, after: { a: 2 }, before_hash: good })).before_hash).toBe(good);
    const wrong = stateHash(portableHasher, { a: 2 });
    expect(problems(recordEvent({ before, after: { a: 2 }, before_hash: wrong, after_hash: good }))).toEqual([
      {
        pointer: "/change/before_hash",
        message: 'does not match change.before: expected "sha256:" and the hex SHA-256 of its RFC 8785 form',
      },
      {
        pointer: "/change/after_hash",
        message: 'does not match change.after: expected "sha256:" and the hex SHA-256 of its RFC 8785 form',
      },
    ]);
  });
});
