// The boolean part of the search syntax: `-term` and NOT exclude, OR
// between terms, parentheses group; plain top-level terms stay the filter's
// fields (which stores index), the rest becomes its `where`. Errors name the
// column. The oracle (eventMatchesFilter) agrees with De Morgan's laws.
import type { JsonObject } from "@trailproof/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EventFilter } from "./event-filter.js";
import { eventFilterProblems } from "./event-filter.js";
import { parseEventFilterParams } from "./event-filter-params.js";
import { eventMatchesFilter } from "./event-matches-filter.js";
import { formatSearchQuery, parseSearchQuery } from "./search-syntax.js";

function problemsOf(q: string): string[] {
  let caught: unknown;
  try {
    parseSearchQuery(q);
  } catch (err) {
    caught = err;
  }
  expect(caught).toMatchObject({ code: "SEARCH_QUERY_INVALID" });
  return (caught as { problems: { message: string }[] }).problems.map((p) => p.message);
}

describe("parseSearchQuery: NOT, OR and parentheses", () => {
  it("reads -key:value and NOT key:value as negations beside the plain fields", () => {
    expect(parseSearchQuery("actor:ada -action:audit.*")).toEqual({
      actorId: "ada",
      where: { not: { field: "actionPrefix", value: "audit." } },
    });
    expect(parseSearchQuery("NOT category:system")).toEqual({ where: { not: { field: "category", value: "system" } } });
    expect(parseSearchQuery('-"checkout page" -tag:module:builder')).toEqual({
      where: {
        and: [{ not: { field: "text", value: "checkout page" } }, { not: { field: "tag", value: "module:builder" } }],
      },
    });
  });

  it("binds AND tighter than OR, and groups with parentheses", () => {
    expect(parseSearchQuery("risk:high OR outcome:denied")).toEqual({
      where: {
        or: [
          { field: "risk", value: "high" },
          { field: "outcome", value: "denied" },
        ],
      },
    });
    expect(parseSearchQuery("actor:ada risk:high OR actor:bob")).toEqual({
      where: {
        or: [
          {
            and: [
              { field: "actorId", value: "ada" },
              { field: "risk", value: "high" },
            ],
          },
          { field: "actorId", value: "bob" },
        ],
      },
    });
    expect(parseSearchQuery("actor:ada AND (risk:high OR risk:critical) -(kind:read OR tag:noise)")).toEqual({
      actorId: "ada",
      where: {
        and: [
          {
            or: [
              { field: "risk", value: "high" },
              { field: "risk", value: "critical" },
            ],
          },
          {
            not: {
              or: [
                { field: "kind", value: "read" },
                { field: "tag", value: "noise" },
              ],
            },
          },
        ],
      },
    });
  });

  it("splices nested groups and single-term parentheses, and merges the words of one AND", () => {
    expect(parseSearchQuery("((actor:ada)) (x OR (y OR z))")).toEqual({
      actorId: "ada",
      where: {
        or: [
          { field: "text", value: "x" },
          { field: "text", value: "y" },
          { field: "text", value: "z" },
        ],
      },
    });
    expect(parseSearchQuery("(deploy prod) OR rollback")).toEqual({
      where: {
        or: [
          { field: "text", value: "deploy prod" },
          { field: "text", value: "rollback" },
        ],
      },
    });
    expect(parseSearchQuery("-target:page:p1")).toEqual({
      where: {
        not: {
          and: [
            { field: "targetType", value: "page" },
            { field: "targetId", value: "p1" },
          ],
        },
      },
    });
  });

  it("allows a key again inside NOT and OR, where it is no contradiction", () => {
    expect(parseSearchQuery("action:app.* -action:app.page.*")).toEqual({
      actionPrefix: "app.",
      where: { not: { field: "actionPrefix", value: "app.page." } },
    });
    expect(parseSearchQuery("after:2026-01-01 -(after:2026-02-01 before:2026-03-01)").where).toEqual({
      not: {
        and: [
          { field: "from", value: "2026-02-01T00:00:00.000Z" },
          { field: "to", value: "2026-03-01T00:00:00.000Z" },
        ],
      },
    });
  });

  it("keeps lower-case or, and, not and a lone - as words", () => {
    expect(parseSearchQuery("black or white - not")).toEqual({ text: "black or white - not" });
  });

  it("names the column of every structural problem", () => {
    expect(problemsOf("OR risk:high")).toEqual(["OR at column 1 has nothing on its left"]);
    expect(problemsOf("risk:high OR")).toEqual(["OR at column 11 has nothing on its right"]);
    expect(problemsOf("risk:high OR OR kind:read")).toEqual(["OR at column 11 has nothing on its right"]);
    expect(problemsOf("actor:ada NOT")).toEqual(["NOT at column 11 negates nothing"]);
    expect(problemsOf("-(risk:high")).toEqual(["unmatched ( at column 2: close it with )"]);
    expect(problemsOf("risk:high)")).toEqual(["unmatched ) at column 10: quote the value to search for a parenthesis"]);
    expect(problemsOf("actor:ada ()")).toEqual(["empty parentheses at column 11"]);
    expect(problemsOf("AND risk:high")).toEqual(["AND at column 1 has nothing on its left"]);
    expect(problemsOf("actor:(a OR b)")[0]).toMatch(
      /^"actor:\(" at column 1: a key takes one value; group whole terms/,
    );
    expect(problemsOf(`${"(".repeat(9)}x${")".repeat(9)}`)).toEqual(["( at column 9 nests groups deeper than 8"]);
  });

  it("judges the terms inside NOT and OR as it judges plain ones", () => {
    expect(problemsOf("-risk:extreme OR colour:red")).toEqual([
      'risk value "extreme" at column 7 must be one of: low, medium, high, critical',
      expect.stringMatching(/^unknown key "colour" at column 18; known keys:/),
    ]);
    expect(problemsOf("-(* ?)")).toEqual([
      'free text "*" at column 3 has no letter or digit to search for',
      expect.any(String),
    ]);
    const many = Array.from({ length: 33 }, (_, i) => `actor:a${i}`).join(" OR ");
    expect(problemsOf(many)).toEqual(["the query's NOT, OR and parentheses has 33 terms; at most 32"]);
  });

  it("keeps q's condition beside the query parameters, which it narrows", () => {
    expect(parseEventFilterParams({ actor_id: "ada", q: "-action:audit.*" })).toEqual({
      actorId: "ada",
      where: { not: { field: "actionPrefix", value: "audit." } },
    });
  });
});

