// The reference meaning of an EventFilter over one committed event: stores
// implement the same semantics natively; tests, pinned-filter checks and the
// conformance suites' oracle use this one. Free text is matched word by word
// against the message's words, split and folded as the full-text indexes do
// (textWords; stores may also match a word's phrase form, e.g. e-mail as
// "e mail").
import type { JsonObject } from "@trailproof/core";
import type { EventFilter, EventFilterField } from "./event-filter.js";
import { searchWords } from "./event-filter.js";
import { evaluateCondition } from "./filter-condition.js";
import { textWords } from "./text-words.js";

/** The value at a dotted path of `e` (the path split once: rules match every committed event). */
function field(e: JsonObject, path: readonly string[]): unknown {
  let v: unknown = e;
  for (const k of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as JsonObject)[k];
  }
  return v;
}

const EQUAL_PATHS: Partial<Record<EventFilterField, string>> = {
  actorId: "actor.id",
  actorType: "actor.type",
  action: "action",
  kind: "kind",
  category: "category",
  targetType: "target.type",
  targetId: "target.id",
  outcome: "outcome.status",
  risk: "risk",
  sessionId: "context.session_id",
  runId: "automation.run_id",
  workflowId: "automation.workflow_id",
  causedBy: "automation.caused_by",
  environment: "context.environment",
};
const EQUAL = Object.fromEntries(Object.entries(EQUAL_PATHS).map(([k, p]) => [k, p.split(".")])) as Partial<
  Record<EventFilterField, string[]>
>;

/** Whether `e` satisfies one field of a filter. */
function fieldMatches(e: JsonObject, name: EventFilterField, value: string): boolean {
  const path = EQUAL[name];
  if (path !== undefined) return field(e, path) === value;
  switch (name) {
    case "from":
      return Date.parse(e.occurred_at as string) >= Date.parse(value);
    case "to":
      return Date.parse(e.occurred_at as string) < Date.parse(value);
    case "actionPrefix":
      return (e.action as string).startsWith(value);
    case "tag":
      return ((e.tags as string[] | undefined) ?? []).includes(value);
    case "text": {
      const message = new Set(textWords(typeof e.message === "string" ? e.message : ""));
      return searchWords(value).every((w) => textWords(w).every((part) => message.has(part)));
    }
    default:
      return false;
  }
}

/** True when `e` satisfies every field of `f` and its condition. */
export function eventMatchesFilter(e: JsonObject, f: EventFilter): boolean {
  for (const [name, value] of Object.entries(f) as [EventFilterField | "where", unknown][]) {
    if (name === "where" || typeof value !== "string") continue;
    if (!fieldMatches(e, name, value)) return false;
  }
  return f.where === undefined || evaluateCondition(f.where, (t) => fieldMatches(e, t.field, t.value)) === true;
}
