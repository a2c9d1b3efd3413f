// A back-test: a fresh engine with one rule over a stretch of history, as if
// the rule had existed before it. Live evaluation feeds the same engine the
// same entries, so both raise the same alerts on the same log.
import type { ActiveRule, EngineEvent, RaisedAlert } from "./engine-types.js";
import { RuleEngine, type RuleEngineOptions } from "./rule-engine.js";

/**
 * The alerts `rule` raises over `events` (in log order), with the clock moved
 * on to `untilMs` at the end so absences and time limits due by then count.
 * The rule starts at `range.fromMs`, as live evaluation starts at the event
 * that made the rule; `history` (the entries before, in log order) is counted
 * without raising, as live evaluation seeds a spike rule's baseline.
 */
export async function backtest(
  rule: Omit<ActiveRule, "fromIndex" | "fromMs">,
  events: AsyncIterable<EngineEvent> | Iterable<EngineEvent>,
  range: { fromMs: number; untilMs: number; history?: AsyncIterable<EngineEvent> | Iterable<EngineEvent> },
  options: RuleEngineOptions = {},
): Promise<RaisedAlert[]> {
  const engine = new RuleEngine([{ ...rule, fromIndex: -1, fromMs: range.fromMs }], undefined, options);
  for await (const e of range.history ?? []) engine.seed(rule.id, e);
  const raised: RaisedAlert[] = [];
  for await (const e of events) raised.push(...engine.observe(e));
  raised.push(...engine.advance(range.untilMs));
  return raised;
}
