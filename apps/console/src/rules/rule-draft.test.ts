// The rule form's state converts to definitions the wire schema accepts, for
// each of the four types, and back without loss.
import { RuleDefinitionSchema } from "@trailproof/protocol";
import { Value } from "typebox/value";
import { describe, expect, it } from "vitest";
import { emptyDraft, fromDefinition, type RuleDraft, toDefinition } from "./rule-draft.js";

const drafts: Record<string, Partial<RuleDraft>> = {
  threshold: { query: "outcome:denied action:permission.*", count: "10", windowMinutes: "5", groupBy: ["actor"] },
  spike: { type: "spike", query: "action:record.export", bucketSeconds: "3600", factor: "2.5", minCount: "50" },
  sequence: {
    type: "sequence",
    by: "actor",
    withinMinutes: "30",
    steps: [
      { query: "action:permission.grant", self: true },
      { query: "action:record.export", self: false },
    ],
    notFollowedBy: [{ query: "action:permission.revoke", self: false }],
  },
  absence: {
    type: "absence",
    query: "action:workflow.run.finish workflow:wf_nightly",
    schedule: "0 2 * * *",
    timezone: "Europe/Paris",
    graceMinutes: "30",
  },
};

describe("rule drafts", () => {
  for (const [type, fields] of Object.entries(drafts)) {
    it(`build a valid ${type} definition and read it back`, () => {
      const draft = { ...emptyDraft(), name: `a ${type} rule`, severity: "high" as const, ...fields };
      const definition = toDefinition(draft);
      expect([...Value.Errors(RuleDefinitionSchema, definition)]).toEqual([]);
      expect(definition.condition.type).toBe(draft.type);
      expect(toDefinition(fromDefinition(definition))).toEqual(definition);
    });
  }

  it("keeps a number that is none as NaN for the server to name, and minutes as seconds", () => {
    const definition = toDefinition({ ...emptyDraft(), name: "x", count: "ten", windowMinutes: "2.5" });
    expect(definition.condition).toMatchObject({ window_seconds: 150 });
    expect(Number.isNaN((definition.condition as { count: number }).count)).toBe(true);
  });
});
