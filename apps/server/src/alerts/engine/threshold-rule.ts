// threshold: at least `count` matching events within `window_seconds` of one
// another (by occurred_at), per group. A late event is placed where it
// occurred, so it can complete a window in the past. Once a window raises,
// its events are spent: the next alert of the group needs `count` new ones.
import type { JsonObject } from "@trailproof/core";
import type { ThresholdCondition } from "@trailproof/protocol";
import { alertIdOf } from "./alert-id.js";
import { compileQuery, type EventMatcher, groupOf } from "./compiled-query.js";
import {
  type ActiveRule,
  DEFAULT_LATENESS_MS,
  type EngineEvent,
  MAX_MATCHED_IDS,
  type RaisedAlert,
  type RuleEvaluator,
} from "./engine-types.js";

/** One counted event: [occurred ms, event id]. */
type Mark = [number, string];

interface ThresholdState {
  /** Per group, the counted events still inside the window, sorted by occurrence. */
  groups: Record<string, Mark[]>;
  /** The clock: the newest received_at seen. */
  now: number;
  late: number;
}

/** Per group, at most this many marks are kept (the oldest go first). */
const MAX_MARKS = 10_000;

export class ThresholdRule implements RuleEvaluator {
  readonly #rule: ActiveRule;
  readonly #condition: ThresholdCondition;
  readonly #matches: EventMatcher;
  readonly #windowMs: number;
  readonly #state: ThresholdState;

  constructor(rule: ActiveRule, state: JsonObject | undefined, lateness = DEFAULT_LATENESS_MS) {
    this.#rule = rule;
    this.#condition = rule.definition.condition as ThresholdCondition;
    this.#matches = compileQuery(this.#condition.query, rule.id);
    this.#windowMs = this.#condition.window_seconds * 1000;
    this.#lateness = lateness;
    this.#state = (state as unknown as ThresholdState | undefined) ?? { groups: {}, now: 0, late: 0 };
  }

  readonly #lateness: number;

  observe(e: EngineEvent): RaisedAlert[] {
    this.#state.now = Math.max(this.#state.now, e.receivedMs);
    if (!this.#matches(e)) return [];
    const group = groupOf(e, this.#condition.group_by);
    if (group === undefined) return [];
    if (e.occurredMs < this.#horizon()) {
      this.#state.late += 1;
      return [];
    }
    const key = group ?? "";
    const marks = this.#state.groups[key] ?? [];
    this.#state.groups[key] = marks;
    const at = insertionPoint(marks, e.occurredMs);
    marks.splice(at, 0, [e.occurredMs, e.eventId]);
    if (marks.length > MAX_MARKS) marks.splice(0, marks.length - MAX_MARKS);
    const n = this.#condition.count;
    // Only windows holding the new mark are new: those starting at most n-1 marks before it.
    const pos = at;
    for (let first = Math.max(0, pos - n + 1); first <= pos && first + n - 1 < marks.length; first += 1) {
      const last = first + n - 1;
      const a = marks[first] as Mark;
      const b = marks[last] as Mark;
      if (b[0] - a[0] > this.#windowMs) continue;
      const spent = marks.splice(first, n);
      return [this.#alert(group, spent)];
    }
    return [];
  }

  advance(nowMs: number): RaisedAlert[] {
    this.#state.now = Math.max(this.#state.now, nowMs);
    // A mark can still share a window with an event at the horizon: keep one window more.
    const horizon = this.#horizon() - this.#windowMs;
    for (const [key, marks] of Object.entries(this.#state.groups)) {
      const keep = marks.filter((m) => m[0] >= horizon);
      if (keep.length === 0) delete this.#state.groups[key];
      else if (keep.length !== marks.length) this.#state.groups[key] = keep;
    }
    return [];
  }

  snapshot(): JsonObject {
    return this.#state as unknown as JsonObject;
  }

  /** Events that occurred before this can no longer share a window with one still to come. */
  #horizon(): number {
    return this.#state.now - this.#windowMs - this.#lateness;
  }

  #alert(group: string | null, spent: Mark[]): RaisedAlert {
    const { id, version, definition } = this.#rule;
    const first = spent[0] as Mark;
    const last = spent[spent.length - 1] as Mark;
    const c = this.#condition;
    return {
      id: alertIdOf([id, version, group, last[1]]),
      rule_id: id,
      rule_version: version,
      type: "threshold",
      severity: definition.severity,
      message: `${definition.name}: ${spent.length} matching events within ${c.window_seconds} s${group === null ? "" : ` for ${group}`}`,
      matched_event_ids: spent.slice(0, MAX_MATCHED_IDS).map((m) => m[1]),
      group,
      occurred_at: new Date(last[0]).toISOString(),
      window_start: new Date(first[0]).toISOString(),
      window_end: new Date(last[0]).toISOString(),
    };
  }
}

/** Where a mark at `ms` goes to keep `marks` sorted (after equal times: log order). */
export function insertionPoint(marks: readonly [number, ...unknown[]][], ms: number): number {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((marks[mid] as [number])[0] <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
