// The search syntax: every key, quoting, wildcards, errors that name the
// column and the offending text, and parse(format(f)) == f for any filter.
import { ACTION_CATEGORIES, ACTION_KINDS, ACTOR_TYPES, OUTCOME_STATUSES, RISK_LEVELS } from "@trailproof/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EventFilter } from "./event-filter.js";
import { formatSearchQuery, parseSearchQuery } from "./search-syntax.js";

/** The problem messages of a parse that MUST fail with SEARCH_QUERY_INVALID. */
function problemsOf(q: string): string[] {
  let caught: unknown;
  try {
    parseSearchQuery(q);
  } catch (err) {
    caught = err;
  }
  expect(caught).toMatchObject({ code: "SEARCH_QUERY_INVALID" });
  const problems = (caught as { problems: { pointer: string; message: string }[] }).problems;
  for (const p of problems) expect(p.pointer).toBe("/q");
  return problems.map((p) => p.message);
}

describe("parseSearchQuery", () => {
  it("reads the example of the API docs", () => {
    expect(
      parseSearchQuery('actor:alice action:app.* risk:high after:2026-01-01 before:2026-02-01 "checkout page"'),
    ).toEqual({
      actorId: "alice",
      actionPrefix: "app.",
      risk: "high",
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-02-01T00:00:00.000Z",
      text: "checkout page",
    });
  });

  it("maps every key to its field", () => {
    const q = [
      "actor_type:automation action:record.update kind:update category:data target:page:checkout:v2",
      "outcome:denied tag:module:builder session:ses_1 run:run_1 workflow:wf_1 caused_by:evt_1 environment:prod",
      "since:2026-01-01T10:00:00+02:00 until:2026-01-03",
    ].join(" ");
    expect(parseSearchQuery(q)).toEqual({
      actorType: "automation",
      action: "record.update",
      kind: "update",
      category: "data",
      targetType: "page",
      targetId: "checkout:v2",
      outcome: "denied",
      tag: "module:builder",
      sessionId: "ses_1",
      runId: "run_1",
      workflowId: "wf_1",
      causedBy: "evt_1",
      environment: "prod",
      from: "2026-01-01T08:00:00.000Z",
      to: "2026-01-03T00:00:00.000Z",
    });
    expect(parseSearchQuery("target_type:page target_id:p1 env:staging")).toEqual({
      targetType: "page",
      targetId: "p1",
      environment: "staging",
    });
    expect(parseSearchQuery("Actor:ada")).toEqual({ actorId: "ada" });
  });

  it("takes quoted values literally, with backslash escapes, and quoted words as free text", () => {
    expect(parseSearchQuery('actor:"Ada L" "risk:high" say\\no "a \\"b\\" \\\\c"')).toEqual({
      actorId: "Ada L",
      text: 'risk:high say\\no a "b" \\c',
    });
    expect(parseSearchQuery('12:30 e-mail "OR" NEAR( or')).toEqual({ text: "12:30 e-mail OR NEAR( or" });
    expect(parseSearchQuery("   ")).toEqual({});
  });

  it("reads a trailing * as an action prefix, but not inside quotes", () => {
    expect(parseSearchQuery("action:app*")).toEqual({ actionPrefix: "app" });
    expect(parseSearchQuery("action:app.page.*")).toEqual({ actionPrefix: "app.page." });
    expect(problemsOf('action:"app.*"')[0]).toMatch(/^action value "app\.\*" at column 8 is not an action name/);
    expect(problemsOf("action:*")).toEqual(["action:* at column 8 matches every action; leave it out"]);
    expect(problemsOf("action:a*b*")[0]).toMatch(/only a trailing \* is supported/);
  });

  it("names the unknown key, its column and the known keys", () => {
    const [message] = problemsOf("actor:ada  colour:red");
    expect(message).toMatch(/^unknown key "colour" at column 12; known keys: action, actor, actor_type, after, /);
    for (const key of ["constructor", "__proto__", "toString"]) {
      expect(problemsOf(`${key}:x`)[0]).toMatch(new RegExp(`^unknown key "${key.toLowerCase()}" at column 1;`));
    }
  });

  it("points at an unterminated quote", () => {
    expect(problemsOf('actor:ada "checkout page')).toEqual(["unterminated quote at column 11"]);
    expect(problemsOf('actor:"Ada')).toEqual(["unterminated quote at column 7"]);
    expect(problemsOf('"')).toEqual(["unterminated quote at column 1"]);
  });

  it("points at stray quotes and missing values", () => {
    expect(problemsOf('ab"c')).toEqual(['stray quote at column 3 in "ab\\"c": quote the whole value']);
    expect(problemsOf('"a"b')).toEqual(['"b" at column 4 follows a closing quote without a space']);
    expect(problemsOf("risk: high")).toEqual(['"risk:" at column 1 has no value']);
  });

  it("says when a date is not a date, and where", () => {
    expect(problemsOf("before:yesterday")).toEqual([
      'before value "yesterday" at column 8 is not a date: use YYYY-MM-DD (UTC) or an RFC 3339 timestamp such as 2026-05-01T10:00:00Z',
    ]);
    expect(problemsOf("after:2026-02-30")[0]).toMatch(/^after value "2026-02-30" at column 7 is not a date/);
    expect(problemsOf("after:2026-02-01 before:2026-01-01")).toEqual([
      "after at column 1 must be earlier than before at column 18",
    ]);
  });

  it("lists the allowed values of an enum", () => {
    expect(problemsOf("risk:extreme")).toEqual([
      'risk value "extreme" at column 6 must be one of: low, medium, high, critical',
    ]);
    expect(problemsOf("actor_type:robot")[0]).toMatch(/must be one of: user, service_account, automation, system$/);
  });

  it("refuses a key given twice, naming both columns", () => {
    expect(problemsOf("actor:a actor:b")).toEqual([
      'duplicate key "actor" at column 9: actor was already given at column 1',
    ]);
    expect(problemsOf("after:2026-01-01 since:2026-01-02")).toEqual([
      'duplicate key "since" at column 18: after was already given at column 1',
    ]);
    expect(problemsOf("action:app.* action:app.update")[0]).toMatch(/^duplicate key "action" at column 14/);
    expect(problemsOf("target:page:p target_id:q")[0]).toMatch(/^duplicate key "target_id" at column 15/);
  });

  it("reports every problem at once", () => {
    expect(problemsOf('colour:red risk:extreme before:soon "open')).toHaveLength(4);
  });

  it("refuses bad targets, tags, free text without words, and overlong queries", () => {
    expect(problemsOf("target:checkout")[0]).toMatch(/^target "checkout" at column 8 must be type:id/);
    expect(problemsOf("tag:Module:Builder")[0]).toMatch(/is not a tag/);
    expect(problemsOf("* ?")).toEqual(['free text "* ?" has no letter or digit to search for']);
    expect(problemsOf(Array.from({ length: 17 }, (_, i) => `w${i}`).join(" "))[0]).toMatch(/has 17 words; at most 16/);
    expect(problemsOf("a".repeat(2049))).toEqual(["is 2049 characters long; at most 2048"]);
  });
});

