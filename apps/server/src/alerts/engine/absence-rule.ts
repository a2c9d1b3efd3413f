// absence: an expected event did not arrive. With a cron `schedule`, every
// time it names expects a matching event that occurred between that time and
// `grace_seconds` after it (a nightly workflow's workflow.run.finish); with
// `silence_seconds`, a source (or each group of one) is expected to keep
// sending and raises once when it falls silent that long, and again only
// after it spoke. The clock is the log's received_at, moved on by ticks while
// the log is quiet; a slot is judged once its grace has passed on it, so an
// event later than that arrives after its alert (docs/alerts.md).
import type { JsonObject } from "@trailproof/core";
import type { AbsenceCondition } from "@trailproof/protocol";
import { CronExpressionParser } from "cron-parser";
import { alertIdOf } from "./alert-id.js";
import { compileQuery, type EventMatcher, groupOf } from "./compiled-query.js";
import type { ActiveRule, EngineEvent, RaisedAlert, RuleEvaluator } from "./engine-types.js";

interface GroupState {
  /** When the group was first seen (ms): slots before it expect nothing of it. */
  since: number;
  /** Occurred times of matching events not yet past every slot they could fill, sorted. */
  seen: number[];
  /** The newest matching event: its occurred time and id (silence). */
  last: number;
  lastId: string;
  /** The silence already raised for `lastId`. */
  silenced: boolean;
}

interface AbsenceState {
  groups: Record<string, GroupState>;
  /** The next slot of the schedule still to judge (ms). */
  nextSlot: number | null;
  now: number;
}

/** Slots judged per clock move at most; the rest follow at the next one. */
const MAX_SLOTS_PER_ADVANCE = 1000;
const MAX_SEEN = 1000;

export class AbsenceRule implements RuleEvaluator {
  readonly #rule: ActiveRule;
  readonly #c: AbsenceCondition;
  readonly #matches: EventMatcher;
  readonly #graceMs: number;
  readonly #state: AbsenceState;

  constructor(rule: ActiveRule, state: JsonObject | undefined) {
    this.#rule = rule;
    this.#c = rule.definition.condition as AbsenceCondition;
    this.#matches = compileQuery(this.#c.query, rule.id);
    this.#graceMs = (this.#c.grace_seconds ?? 0) * 1000;
    this.#state = (state as unknown as AbsenceState | undefined) ?? this.#initial();
  }

  observe(e: EngineEvent): RaisedAlert[] {
    // Judge what was due before this entry arrived, then count it.
    const raised = this.advance(e.receivedMs);
    if (!this.#matches(e)) return raised;
    const group = groupOf(e, this.#c.group_by);
    if (group === undefined) return raised;
    const key = group ?? "";
    let g = this.#state.groups[key];
    if (g === undefined) {
      g = { since: e.occurredMs, seen: [], last: 0, lastId: "", silenced: false };
      this.#state.groups[key] = g;
    }
    if (e.occurredMs >= g.last) {
      g.last = e.occurredMs;
      g.lastId = e.eventId;
      g.silenced = false;
    }
    const at = g.seen.findIndex((t) => t > e.occurredMs);
    g.seen.splice(at < 0 ? g.seen.length : at, 0, e.occurredMs);
    if (g.seen.length > MAX_SEEN) g.seen.splice(0, g.seen.length - MAX_SEEN);
    return raised;
  }

  advance(nowMs: number): RaisedAlert[] {
    if (nowMs <= this.#state.now) return [];
    this.#state.now = nowMs;
    return this.#c.schedule === undefined ? this.#silences() : this.#slots();
  }

  snapshot(): JsonObject {
    return this.#state as unknown as JsonObject;
  }

  #initial(): AbsenceState {
    const groups: Record<string, GroupState> = {};
    // Ungrouped: the one source is expected from the moment the rule exists.
    if ((this.#c.group_by ?? []).length === 0) {
      groups[""] = { since: this.#rule.fromMs, seen: [], last: this.#rule.fromMs, lastId: "", silenced: false };
    }
    return {
      groups,
      nextSlot: this.#c.schedule === undefined ? null : this.#slotAfter(this.#rule.fromMs),
      now: 0,
    };
  }

  #slotAfter(ms: number): number {
    const cron = CronExpressionParser.parse(this.#c.schedule as string, {
      currentDate: new Date(ms),
      tz: this.#c.timezone ?? "UTC",
    });
    return cron.next().getTime();
  }

  #slots(): RaisedAlert[] {
    const raised: RaisedAlert[] = [];
    for (let n = 0; n < MAX_SLOTS_PER_ADVANCE; n += 1) {
      const slot = this.#state.nextSlot as number;
      const deadline = slot + this.#graceMs;
      if (deadline >= this.#state.now) break;
      for (const [key, g] of Object.entries(this.#state.groups)) {
        if (g.since > slot && key !== "") continue;
        const filled = g.seen.some((t) => t >= slot && t <= deadline);
        if (!filled) raised.push(this.#alert(key, slot, deadline));
      }
      this.#state.nextSlot = this.#slotAfter(slot);
      for (const g of Object.values(this.#state.groups)) {
        g.seen = g.seen.filter((t) => t >= (this.#state.nextSlot as number));
      }
    }
    return raised;
  }

  #silences(): RaisedAlert[] {
    const silenceMs = (this.#c.silence_seconds ?? 0) * 1000;
    const raised: RaisedAlert[] = [];
    for (const [key, g] of Object.entries(this.#state.groups)) {
      g.seen = [];
      if (g.silenced || this.#state.now - g.last < silenceMs) continue;
      g.silenced = true;
      raised.push(this.#alert(key, g.last, g.last + silenceMs, g.lastId));
    }
    return raised;
  }

  #alert(key: string, from: number, deadline: number, anchor?: string): RaisedAlert {
    const { id, version, definition } = this.#rule;
    const group = key === "" ? null : key;
    const what =
      this.#c.schedule === undefined
        ? `no matching event for ${this.#c.silence_seconds} s since ${new Date(from).toISOString()}`
        : `no matching event for the run scheduled at ${new Date(from).toISOString()} (${this.#c.schedule}) within ${this.#c.grace_seconds ?? 0} s`;
    return {
      id: alertIdOf([id, version, group, anchor ?? from]),
      rule_id: id,
      rule_version: version,
      type: "absence",
      severity: definition.severity,
      message: `${definition.name}: ${what}${group === null ? "" : ` for ${group}`}`,
      matched_event_ids: [],
      group,
      occurred_at: new Date(deadline).toISOString(),
      window_start: new Date(from).toISOString(),
      window_end: new Date(deadline).toISOString(),
    };
  }
}
