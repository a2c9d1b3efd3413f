// Identifiers refuse control and bidirectional formatting characters, free
// text keeps them, and no string anywhere in an event may hold a lone
// surrogate: on the exact path (validateEventInput) and the fast path
// (prepareEvent) alike, each problem at its pointer.
import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "../canonical-json.js";
import { hasErrorCode, type Problem } from "../errors.js";
import { copyEventInput } from "./copy-event-input.js";
import { IDENTIFIER_PATHS } from "./identifier-characters.js";
import { prepareEvent } from "./prepare-event.js";
import { context, pageEvent, thrown } from "./test-fixtures.js";
import { validateEventInput } from "./validate-event-input.js";

/** The problems of `event` on both paths, which must agree. */
function problems(event: JsonObject): Problem[] {
  const exact = thrown(() => validateEventInput(event));
  expect(hasErrorCode(exact, "EVENT_INVALID"), String(exact)).toBe(true);
  const fast = thrown(() => prepareEvent(event, context()));
  expect(hasErrorCode(fast, "EVENT_INVALID"), String(fast)).toBe(true);
  expect(fast.problems).toEqual(exact.problems);
  return [...exact.problems];
}

/** An event with every identifier of the envelope present. */
function everyIdentifier(): JsonObject {
  return pageEvent({
    actor: { type: "automation", id: "wf-1", on_behalf_of: { type: "user", id: "u-1", name: "Ada" } },
    outcome: { status: "failure", reason: "timeout" },
    context: {
      session_id: "s-1",
      request_id: "r-1",
      device_fingerprint: "d-1",
      environment: "production",
      region: "eu-west-1",
      trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
      span_id: "00f067aa0ba902b7",
    },
    automation: {
      origin: "workflow",
      workflow_id: "wf-1",
      workflow_version: "3",
      run_id: "run-1",
      step: "fetch",
      trigger_id: "t-1",
      rule_id: "rule-1",
      caused_by: "evt-0",
      overrides: "evt-00",
      decision_path: ["rule:a", "match"],
    },
    tags: ["module:builder"],
  });
}

/** `event` with the value at `path` (a last `*` meaning the first element) replaced by `value`. */
function withValue(event: JsonObject, path: readonly string[], value: string): { event: JsonObject; pointer: string } {
  const copy = structuredClone(event);
  let node: JsonValue = copy;
  const tokens = path.map((t) => (t === "*" ? "0" : t));
  for (const token of tokens.slice(0, -1)) node = (node as JsonObject)[token] as JsonValue;
  (node as Record<string, JsonValue>)[tokens[tokens.length - 1] as string] = value;
  return { event: copy, pointer: `/${tokens.join("/")}` };
}

describe("identifiers", () => {
  it("the fixture holding every identifier is valid", () => {
    expect(validateEventInput(everyIdentifier())).toBeDefined();
  });

  it.each(IDENTIFIER_PATHS.map((path) => ({ path, at: path.join(".") })))(
    "$at refuses usr_\\u202eimda (it would display as usr_admi)",
    ({ path }) => {
      const { event, pointer } = withValue(everyIdentifier(), path, "usr_\u202eimda");
      const found = problems(event).filter((p) => p.pointer === pointer);
      expect(found.map((p) => p.message)).toContainEqual(expect.stringMatching(/U\+202E \(RIGHT-TO-LEFT OVERRIDE/));
    },
  );

  it.each([
    ["NUL", "\u0000"],
    ["BEL", "\u0007"],
    ["LF", "\n"],
    ["ESC", "\u001b"],
    ["DEL", "\u007f"],
    ["NEL (C1)", "\u0085"],
    ["CSI (C1)", "\u009b"],
    ["ARABIC LETTER MARK", "\u061c"],
    ["LEFT-TO-RIGHT MARK", "\u200e"],
    ["RIGHT-TO-LEFT MARK", "\u200f"],
    ["LEFT-TO-RIGHT EMBEDDING", "\u202a"],
    ["POP DIRECTIONAL FORMATTING", "\u202c"],
    ["RIGHT-TO-LEFT ISOLATE", "\u2067"],
    ["POP DIRECTIONAL ISOLATE", "\u2069"],
  ])("actor.id refuses %s", (_name, character) => {
    const ps = problems(pageEvent({ actor: { type: "user", id: `u${character}1` } }));
    expect(ps).toEqual([{ pointer: "/actor/id", message: expect.stringMatching(/^holds U\+[0-9A-F]{4} /) }]);
  });

  it("every offending identifier is a problem of its own", () => {
    const ps = problems(
      pageEvent({
        actor: { type: "user", id: "u\u202e1" },
        target: { type: "page", id: "p\u00071", path: ["app:crm", "page:p\u20667"] },
        context: { environment: "prod\u200f" },
      }),
    );
    expect(ps.map((p) => p.pointer)).toEqual(["/actor/id", "/target/id", "/target/path/1", "/context/environment"]);
  });

  it("free text keeps them: message, names, condition, rationale, states and metadata", () => {
    const odd = "a\u202eb\u0007c\nd\u200f";
    const event = pageEvent({
      message: odd,
      actor: { type: "user", id: "u-1", name: odd },
      target: { type: "page", id: "p-7", name: odd },
      context: { user_agent: odd },
      change: { before: { title: odd }, after: { title: `${odd}!` } },
      metadata: { note: odd, [odd]: 1 },
    });
    expect(validateEventInput(event)).toBe(event);
    expect(prepareEvent(event, context()).committed.message).toBe(odd);
  });

  it("other characters stay allowed in identifiers: letters of any script, emoji, spaces", () => {
    const event = pageEvent({ actor: { type: "user", id: "usr_ünïcødé 名前 😀 مرحبا" } });
    expect(validateEventInput(event)).toBe(event);
  });
});

describe("lone surrogates", () => {
  it.each<{ label: string; extra: JsonObject; at: string }>([
    { label: "a lone high surrogate in metadata", extra: { metadata: { a: ["x", "bad\ud800"] } }, at: "/metadata/a/1" },
    { label: "a lone low surrogate in a state", extra: { change: { after: { t: "\udc00" } } }, at: "/change/after/t" },
    { label: "a reversed pair in the message", extra: { message: "\udc00\ud800" }, at: "/message" },
    { label: "a lone surrogate in a metadata key", extra: { metadata: { "k\ud800": 1 } }, at: "/metadata/k\ud800" },
  ])("$label is refused at its pointer", ({ extra, at }) => {
    const ps = problems(pageEvent(extra));
    expect(ps.map((p) => p.pointer)).toContain(at);
    expect(ps.find((p) => p.pointer === at)?.message).toMatch(/lone surrogate/);
  });

  it("the fast path's copy refuses them and accepts pairs", () => {
    expect(copyEventInput(pageEvent({ message: "x\ud800" }))).toBeUndefined();
    expect(copyEventInput(pageEvent({ message: 'x\ud83d\ude00 "quoted"' }))).toBeDefined();
  });
});
