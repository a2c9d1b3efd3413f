// The alert engine: every active rule of one tenant over that tenant's log.
// observe() takes committed entries in log order, advance() moves the clock
// while the log is quiet, snapshot() is the whole state as JSON. The service
// keeps the snapshot with its cursor (alerts/alert-follower.ts); a back-test
// runs a fresh engine over history (backtest.ts), so live evaluation and a
// back-test of the same log raise the same alerts.
import type { JsonObject } from "@trailproof/core";
import { AbsenceRule } from "./absence-rule.js";
import type { ActiveRule, EngineEvent, RaisedAlert, RuleEvaluator } from "./engine-types.js";
import { SequenceRule } from "./sequence-rule.js";
import { SpikeRule } from "./spike-rule.js";
import { ThresholdRule } from "./threshold-rule.js";

export interface EngineSnapshot {
  /** Per rule id: the version evaluated and its evaluator's state. */
  rules: Record<string, { version: number; state: JsonObject }>;
}

export interface RuleEngineOptions {
  /** How late an event may arrive and still count (engine-types.ts DEFAULT_LATENESS_MS). */
  latenessMs?: number;
}

/** Entries between two prunings of what the clock has passed. */
const PRUNE_EVERY = 256;

interface Loaded {
  rule: ActiveRule;
  evaluator: RuleEvaluator;
}

export class RuleEngine {
  readonly #options: RuleEngineOptions;
  #loaded: Loaded[] = [];

  constructor(rules: readonly ActiveRule[], snapshot?: EngineSnapshot, options: RuleEngineOptions = {}) {
    this.#options = options;
    this.setRules(rules, snapshot);
  }

  /**
   * The rules in force from now on. A rule at the version it had keeps its
   * state; a new version starts afresh; a rule left out is dropped.
   */
  setRules(rules: readonly ActiveRule[], snapshot: EngineSnapshot = this.snapshot()): void {
    const sorted = [...rules].filter((r) => r.definition.enabled !== false).sort((a, b) => (a.id < b.id ? -1 : 1));
    this.#loaded = sorted.map((rule) => {
      const kept = snapshot.rules[rule.id];
      const current = this.#loaded.find((l) => l.rule.id === rule.id && l.rule.version === rule.version);
      if (current !== undefined) return current;
      const state = kept !== undefined && kept.version === rule.version ? kept.state : undefined;
      return { rule, evaluator: this.#evaluator(rule, state) };
    });
  }

  get rules(): readonly ActiveRule[] {
    return this.#loaded.map((l) => l.rule);
  }

  /** The alerts entry `e` completes, rule by rule (ordered by rule id). */
  observe(e: EngineEvent): RaisedAlert[] {
    const raised: RaisedAlert[] = [];
    for (const { rule, evaluator } of this.#loaded) {
      if (e.index > rule.fromIndex) raised.push(...evaluator.observe(e));
    }
    // Now and then, let state the clock has passed go (by index, so every run prunes alike).
    if (e.index % PRUNE_EVERY === 0) raised.push(...this.advance(e.receivedMs));
    return raised;
  }

  /** Counts `e` as history of the rule `ruleId` without raising (a spike baseline). */
  seed(ruleId: string, e: EngineEvent): void {
    this.#loaded.find((l) => l.rule.id === ruleId)?.evaluator.seed?.(e);
  }

  /** The clock is at `nowMs` with no entry to show for it: absences and time limits that passed. */
  advance(nowMs: number): RaisedAlert[] {
    return this.#loaded.flatMap(({ evaluator }) => evaluator.advance(nowMs));
  }

  snapshot(): EngineSnapshot {
    const rules: EngineSnapshot["rules"] = {};
    for (const { rule, evaluator } of this.#loaded) {
      rules[rule.id] = { version: rule.version, state: structuredClone(evaluator.snapshot()) };
    }
    return { rules };
  }

  #evaluator(rule: ActiveRule, state: JsonObject | undefined): RuleEvaluator {
    const lateness = this.#options.latenessMs;
    switch (rule.definition.condition.type) {
      case "threshold":
        return new ThresholdRule(rule, state, lateness);
      case "spike":
        return new SpikeRule(rule, state, lateness);
      case "sequence":
        return new SequenceRule(rule, state, lateness);
      case "absence":
        return new AbsenceRule(rule, state);
    }
  }
}
