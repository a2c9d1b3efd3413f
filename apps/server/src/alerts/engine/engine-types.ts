// The alert engine's contract: a pure function of the rules and the log.
// The service feeds it committed entries in log order (and, while the log is
// quiet, the clock); it answers the alerts they raise. Its whole state is a
// JSON snapshot the service stores with its cursor, so after a restart it
// resumes exactly, and the same log always yields the same alerts.
import type { JsonObject } from "@trailproof/core";
import type { RuleDefinition, RuleGroupField, WireRaisedAlert } from "@trailproof/protocol";

/** One committed entry as the engine sees it. */
export interface EngineEvent {
  index: number;
  eventId: string;
  /** The entry's received_at: the engine's clock (it never goes back with the log). */
  receivedMs: number;
  /** The event's occurred_at: windows, buckets and sequences are measured on it. */
  occurredMs: number;
  /** The committed event (the leaf's JSON): queries match on it. */
  event: JsonObject;
  /**
   * The values a rule may group by, already free of personal data: a person's
   * id or an IP is the tenant's pseudonym of it; null when the event has none.
   */
  keys: Record<RuleGroupField, string | null>;
}

/** One version of a rule, in force for the entries after `fromIndex`. */
export interface ActiveRule {
  id: string;
  version: number;
  definition: RuleDefinition;
  /** The log index of the event that made this version; entries after it are evaluated (-1: all). */
  fromIndex: number;
  /** That event's received_at: where an absence rule starts expecting events. */
  fromMs: number;
}

export type RaisedAlert = WireRaisedAlert;

/** What each rule type implements; `state` is its part of the snapshot. */
export interface RuleEvaluator {
  /** The entry `e`, which the rule's query (or one of its steps) may match; the alerts it completes. */
  observe(e: EngineEvent): RaisedAlert[];
  /** The clock moved to `nowMs` (a later entry's received_at, or a tick while the log is quiet). */
  advance(nowMs: number): RaisedAlert[];
  /** Counts `e` as history without raising: a spike rule's baseline from before it existed. */
  seed?(e: EngineEvent): void;
  snapshot(): JsonObject;
}

/**
 * How late an event may arrive (received_at minus occurred_at beyond its
 * window) and still count; later ones are left out and counted in the
 * snapshot's `late` figure (docs/alerts.md, "Late events"). It also bounds
 * the state: what only a later event could complete is kept this long.
 */
export const DEFAULT_LATENESS_MS = 60 * 60 * 1000;

/** The most matched event ids an alert names (the catalogue's bound). */
export const MAX_MATCHED_IDS = 100;
