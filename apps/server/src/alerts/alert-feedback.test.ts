// Alerts are events in the log, so rules could count them: these tests feed
// every raised alert back to the engine as its alert.raise event, as the
// follower does, and check that it settles (the reliability fuzzer once made
// two rules matching each other's alert messages raise 7,909 alerts).
import type { JsonObject } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { alertRaiseEvent } from "./alert-events.js";
import { ruleOf, T0 } from "./engine/engine-test-events.fixture.js";
import type { ActiveRule, EngineEvent, RaisedAlert } from "./engine/engine-types.js";
import { RuleEngine } from "./engine/rule-engine.js";

const LIMIT = 50;

function engineEvent(index: number, event: JsonObject, ms: number): EngineEvent {
  return {
    index,
    eventId: event.id as string,
    receivedMs: ms,
    occurredMs: Date.parse(event.occurred_at as string),
    event,
    keys: {
      actor: (event.actor as JsonObject).id as string,
      target: null,
      action: event.action as string,
      ip: null,
      workflow: null,
      session: null,
      run: null,
    },
  };
}

/** Every alert `rules` raise from `first`, each appended and evaluated in turn, up to LIMIT. */
function raiseAll(rules: ActiveRule[], first: JsonObject): RaisedAlert[] {
  const engine = new RuleEngine(rules);
  const queue = [engineEvent(0, first, T0)];
  const raised: RaisedAlert[] = [];
  for (let e = queue.shift(); e !== undefined && raised.length < LIMIT; e = queue.shift()) {
    for (const alert of engine.observe(e)) {
      raised.push(alert);
      const rule = rules.find((r) => r.id === alert.rule_id) as ActiveRule;
      queue.push(engineEvent(e.index + queue.length + 1, alertRaiseEvent(alert, rule) as JsonObject, e.receivedMs + 1));
    }
  }
  return raised;
}

const deploy: JsonObject = {
  id: "evt_deploy",
  action: "app.deploy",
  occurred_at: new Date(T0).toISOString(),
  actor: { type: "user", id: "usr_ada" },
  target: { type: "app", id: "app_1" },
  message: "deploy of matching events",
};

const rule = (id: string, query: string): ActiveRule => {
  const base = ruleOf({ type: "threshold", query, count: 1, window_seconds: 60 }, { id });
  return { ...base, definition: { ...base.definition, name: id } };
};

describe("alerts fed back to the rules", () => {
  it("a rule whose words match alert messages does not count alerts, so two of them do not loop", () => {
    // "matching" is in the event's message and in every threshold alert's message.
    const raised = raiseAll([rule("rul_a", "matching"), rule("rul_b", "matching")], deploy);
    expect(raised.map((a) => a.rule_id).sort()).toEqual(["rul_a", "rul_b"]);
  });

  it("a rule naming alert.raise counts other rules' alerts once, and no rule counts what it raised", () => {
    const raised = raiseAll(
      [rule("rul_deploy", "action:app.deploy"), rule("rul_m1", "action:alert.raise"), rule("rul_m2", "action:alert.*")],
      deploy,
    );
    // The deploy raises one alert; each alert rule counts that one, and neither counts the other's.
    expect(raised.map((a) => a.rule_id).sort()).toEqual(["rul_deploy", "rul_m1", "rul_m2"]);
    const m1 = raised.find((a) => a.rule_id === "rul_m1");
    const first = raised.find((a) => a.rule_id === "rul_deploy");
    expect(m1?.matched_event_ids).toEqual([first?.id]);
  });

  it("marks the alerts of a rule naming alert.raise, and only those", () => {
    const alertRule = rule("rul_m1", "action:alert.raise");
    const plain = rule("rul_deploy", "action:app.deploy");
    const [alert] = new RuleEngine([plain]).observe(engineEvent(0, deploy, T0)) as [RaisedAlert];
    expect((alertRaiseEvent(alert, plain).metadata as JsonObject).counts_alerts).toBeUndefined();
    expect((alertRaiseEvent({ ...alert, rule_id: "rul_m1" }, alertRule).metadata as JsonObject).counts_alerts).toBe(
      true,
    );
  });
});
