import { seededRandom } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { backtest } from "./backtest.js";
import { type Draft, eventsOf, MIN, ruleOf, T0 } from "./engine-test-events.fixture.js";
import type { ActiveRule, EngineEvent, RaisedAlert } from "./engine-types.js";
import { RuleEngine } from "./rule-engine.js";

const ACTORS = ["usr_ada", "usr_bob", "usr_eve", "svc_sync"];
const ACTIONS = ["permission.grant", "permission.revoke", "record.export", "workflow.run.finish", "app.update"];

/** A day of mixed activity, some of it late, in log order. */
function mixedLog(seed: number, count: number): EngineEvent[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const drafts: Draft[] = [];
  let clock = 0;
  for (let i = 0; i < count; i += 1) {
    clock += Math.floor(random() * 20_000);
    const actor = pick(ACTORS);
    const late = random() < 0.05 ? Math.floor(random() * 30 * MIN) : 0;
    drafts.push({
      action: pick(ACTIONS),
      actor,
      target: random() < 0.3 ? `user:${actor}` : "page:checkout",
      outcome: random() < 0.4 ? "denied" : "success",
      workflow: random() < 0.5 ? "wf_nightly" : "wf_sync",
      at: clock - late,
      received: clock,
    });
  }
  return eventsOf(drafts);
}

const rules: ActiveRule[] = [
  ruleOf(
    {
      type: "threshold",
      query: "outcome:denied action:permission.*",
      count: 4,
      window_seconds: 300,
      group_by: ["actor"],
    },
    { id: "rul_a" },
  ),
  ruleOf(
    {
      type: "spike",
      query: "action:record.export",
      bucket_seconds: 900,
      baseline: "previous_buckets",
      baseline_periods: 4,
      factor: 2,
      min_count: 6,
    },
    { id: "rul_b" },
  ),
  ruleOf(
    {
      type: "sequence",
      by: "actor",
      within_seconds: 900,
      steps: [{ query: "action:permission.grant", self: true }, { query: "action:record.export" }],
      not_followed_by: [{ query: "action:permission.revoke" }],
    },
    { id: "rul_c" },
  ),
  ruleOf(
    {
      type: "absence",
      query: "action:workflow.run.finish workflow:wf_nightly",
      schedule: "*/30 * * * *",
      grace_seconds: 300,
    },
    { id: "rul_d" },
  ),
];

function runAll(engine: RuleEngine, events: readonly EngineEvent[]): RaisedAlert[] {
  return events.flatMap((e) => engine.observe(e));
}

describe("rule engine", () => {
  const log = mixedLog(7, 3000);

  it("raises alerts of every type over a mixed log, and the same alerts when the log is replayed", () => {
    const first = runAll(new RuleEngine(rules), log);
    const second = runAll(new RuleEngine(rules), log);
    expect(new Set(first.map((a) => a.type))).toEqual(new Set(["threshold", "spike", "sequence", "absence"]));
    expect(second).toEqual(first);
    expect(new Set(first.map((a) => a.id)).size).toBe(first.length);
  });

  it("stopped and resumed from its snapshot at any point, raises exactly what an uninterrupted run does", () => {
    const straight = runAll(new RuleEngine(rules), log);
    const random = seededRandom(11);
    const resumed: RaisedAlert[] = [];
    let engine = new RuleEngine(rules);
    for (const e of log) {
      resumed.push(...engine.observe(e));
      if (random() < 0.01) engine = new RuleEngine(rules, JSON.parse(JSON.stringify(engine.snapshot())));
    }
    expect(resumed).toEqual(straight);
  });

  it("a back-test over the log raises what live evaluation raised, clock ticks included", async () => {
    const live = new RuleEngine(rules);
    const raised = runAll(live, log);
    const end = (log.at(-1) as EngineEvent).receivedMs + 60 * MIN;
    raised.push(...live.advance(end));
    const tested: RaisedAlert[] = [];
    for (const rule of rules) tested.push(...(await backtest(rule, log, { fromMs: T0, untilMs: end })));
    const byId = (list: RaisedAlert[]) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(byId(tested)).toEqual(byId(raised));
  });

  it("a new rule version starts afresh at its index; the other rules keep their state", () => {
    const engine = new RuleEngine(rules);
    runAll(engine, log.slice(0, 100));
    const before = engine.snapshot();
    const changed = rules.map((r) => (r.id === "rul_a" ? { ...r, version: 2, fromIndex: 99 } : r));
    engine.setRules(changed);
    const after = engine.snapshot();
    expect(after.rules.rul_a?.version).toBe(2);
    expect(after.rules.rul_a?.state).not.toEqual(before.rules.rul_a?.state);
    expect(after.rules.rul_b).toEqual(before.rules.rul_b);
    engine.setRules(changed.filter((r) => r.id !== "rul_c"));
    expect(Object.keys(engine.snapshot().rules)).toEqual(["rul_a", "rul_b", "rul_d"]);
  });

  it("evaluates only the entries after the event that made the rule", () => {
    const late = ruleOf(
      { type: "threshold", query: "action:app.update", count: 1, window_seconds: 60 },
      { id: "rul_e", fromIndex: 10 },
    );
    const raised = runAll(new RuleEngine([late]), log.slice(0, 50));
    expect(raised.every((a) => Number(a.matched_event_ids[0]?.slice(4)) > 10)).toBe(true);
    expect(raised.length).toBeGreaterThan(0);
  });
});
