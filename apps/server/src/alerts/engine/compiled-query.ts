// A rule's query, parsed once: the search syntax (protocol query/) and the
// reference matcher every store's search agrees with, so a rule matches
// exactly what the same query finds in the console.
import type { JsonObject } from "@trailproof/core";
import { type EventFilter, eventMatchesFilter, parseSearchQuery } from "@trailproof/protocol";
import type { EngineEvent } from "./engine-types.js";

export type EventMatcher = (e: EngineEvent) => boolean;

export function compileQuery(query: string, ruleId: string): EventMatcher {
  const filter: EventFilter = parseSearchQuery(query);
  return (e) => !isOwnAlert(e.event, ruleId) && eventMatchesFilter(e.event, filter);
}

/** A rule never counts the alerts it raised itself (no feedback loop); other rules' alerts it may. */
function isOwnAlert(event: JsonObject, ruleId: string): boolean {
  if (event.action !== "alert.raise") return false;
  const metadata = event.metadata as JsonObject | undefined;
  return metadata?.rule_id === ruleId;
}

/** The event's group under `fields`, e.g. "actor=psn_..|action=record.export"; null when ungrouped or a value is missing. */
export function groupOf(e: EngineEvent, fields: readonly string[] | undefined): string | null | undefined {
  if (fields === undefined || fields.length === 0) return null;
  const parts: string[] = [];
  for (const f of fields) {
    const v = e.keys[f as keyof EngineEvent["keys"]];
    // An event without the value cannot be counted in any group of it.
    if (v === null || v === undefined) return undefined;
    parts.push(`${f}=${v}`);
  }
  return parts.join("|");
}