describe("eventFilterProblems on a condition built by code", () => {
  it("points at each bad node", () => {
    const filter = {
      where: { and: [{ field: "colour", value: "red" }, { or: [] }, { not: { field: "risk", value: "extreme" } }, 7] },
    } as unknown as EventFilter;
    expect(eventFilterProblems(filter).map((p) => p.pointer)).toEqual([
      "/where/and/0/value",
      "/where/and/1/or",
      "/where/and/2/not/value",
      "/where/and/3",
    ]);
  });
});

const event = (over: JsonObject): JsonObject => ({
  action: "app.page.update",
  occurred_at: "2026-01-01T00:00:00Z",
  actor: { id: "ada", type: "user" },
  message: "Ada moved the checkout page",
  ...over,
});

describe("eventMatchesFilter with a condition", () => {
  it("treats a missing field as equal to no value, so its negation holds", () => {
    const noSession = event({});
    const withSession = event({ context: { session_id: "ses_1" } });
    const f = parseSearchQuery("-session:ses_1");
    expect(eventMatchesFilter(noSession, f)).toBe(true);
    expect(eventMatchesFilter(withSession, f)).toBe(false);
  });

  it("matches free text word by word, folded, under NOT and OR", () => {
    const e = event({ message: "Ada tidied the café checkout page" });
    expect(eventMatchesFilter(e, parseSearchQuery("CAFE"))).toBe(true);
    expect(eventMatchesFilter(e, parseSearchQuery("-cafe"))).toBe(false);
    expect(eventMatchesFilter(e, parseSearchQuery("-caf"))).toBe(true);
    expect(eventMatchesFilter(e, parseSearchQuery("legacy OR tidied"))).toBe(true);
  });

  const terms = ["risk:high", "actor:ada", "action:app.*", "tag:t1", "checkout", "after:2026-01-01T00:00:01Z"];
  const events = [
    event({}),
    event({ risk: "high", tags: ["t1"] }),
    event({ actor: { id: "bob", type: "user" }, action: "record.update", occurred_at: "2026-01-02T00:00:00Z" }),
    event({ message: "nothing to see" }),
  ];

  it("follows De Morgan's laws and double negation over any terms", () => {
    fc.assert(
      fc.property(fc.constantFrom(...terms), fc.constantFrom(...terms), fc.constantFrom(...events), (a, b, e) => {
        const m = (q: string) => eventMatchesFilter(e, parseSearchQuery(q));
        expect(m(`-(${a} OR ${b})`)).toBe(m(`-${a} -${b}`));
        expect(m(`NOT (${a} ${b})`)).toBe(m(`-${a} OR -${b}`));
        expect(m(`--${a}`)).toBe(m(a));
        expect(m(`${a} OR ${b}`)).toBe(m(a) || m(b));
      }),
    );
  });
});

const condTerm = fc.constantFrom(
  "risk:high",
  "actor:ada",
  'actor:"Ada L"',
  "action:app.*",
  "action:app.page.update",
  "tag:module:builder",
  "target:page:p1",
  "after:2026-01-01",
  "before:2026-01-01T10:30:00.000Z",
  "checkout",
  '"checkout page"',
  '"OR"',
  '"(x"',
);
const condQuery: fc.Arbitrary<string> = fc.letrec<{ q: string }>((tie) => ({
  q: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    condTerm,
    tie("q").map((q) => `-(${q})`),
    fc.tuple(tie("q"), tie("q")).map(([a, b]) => `(${a}) OR (${b})`),
    fc.tuple(tie("q"), tie("q")).map(([a, b]) => `(${a}) (${b})`),
  ),
})).q;

describe("formatSearchQuery with a condition", () => {
  it("is the inverse of parseSearchQuery on every query the parser accepts", () => {
    fc.assert(
      fc.property(condQuery, (q) => {
        let filter: EventFilter;
        try {
          filter = parseSearchQuery(q);
        } catch {
          return; // duplicate plain keys or too many terms: refused, nothing to format
        }
        expect(parseSearchQuery(formatSearchQuery(filter))).toEqual(filter);
      }),
      { numRuns: 500 },
    );
  });

  it("writes negations with - and parenthesises OR inside AND", () => {
    expect(formatSearchQuery(parseSearchQuery("actor:ada NOT action:audit.* (risk:high OR NOT kind:read)"))).toBe(
      "actor:ada -action:audit.* (risk:high OR -kind:read)",
    );
  });
});