const word = fc.stringMatching(/^[^\s]{1,8}$/u);
const id = fc.string({ minLength: 1, maxLength: 12 });
const date = fc
  .integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) })
  .chain((ms) => fc.constantFrom(ms, ms - (ms % 86_400_000)))
  .map((ms) => new Date(ms).toISOString());
const actionName = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}(\.[a-z][a-z0-9_]{0,5}){1,3}$/);

const filterArb: fc.Arbitrary<EventFilter> = fc
  .record(
    {
      actorId: id,
      actorType: fc.constantFrom(...ACTOR_TYPES),
      action: actionName,
      actionPrefix: fc.stringMatching(/^[a-z][a-z0-9_.]{0,8}$/),
      kind: fc.constantFrom(...ACTION_KINDS),
      category: fc.constantFrom(...ACTION_CATEGORIES),
      targetType: id,
      targetId: id,
      outcome: fc.constantFrom(...OUTCOME_STATUSES),
      risk: fc.constantFrom(...RISK_LEVELS),
      tag: fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,6}(:[a-z0-9][a-z0-9_.-]{0,6})?$/),
      sessionId: id,
      runId: id,
      workflowId: id,
      causedBy: id,
      environment: id,
      from: date,
      to: date,
      text: fc.array(word, { minLength: 1, maxLength: 5 }).map((ws) => [...ws, "w0rd"].join(" ")),
    },
    { requiredKeys: [] },
  )
  .map((f) => {
    const out = { ...f };
    if (out.action !== undefined) delete out.actionPrefix;
    if (out.from !== undefined && out.to !== undefined && out.from >= out.to) delete out.to;
    return out;
  });

describe("formatSearchQuery", () => {
  it("is the inverse of parseSearchQuery", () => {
    fc.assert(
      fc.property(filterArb, (filter) => {
        expect(parseSearchQuery(formatSearchQuery(filter))).toEqual(filter);
      }),
      { numRuns: 1000 },
    );
  });

  it("writes short dates and the combined target form", () => {
    expect(
      formatSearchQuery({
        actorId: "Ada L",
        targetType: "page",
        targetId: "checkout",
        actionPrefix: "app.",
        from: "2026-01-01T00:00:00.000Z",
        to: "2026-01-01T10:30:00.000Z",
        text: 'checkout actor:x -y say"',
      }),
    ).toBe(
      'actor:"Ada L" action:app.* target:page:checkout after:2026-01-01 before:2026-01-01T10:30:00.000Z checkout "actor:x" "-y" "say\\""',
    );
  });
});
