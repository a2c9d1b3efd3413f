// The query-string form of the filter: every parameter, the action prefix,
// `q` merged in, conflicts, and every problem listed with its parameter.
import { describe, expect, it } from "vitest";
import { eventFilterProblems } from "./event-filter.js";
import { parseEventFilterParams } from "./event-filter-params.js";

function problemsOf(query: Record<string, string | undefined>): { pointer: string; message: string }[] {
  let caught: unknown;
  try {
    parseEventFilterParams(query);
  } catch (err) {
    caught = err;
  }
  expect(caught).toMatchObject({ code: "SEARCH_QUERY_INVALID" });
  return [...(caught as { problems: { pointer: string; message: string }[] }).problems];
}

describe("parseEventFilterParams", () => {
  it("maps every parameter to its field and normalises dates", () => {
    expect(
      parseEventFilterParams({
        from: "2026-01-01",
        to: "2026-01-02T01:00:00+01:00",
        actor_id: "usr_ada",
        actor_type: "user",
        action: "app.page.update",
        kind: "update",
        category: "configuration",
        target_type: "page",
        target_id: "checkout",
        outcome: "success",
        risk: "low",
        tag: "module:builder",
        session_id: "ses_1",
        run_id: "run_1",
        workflow_id: "wf_1",
        caused_by: "evt_1",
        environment: "production",
        text: "checkout  layout",
        limit: "50",
        cursor: "anything",
        unknown: "the caller's business",
      }),
    ).toEqual({
      from: "2026-01-01T00:00:00.000Z",
      to: "2026-01-02T00:00:00.000Z",
      actorId: "usr_ada",
      actorType: "user",
      action: "app.page.update",
      kind: "update",
      category: "configuration",
      targetType: "page",
      targetId: "checkout",
      outcome: "success",
      risk: "low",
      tag: "module:builder",
      sessionId: "ses_1",
      runId: "run_1",
      workflowId: "wf_1",
      causedBy: "evt_1",
      environment: "production",
      text: "checkout  layout",
    });
  });

  it("takes app.* as an action prefix", () => {
    expect(parseEventFilterParams({ action: "app.*" })).toEqual({ actionPrefix: "app." });
    expect(problemsOf({ action: "*" })).toEqual([
      { pointer: "/action", message: "* matches every action; leave the parameter out" },
    ]);
  });

  it("merges q, accepting the same value twice and refusing a different one", () => {
    expect(parseEventFilterParams({ q: "actor:usr_ada risk:high checkout", risk: "high", kind: "update" })).toEqual({
      actorId: "usr_ada",
      risk: "high",
      kind: "update",
      text: "checkout",
    });
    expect(parseEventFilterParams({ q: "" })).toEqual({});
    expect(problemsOf({ q: "actor:usr_ada", actor_id: "usr_grace" })).toEqual([
      { pointer: "/actor_id", message: 'conflicts with q, which sets actor_id to "usr_ada"' },
    ]);
    expect(problemsOf({ q: "action:app.*", action: "app.update" })).toEqual([
      { pointer: "/action", message: 'conflicts with q, which sets action to "app.*"' },
    ]);
    expect(problemsOf({ q: "action:app.update", action: "app.*" })).toEqual([
      { pointer: "/action", message: 'conflicts with q, which sets action to "app.update"' },
    ]);
  });

  it("lists every problem at once, each at its parameter", () => {
    const problems = problemsOf({
      from: "yesterday",
      risk: "extreme",
      actor_type: "robot",
      kind: "",
      text: '" * NEAR',
      q: "colour:red",
    });
    expect(problems.map((p) => p.pointer)).toEqual(["/from", "/actor_type", "/kind", "/risk", "/q"]);
    expect(problems[3]?.message).toBe("must be one of: low, medium, high, critical");
    expect(problems[2]?.message).toBe("must not be empty");
    expect(problems[4]?.message).toMatch(/^unknown key "colour" at column 1/);
  });

  it("refuses a range that ends before it starts", () => {
    expect(problemsOf({ from: "2026-02-01", to: "2026-01-01" })).toEqual([
      { pointer: "/to", message: "must be later than from (2026-02-01T00:00:00.000Z)" },
    ]);
  });

  it("refuses free text with nothing to search for", () => {
    expect(problemsOf({ text: '" * ()' })).toEqual([
      { pointer: "/text", message: "has no letter or digit to search for" },
    ]);
  });
});

describe("eventFilterProblems", () => {
  it("judges filters built in code, field by field", () => {
    expect(eventFilterProblems({ actorId: "a", from: "2026-01-01T00:00:00Z" })).toEqual([]);
    expect(
      eventFilterProblems({
        risk: "extreme" as never,
        action: "app.update",
        actionPrefix: "app.",
        from: "2026-02-01",
        to: "2026-01-01",
        tag: 3 as never,
      }),
    ).toEqual([
      { pointer: "/risk", message: "must be one of: low, medium, high, critical" },
      { pointer: "/tag", message: "must be a string (a single value)" },
      { pointer: "/actionPrefix", message: "cannot be combined with an exact action" },
      { pointer: "/to", message: "must be later than from" },
    ]);
  });
});
