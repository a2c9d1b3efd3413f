import { describe, expect, it } from "vitest";
import { eventsOf, MIN, pseudonym, ruleOf } from "./engine-test-events.fixture.js";
import type { EngineEvent } from "./engine-types.js";
import { RuleEngine } from "./rule-engine.js";

const steps = [
  { query: "action:permission.grant", self: true },
  { query: "action:record.export" },
  { query: "action:permission.revoke" },
];
const rule = ruleOf({ type: "sequence", by: "actor", within_seconds: 3600, steps });

describe("sequence rule", () => {
  it("raises on grant-to-self, export, revoke by one actor in order within the limit", () => {
    const engine = new RuleEngine([rule]);
    const raised = eventsOf([
      { action: "permission.grant", actor: "usr_eve", target: "user:usr_eve", at: 0 },
      { action: "record.export", actor: "usr_bob", at: MIN }, // another actor
      { action: "record.export", actor: "usr_eve", at: 2 * MIN },
      { action: "permission.revoke", actor: "usr_eve", target: "user:usr_eve", at: 3 * MIN },
    ]).flatMap((e) => engine.observe(e));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      type: "sequence",
      group: `actor=${pseudonym("usr_eve")}`,
      matched_event_ids: ["evt_0", "evt_2", "evt_3"],
    });
  });

  it("does not raise for a grant to someone else, steps out of order, or past the limit", () => {
    const other = eventsOf([
      { action: "permission.grant", actor: "usr_eve", target: "user:usr_bob", at: 0 },
      { action: "record.export", actor: "usr_eve", at: MIN },
      { action: "permission.revoke", actor: "usr_eve", at: 2 * MIN },
    ]);
    const disorder = eventsOf([
      { action: "record.export", actor: "usr_eve", at: 0 },
      { action: "permission.grant", actor: "usr_eve", target: "user:usr_eve", at: MIN },
      { action: "permission.revoke", actor: "usr_eve", at: 2 * MIN },
    ]);
    const slow = eventsOf([
      { action: "permission.grant", actor: "usr_eve", target: "user:usr_eve", at: 0 },
      { action: "record.export", actor: "usr_eve", at: 30 * MIN },
      { action: "permission.revoke", actor: "usr_eve", at: 61 * MIN },
    ]);
    for (const events of [other, disorder, slow]) {
      const engine = new RuleEngine([rule]);
      expect(events.flatMap((e) => engine.observe(e))).toEqual([]);
    }
  });

  it("with not_followed_by, raises only once the limit passed without the closing step", () => {
    const unless = ruleOf({
      type: "sequence",
      by: "actor",
      within_seconds: 600,
      steps: [{ query: "action:permission.grant", self: true }, { query: "action:record.export" }],
      not_followed_by: [{ query: "action:permission.revoke" }],
    });
    const closed = new RuleEngine([unless]);
    const closedRaised = eventsOf([
      { action: "permission.grant", actor: "usr_eve", target: "user:usr_eve", at: 0 },
      { action: "record.export", actor: "usr_eve", at: MIN },
      { action: "permission.revoke", actor: "usr_eve", at: 2 * MIN },
      { action: "app.update", actor: "usr_bob", at: 20 * MIN },
    ]).flatMap((e) => closed.observe(e));
    expect(closedRaised).toEqual([]);

    const open = new RuleEngine([unless]);
    const [grant, exported] = eventsOf([
      { action: "permission.grant", actor: "usr_eve", target: "user:usr_eve", at: 0 },
      { action: "record.export", actor: "usr_eve", at: MIN },
    ]) as [EngineEvent, EngineEvent];
    expect([grant, exported].flatMap((e) => open.observe(e))).toEqual([]);
    expect(open.advance(exported.receivedMs + 5 * MIN)).toEqual([]);
    const due = open.advance(grant.receivedMs + 11 * MIN);
    expect(due).toHaveLength(1);
    expect(due[0]?.occurred_at).toBe(new Date(grant.occurredMs + 10 * MIN).toISOString());
    expect(open.advance(grant.receivedMs + 20 * MIN)).toEqual([]);
  });
});
