import { describe, expect, it } from "vitest";
import { eventsOf, MIN, pseudonym, ruleOf, T0 } from "./engine-test-events.fixture.js";
import { RuleEngine } from "./rule-engine.js";

const denied = (actor: string, at: number, received?: number) => ({
  action: "permission.grant",
  outcome: "denied",
  actor,
  at,
  ...(received === undefined ? {} : { received }),
});

const rule = ruleOf({
  type: "threshold",
  query: "outcome:denied action:permission.*",
  count: 3,
  window_seconds: 300,
  group_by: ["actor"],
});

describe("threshold rule", () => {
  it("raises when one actor reaches the count within the window, and not for another actor below it", () => {
    const engine = new RuleEngine([rule]);
    const raised = eventsOf([
      denied("usr_ada", 0),
      denied("usr_bob", MIN),
      denied("usr_ada", 2 * MIN),
      { action: "permission.grant", actor: "usr_ada", at: 3 * MIN }, // success: not counted
      denied("usr_bob", 3 * MIN),
      denied("usr_ada", 4 * MIN),
    ]).flatMap((e) => engine.observe(e));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      type: "threshold",
      group: `actor=${pseudonym("usr_ada")}`,
      matched_event_ids: ["evt_0", "evt_2", "evt_5"],
      window_start: new Date(T0).toISOString(),
      window_end: new Date(T0 + 4 * MIN).toISOString(),
    });
    expect(raised[0]?.message).not.toContain("usr_ada");
  });

  it("does not raise when the events spread wider than the window, and spends a raised window's events", () => {
    const engine = new RuleEngine([rule]);
    const spread = eventsOf([denied("usr_ada", 0), denied("usr_ada", 3 * MIN), denied("usr_ada", 6 * MIN)]);
    expect(spread.flatMap((e) => engine.observe(e))).toEqual([]);
    const burst = new RuleEngine([rule]);
    const six = eventsOf([0, 1, 2, 3, 4, 5].map((m) => denied("usr_ada", m * 1000)));
    const raised = six.flatMap((e) => burst.observe(e));
    expect(raised.map((a) => a.matched_event_ids)).toEqual([
      ["evt_0", "evt_1", "evt_2"],
      ["evt_3", "evt_4", "evt_5"],
    ]);
  });

  it("places a late event where it occurred, and leaves out one later than the lateness bound", () => {
    const engine = new RuleEngine([rule], undefined, { latenessMs: 60 * MIN });
    const raised = eventsOf([
      denied("usr_ada", 0, 0),
      denied("usr_ada", 4 * MIN, 4 * MIN),
      // Occurred between the two, received 30 min later: completes the window.
      denied("usr_ada", 2 * MIN, 34 * MIN),
    ]).flatMap((e) => engine.observe(e));
    expect(raised).toHaveLength(1);
    const tooLate = new RuleEngine([rule], undefined, { latenessMs: 60 * MIN });
    const none = eventsOf([
      denied("usr_ada", 0, 0),
      denied("usr_ada", 4 * MIN, 4 * MIN),
      denied("usr_ada", 2 * MIN, 200 * MIN),
    ]).flatMap((e) => tooLate.observe(e));
    expect(none).toEqual([]);
    expect(tooLate.snapshot().rules.rul_test?.state.late).toBe(1);
  });

  it("resumes from a snapshot exactly as if it had not stopped", () => {
    const events = eventsOf([0, 1, 2, 3, 4, 5, 6, 7].map((m) => denied(m % 2 === 0 ? "usr_ada" : "usr_bob", m * MIN)));
    const straight = new RuleEngine([rule]);
    const all = events.flatMap((e) => straight.observe(e));
    const first = new RuleEngine([rule]);
    const before = events.slice(0, 3).flatMap((e) => first.observe(e));
    const saved = JSON.parse(JSON.stringify(first.snapshot()));
    const resumed = new RuleEngine([rule], saved);
    const after = events.slice(3).flatMap((e) => resumed.observe(e));
    expect([...before, ...after]).toEqual(all);
    expect(all.length).toBe(2);
  });
});
