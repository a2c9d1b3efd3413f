// A rule's query, parsed once: the search syntax (protocol query/) and the
// reference matcher every store's search agrees with, so a rule matches
// exactly what the same query finds in the console.
import type { JsonObject } from "@trailproof/core";
import { type EventFilter, eventMatchesFilter, parseSearchQuery, type RuleDefinition } from "@trailproof/protocol";
import type { EngineEvent } from "./engine-types.js";

export type EventMatcher = (e: EngineEvent) => boolean;

export function compileQuery(query: string, ruleId: string): EventMatcher {
  const filter: EventFilter = parseSearchQuery(query);
  const alerts = namesAlerts(filter);
  return (e) =>
    (!isAlert(e.event) || (alerts && countableAlert(e.event, ruleId))) && eventMatchesFilter(e.event, filter);
}

/**
 * Whether the rule's query (or one of its steps) names alert.raise, by its
 * action or an action prefix of it: only such a rule counts alerts. The alerts
 * it raises say so (`counts_alerts`), and no rule counts those, so an alert can
 * cause at most one more: two rules can never raise each other's alerts in a
 * loop, nor can a rule whose words happen to match alert messages.
 */
export function ruleCountsAlerts(definition: RuleDefinition): boolean {
  const c = definition.condition;
  const queries = c.type === "sequence" ? [...c.steps, ...(c.not_followed_by ?? [])].map((s) => s.query) : [c.query];
  return queries.some((q) => namesAlerts(parseSearchQuery(q)));
}

function namesAlerts(filter: EventFilter): boolean {
  return (
    filter.action === ALERT_ACTION ||
    (filter.actionPrefix !== undefined && ALERT_ACTION.startsWith(filter.actionPrefix))
  );
}

const ALERT_ACTION = "alert.raise";

/** alert.raise is a service action (no key may send it): the action alone says the alert follower recorded it. */
function isAlert(event: JsonObject): boolean {
  return event.action === ALERT_ACTION;
}

/** Not the rule's own alert, nor one raised by counting alerts. */
function countableAlert(event: JsonObject, ruleId: string): boolean {
  const metadata = event.metadata as JsonObject | undefined;
  return metadata?.rule_id !== ruleId && metadata?.counts_alerts !== true;
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
