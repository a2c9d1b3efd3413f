import { describe, expect, it } from "vitest";
import { eventsOf, MIN, ruleOf, T0 } from "./engine-test-events.fixture.js";
import { RuleEngine } from "./rule-engine.js";

const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("absence rule", () => {
  it("raises for the night whose scheduled workflow.run.finish never came, once its grace passed", () => {
    const rule = ruleOf({
      type: "absence",
      query: "action:workflow.run.finish workflow:wf_nightly",
      schedule: "0 2 * * *",
      grace_seconds: 1800,
    });
    const engine = new RuleEngine([rule]);
    const finish = (day: number) => ({
      action: "workflow.run.finish",
      workflow: "wf_nightly",
      at: day * DAY + 2 * HOUR + 10 * MIN,
    });
    const noise = (at: number) => ({ action: "app.update", at });
    // Nights 0 and 2 finish; night 1 does not.
    const events = eventsOf([finish(0), noise(DAY + 12 * HOUR), noise(2 * DAY), finish(2), noise(3 * DAY)]);
    const raised = events.flatMap((e) => engine.observe(e));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      type: "absence",
      matched_event_ids: [],
      window_start: new Date(T0 + DAY + 2 * HOUR).toISOString(),
      occurred_at: new Date(T0 + DAY + 2 * HOUR + 30 * MIN).toISOString(),
    });
    // The clock alone (a quiet log) judges the next night: its finish is missing too.
    expect(engine.advance(T0 + 3 * DAY + 3 * HOUR)).toHaveLength(1);
    expect(engine.advance(T0 + 3 * DAY + 4 * HOUR)).toEqual([]);
  });

  it("expects each workflow seen on the schedule when grouped by workflow", () => {
    const rule = ruleOf({
      type: "absence",
      query: "action:workflow.run.finish",
      schedule: "0 * * * *",
      grace_seconds: 600,
      group_by: ["workflow"],
    });
    const engine = new RuleEngine([rule]);
    const run = (wf: string, hour: number) => ({
      action: "workflow.run.finish",
      workflow: wf,
      at: hour * HOUR + 5 * MIN,
    });
    const raised = eventsOf([run("wf_a", 1), run("wf_b", 1), run("wf_a", 2), run("wf_a", 3), run("wf_b", 3)]).flatMap(
      (e) => engine.observe(e),
    );
    expect(raised.map((a) => a.group)).toEqual(["workflow=wf_b"]);
    expect(raised[0]?.window_start).toBe(new Date(T0 + 2 * HOUR).toISOString());
  });

  it("raises once when a source falls silent, and again only after it spoke", () => {
    const rule = ruleOf({ type: "absence", query: "action:record.update", silence_seconds: 3600 });
    const engine = new RuleEngine([rule]);
    const events = eventsOf([{ action: "record.update", at: 10 * MIN }]);
    expect(events.flatMap((e) => engine.observe(e))).toEqual([]);
    expect(engine.advance(T0 + 60 * MIN)).toEqual([]);
    expect(engine.advance(T0 + 71 * MIN)).toHaveLength(1);
    expect(engine.advance(T0 + 200 * MIN)).toEqual([]);
  });
});
