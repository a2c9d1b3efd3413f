import { describe, expect, it } from "vitest";
import { type Draft, eventsOf, MIN, ruleOf } from "./engine-test-events.fixture.js";
import { RuleEngine } from "./rule-engine.js";

const HOUR = 60 * MIN;
const WEEK = 7 * 24 * HOUR;
const exports = (count: number, at: number): Draft[] =>
  Array.from({ length: count }, (_, i) => ({ action: "record.export", at: at + i * 1000 }));

const rule = ruleOf({
  type: "spike",
  query: "action:record.export",
  bucket_seconds: 3600,
  baseline: "same_hour_of_week",
  baseline_periods: 2,
  factor: 3,
  min_count: 5,
});

describe("spike rule", () => {
  it("raises once when a bucket passes factor x the same hour of the previous weeks, seeded from history", () => {
    const history = eventsOf([...exports(4, -2 * WEEK + 10 * HOUR), ...exports(2, -WEEK + 10 * HOUR)]);
    const engine = new RuleEngine([rule]);
    for (const e of history) engine.seed("rul_test", e);
    // Baseline mean 3, factor 3: the 10th export of the hour passes 9.
    const live = eventsOf(exports(12, 10 * HOUR)).map((e) => ({ ...e, index: e.index + 100 }));
    const raised = live.flatMap((e) => engine.observe(e));
    expect(raised).toHaveLength(1);
    expect(raised[0]?.matched_event_ids).toHaveLength(10);
    expect(raised[0]?.message).toContain("baseline 3.0");
  });

  it("stays quiet under min_count even with no baseline, and under the factor with one", () => {
    const quiet = new RuleEngine([rule]);
    expect(eventsOf(exports(4, 10 * HOUR)).flatMap((e) => quiet.observe(e))).toEqual([]);
    const busy = new RuleEngine([rule]);
    for (const e of eventsOf([...exports(10, -2 * WEEK + 10 * HOUR), ...exports(10, -WEEK + 10 * HOUR)])) {
      busy.seed("rul_test", e);
    }
    expect(eventsOf(exports(25, 10 * HOUR)).flatMap((e) => busy.observe(e))).toEqual([]);
  });

  it("raises a new rule on a fresh tenant once min_count is reached (no history to compare)", () => {
    const fresh = new RuleEngine([rule]);
    const raised = eventsOf(exports(6, 10 * HOUR)).flatMap((e) => fresh.observe(e));
    expect(raised.map((a) => a.matched_event_ids.length)).toEqual([5]);
  });

  it("with same_hour_of_day, compares with the same hour of the previous days", () => {
    const daily = ruleOf({
      type: "spike",
      query: "action:record.export",
      bucket_seconds: 3600,
      baseline: "same_hour_of_day",
      baseline_periods: 3,
      factor: 2,
      min_count: 5,
    });
    const DAY = 24 * HOUR;
    const engine = new RuleEngine([daily]);
    // 4, 4 and 4 at 10:00 on the three days before; 10 at 09:00 the day before does not count.
    for (const e of eventsOf([
      ...exports(4, -3 * DAY + 10 * HOUR),
      ...exports(4, -2 * DAY + 10 * HOUR),
      ...exports(4, -DAY + 10 * HOUR),
      ...exports(10, -DAY + 9 * HOUR),
    ])) {
      engine.seed("rul_test", e);
    }
    const raised = eventsOf(exports(10, 10 * HOUR))
      .map((e) => ({ ...e, index: e.index + 100 }))
      .flatMap((e) => engine.observe(e));
    // Baseline 4, factor 2: the 9th export passes 8.
    expect(raised.map((a) => a.matched_event_ids.length)).toEqual([9]);
    expect(raised[0]?.message).toContain("baseline 4.0");
  });
});
