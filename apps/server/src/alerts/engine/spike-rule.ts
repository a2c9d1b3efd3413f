// spike: the count of matching events in one bucket (UTC-aligned, by
// occurred_at) is more than `factor` times its baseline and at least
// `min_count`. The baseline is the mean count of the same bucket of the day
// over the previous days (same_hour_of_day), of the week over the previous
// weeks (same_hour_of_week), or of the buckets just before (previous_buckets). A new rule learns its baseline from the history before
// it (seed); a bucket raises once, at the event that crosses the line.
import type { JsonObject } from "@trailproof/core";
import type { SpikeCondition } from "@trailproof/protocol";
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

const DAY_MS = 86_400_000;

/** How far back each bucket of a spike rule's baseline lies from the one before it. */
export function baselineStepMs(c: SpikeCondition): number {
  if (c.baseline === "same_hour_of_day") return DAY_MS;
  if (c.baseline === "same_hour_of_week") return 7 * DAY_MS;
  return c.bucket_seconds * 1000;
}

interface SpikeState {
  /** Per group, per bucket start (ms, as a string key): the count. */
  counts: Record<string, Record<string, number>>;
  /** Per group, per bucket: the first events of the bucket (for the alert to name). */
  recent: Record<string, Record<string, string[]>>;
  /** "group|bucket" of the buckets that raised already. */
  raised: string[];
  now: number;
  late: number;
}

export class SpikeRule implements RuleEvaluator {
  readonly #rule: ActiveRule;
  readonly #c: SpikeCondition;
  readonly #matches: EventMatcher;
  readonly #bucketMs: number;
  readonly #lateness: number;
  readonly #state: SpikeState;

  constructor(rule: ActiveRule, state: JsonObject | undefined, lateness = DEFAULT_LATENESS_MS) {
    this.#rule = rule;
    this.#c = rule.definition.condition as SpikeCondition;
    this.#matches = compileQuery(this.#c.query, rule.id);
    this.#bucketMs = this.#c.bucket_seconds * 1000;
    this.#lateness = lateness;
    this.#state = (state as unknown as SpikeState | undefined) ?? {
      counts: {},
      recent: {},
      raised: [],
      now: 0,
      late: 0,
    };
  }

  seed(e: EngineEvent): void {
    if (!this.#matches(e)) return;
    const group = groupOf(e, this.#c.group_by);
    if (group === undefined) return;
    this.#count(group ?? "", this.#bucketOf(e.occurredMs), e.eventId);
  }

  observe(e: EngineEvent): RaisedAlert[] {
    this.#state.now = Math.max(this.#state.now, e.receivedMs);
    if (!this.#matches(e)) return [];
    const group = groupOf(e, this.#c.group_by);
    if (group === undefined) return [];
    const bucket = this.#bucketOf(e.occurredMs);
    // A bucket closed longer ago than the lateness allows is history: counted for baselines, never raised.
    const late = bucket + this.#bucketMs + this.#lateness < this.#state.now;
    const key = group ?? "";
    const count = this.#count(key, bucket, e.eventId);
    if (late) {
      this.#state.late += 1;
      return [];
    }
    const mark = `${key}|${bucket}`;
    if (count < this.#c.min_count || this.#state.raised.includes(mark)) return [];
    const baseline = this.#baseline(key, bucket);
    if (count <= baseline * this.#c.factor) return [];
    this.#state.raised.push(mark);
    return [this.#alert(group, bucket, count, baseline)];
  }

  advance(nowMs: number): RaisedAlert[] {
    this.#state.now = Math.max(this.#state.now, nowMs);
    // Keep what a baseline can still read: the history span plus the lateness.
    const keepFrom = this.#bucketOf(this.#state.now - this.#historyMs() - this.#bucketMs - this.#lateness);
    for (const [group, buckets] of Object.entries(this.#state.counts)) {
      for (const b of Object.keys(buckets)) {
        if (Number(b) < keepFrom) {
          delete buckets[b];
          delete this.#state.recent[group]?.[b];
        }
      }
      if (Object.keys(buckets).length === 0) {
        delete this.#state.counts[group];
        delete this.#state.recent[group];
      }
    }
    const lastOpen = this.#bucketOf(this.#state.now - this.#bucketMs - this.#lateness);
    this.#state.raised = this.#state.raised.filter((m) => Number(m.slice(m.lastIndexOf("|") + 1)) >= lastOpen);
    return [];
  }

  snapshot(): JsonObject {
    return this.#state as unknown as JsonObject;
  }

  #historyMs(): number {
    return baselineStepMs(this.#c) * this.#c.baseline_periods;
  }

  #bucketOf(ms: number): number {
    return Math.floor(ms / this.#bucketMs) * this.#bucketMs;
  }

  #count(group: string, bucket: number, eventId: string): number {
    const buckets = this.#state.counts[group] ?? {};
    this.#state.counts[group] = buckets;
    const count = (buckets[bucket] ?? 0) + 1;
    buckets[bucket] = count;
    const recent = this.#state.recent[group] ?? {};
    this.#state.recent[group] = recent;
    const ids = recent[bucket] ?? [];
    recent[bucket] = ids;
    if (ids.length < MAX_MATCHED_IDS) ids.push(eventId);
    return count;
  }

  /** The mean count of the baseline's buckets (a bucket with no events counts 0). */
  #baseline(group: string, bucket: number): number {
    const step = baselineStepMs(this.#c);
    const buckets = this.#state.counts[group] ?? {};
    let sum = 0;
    for (let k = 1; k <= this.#c.baseline_periods; k += 1) sum += buckets[bucket - k * step] ?? 0;
    return sum / this.#c.baseline_periods;
  }

  #alert(group: string | null, bucket: number, count: number, baseline: number): RaisedAlert {
    const { id, version, definition } = this.#rule;
    const ids = this.#state.recent[group ?? ""]?.[bucket] ?? [];
    return {
      id: alertIdOf([id, version, group, bucket]),
      rule_id: id,
      rule_version: version,
      type: "spike",
      severity: definition.severity,
      message: `${definition.name}: ${count} matching events in the ${this.#c.bucket_seconds} s bucket from ${new Date(bucket).toISOString()}, baseline ${baseline.toFixed(1)}${group === null ? "" : ` for ${group}`}`,
      matched_event_ids: ids.slice(0, MAX_MATCHED_IDS),
      group,
      occurred_at: new Date(bucket).toISOString(),
      window_start: new Date(bucket).toISOString(),
      window_end: new Date(bucket + this.#bucketMs).toISOString(),
    };
  }
}
