// sequence: the steps happen in order, sharing one actor (or run, session,
// target), within `within_seconds` of the first. Steps are taken in log
// order and their occurred_at may not go back (a late event cannot slot in
// before a step already taken). With `not_followed_by`, a completed sequence
// waits until its time limit passes and raises only if none of those steps
// came after its last step; the clock that passes it is the log's received_at
// (or a tick while the log is quiet).
import type { JsonObject } from "@trailproof/core";
import type { SequenceCondition } from "@trailproof/protocol";
import { alertIdOf } from "./alert-id.js";
import { compileQuery, type EventMatcher } from "./compiled-query.js";
import {
  type ActiveRule,
  DEFAULT_LATENESS_MS,
  type EngineEvent,
  type RaisedAlert,
  type RuleEvaluator,
} from "./engine-types.js";

interface Partial {
  /** Steps taken so far, with their event ids and occurred times. */
  ids: string[];
  first: number;
  last: number;
}

interface SequenceState {
  /** Per key: partial sequences in progress, oldest first. */
  open: Record<string, Partial[]>;
  /** Per key: complete sequences waiting out not_followed_by. */
  waiting: Record<string, Partial[]>;
  now: number;
  /** Events left out for arriving later than the lateness bound. */
  late: number;
}

/** Per key, at most this many sequences in progress (the oldest go first). */
const MAX_PARTIALS = 50;

interface Step {
  matches: EventMatcher;
  self: boolean;
}

export class SequenceRule implements RuleEvaluator {
  readonly #rule: ActiveRule;
  readonly #c: SequenceCondition;
  readonly #steps: Step[];
  readonly #unless: Step[];
  readonly #withinMs: number;
  readonly #lateness: number;
  readonly #state: SequenceState;

  constructor(rule: ActiveRule, state: JsonObject | undefined, lateness = DEFAULT_LATENESS_MS) {
    this.#rule = rule;
    this.#c = rule.definition.condition as SequenceCondition;
    const step = (s: { query: string; self?: boolean }): Step => ({
      matches: compileQuery(s.query, rule.id),
      self: s.self === true,
    });
    this.#steps = this.#c.steps.map(step);
    this.#unless = (this.#c.not_followed_by ?? []).map(step);
    this.#withinMs = this.#c.within_seconds * 1000;
    this.#lateness = lateness;
    this.#state = (state as unknown as SequenceState | undefined) ?? { open: {}, waiting: {}, now: 0, late: 0 };
  }

  observe(e: EngineEvent): RaisedAlert[] {
    const raised = this.#due(e.receivedMs);
    const key = e.keys[this.#c.by];
    if (key === null) return raised;
    // Older than the lateness bound: it can neither start nor continue a sequence.
    if (e.occurredMs < this.#state.now - this.#lateness) {
      if (this.#steps.some((s) => stepMatches(s, e))) this.#state.late += 1;
      return raised;
    }
    // A step that cancels a waiting sequence of this key.
    const waiting = this.#state.waiting[key];
    if (waiting !== undefined && this.#unless.some((s) => stepMatches(s, e))) {
      const kept = waiting.filter((p) => !(e.occurredMs >= p.last && e.occurredMs <= p.first + this.#withinMs));
      if (kept.length === 0) delete this.#state.waiting[key];
      else this.#state.waiting[key] = kept;
    }
    const open = this.#state.open[key] ?? [];
    const next: Partial[] = [];
    for (const p of open) {
      if (e.occurredMs - p.first > this.#withinMs) continue; // expired
      const step = this.#steps[p.ids.length] as Step;
      if (e.occurredMs >= p.last && stepMatches(step, e)) {
        const grown = { ids: [...p.ids, e.eventId], first: p.first, last: e.occurredMs };
        if (grown.ids.length === this.#steps.length) raised.push(...this.#complete(key, grown));
        else next.push(grown);
        // The event is used by the oldest sequence it continues; others stay as they were.
        next.push(...open.slice(open.indexOf(p) + 1).filter((q) => e.occurredMs - q.first <= this.#withinMs));
        this.#setOpen(key, next, e);
        return raised;
      }
      next.push(p);
    }
    this.#setOpen(key, next, e);
    return raised;
  }

  advance(nowMs: number): RaisedAlert[] {
    const raised = this.#due(nowMs);
    // A sequence whose time limit ended before the lateness bound can only be continued by a late event.
    const stale = this.#state.now - this.#lateness - this.#withinMs;
    for (const [key, open] of Object.entries(this.#state.open)) {
      const kept = open.filter((p) => p.first >= stale);
      if (kept.length === 0) delete this.#state.open[key];
      else if (kept.length !== open.length) this.#state.open[key] = kept;
    }
    return raised;
  }

  /** Moves the clock and raises the waiting sequences whose time limit passed. */
  #due(nowMs: number): RaisedAlert[] {
    this.#state.now = Math.max(this.#state.now, nowMs);
    const raised: RaisedAlert[] = [];
    for (const [key, waiting] of Object.entries(this.#state.waiting)) {
      const due = waiting.filter((p) => p.first + this.#withinMs < this.#state.now);
      if (due.length === 0) continue;
      for (const p of due) raised.push(this.#alert(key, p));
      const kept = waiting.filter((p) => !due.includes(p));
      if (kept.length === 0) delete this.#state.waiting[key];
      else this.#state.waiting[key] = kept;
    }
    return raised;
  }

  snapshot(): JsonObject {
    return this.#state as unknown as JsonObject;
  }

  /** Starts a new sequence at `e` if it is a first step, then stores the key's sequences. */
  #setOpen(key: string, open: Partial[], e: EngineEvent): void {
    const first = this.#steps[0] as Step;
    if (stepMatches(first, e)) open.push({ ids: [e.eventId], first: e.occurredMs, last: e.occurredMs });
    if (open.length > MAX_PARTIALS) open.splice(0, open.length - MAX_PARTIALS);
    if (open.length === 0) delete this.#state.open[key];
    else this.#state.open[key] = open;
  }

  #complete(key: string, p: Partial): RaisedAlert[] {
    if (this.#unless.length === 0) return [this.#alert(key, p)];
    this.#state.waiting[key] = [...(this.#state.waiting[key] ?? []), p];
    return [];
  }

  #alert(key: string, p: Partial): RaisedAlert {
    const { id, version, definition } = this.#rule;
    const group = `${this.#c.by}=${key}`;
    return {
      id: alertIdOf([id, version, group, p.ids[0] as string]),
      rule_id: id,
      rule_version: version,
      type: "sequence",
      severity: definition.severity,
      message: `${definition.name}: ${p.ids.length} steps in order by the same ${this.#c.by} within ${this.#c.within_seconds} s${this.#unless.length > 0 ? ", not followed by the closing step" : ""}`,
      matched_event_ids: p.ids,
      group,
      occurred_at: new Date(this.#unless.length > 0 ? p.first + this.#withinMs : p.last).toISOString(),
      window_start: new Date(p.first).toISOString(),
      window_end: new Date(p.last).toISOString(),
    };
  }
}

function stepMatches(step: Step, e: EngineEvent): boolean {
  if (!step.matches(e)) return false;
  if (!step.self) return true;
  const actor = e.event.actor as JsonObject | undefined;
  const target = e.event.target as JsonObject | undefined;
  return actor?.id !== undefined && actor.id === target?.id;
}
