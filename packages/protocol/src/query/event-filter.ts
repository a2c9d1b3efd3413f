// The event filter of the search API: which committed events a query selects.
// One shape for the search syntax, the HTTP query string and every store;
// eventFilterProblems is the one place its values are judged.
import {
  ACTION_CATEGORIES,
  ACTION_KINDS,
  ACTOR_TYPES,
  type ActionCategory,
  type ActionKind,
  type ActorType,
  isActionName,
  OUTCOME_STATUSES,
  type OutcomeStatus,
  type Problem,
  parseTimestamp,
  RISK_LEVELS,
  type RiskLevel,
  TAG_PATTERN,
} from "@trailproof/core";
import { conditionProblems, type FilterCondition } from "./filter-condition.js";

/**
 * The plain fields of a filter. Every field is optional and the fields
 * combine with AND. Values match the committed event exactly
 * (case-sensitive), except `actionPrefix` and `text`.
 */
export interface EventFilterFields {
  /** occurred_at >= from; an RFC 3339 timestamp with an offset. */
  from?: string;
  /** occurred_at < to; an RFC 3339 timestamp with an offset. */
  to?: string;
  actorId?: string;
  actorType?: ActorType;
  action?: string;
  /** Actions starting with this text, e.g. "app." for `app.*`. */
  actionPrefix?: string;
  kind?: ActionKind;
  category?: ActionCategory;
  targetType?: string;
  targetId?: string;
  outcome?: OutcomeStatus;
  risk?: RiskLevel;
  /** One exact tag, e.g. "module:builder". */
  tag?: string;
  sessionId?: string;
  runId?: string;
  workflowId?: string;
  /** Events whose automation.caused_by is this event id. */
  causedBy?: string;
  environment?: string;
  /**
   * Words separated by spaces, each of which MUST occur in the event's
   * message (case and diacritics ignored; a phrase matches its words in any
   * order). Words without a letter or digit are ignored.
   */
  text?: string;
}

export type EventFilterField = keyof EventFilterFields;

/**
 * Which events a query selects: the plain fields AND `where`, a condition
 * with NOT and OR over terms of the same fields (the search syntax's
 * `-key:value`, `NOT`, `OR` and parentheses). A term compares as its plain
 * field does; a field the event lacks equals no value, so `NOT session:x`
 * selects the events without a session too.
 */
export interface EventFilter extends EventFilterFields {
  where?: FilterCondition<EventFilterField>;
}

export const EVENT_FILTER_FIELDS: readonly EventFilterField[] = [
  "from",
  "to",
  "actorId",
  "actorType",
  "action",
  "actionPrefix",
  "kind",
  "category",
  "targetType",
  "targetId",
  "outcome",
  "risk",
  "tag",
  "sessionId",
  "runId",
  "workflowId",
  "causedBy",
  "environment",
  "text",
];

/** Free-text words per query: each is one more full-text lookup. */
export const MAX_SEARCH_WORDS = 16;
/** Any single filter value, in characters (the envelope's own limits are lower). */
export const MAX_FILTER_VALUE_LENGTH = 1024;

const ENUMS: Partial<Record<EventFilterField, readonly string[]>> = {
  actorType: ACTOR_TYPES,
  kind: ACTION_KINDS,
  category: ACTION_CATEGORIES,
  outcome: OUTCOME_STATUSES,
  risk: RISK_LEVELS,
};
const ACTION_PREFIX = /^[a-z][a-z0-9_.]*$/;
const TAG = new RegExp(TAG_PATTERN);
const DATE_ONLY = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
/** What the full-text index keeps as word characters (FTS5 unicode61: L* N* Co). */
const WORD_CHARACTER = /[\p{L}\p{N}\p{Co}]/u;

/**
 * `text` (untrusted) as UTC milliseconds: an RFC 3339 timestamp with an
 * offset, or a date YYYY-MM-DD meaning its UTC midnight.
 */
export function parseFilterDate(text: string): { ms: number } | { problem: string } {
  const parsed = parseTimestamp(DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text);
  if ("ms" in parsed) return parsed;
  return { problem: "is not a date: use YYYY-MM-DD (UTC) or an RFC 3339 timestamp such as 2026-05-01T10:00:00Z" };
}

/** The words of a free-text filter that the full-text index can match. */
export function searchWords(text: string): string[] {
  return text.split(/\s+/u).filter((w) => WORD_CHARACTER.test(w));
}

/**
 * Why `value` cannot be the value of `field`, or undefined when it can.
 * Only the value is judged, not how fields combine (see eventFilterProblems).
 */
export function filterValueProblem(field: EventFilterField, value: string): string | undefined {
  if (value.length === 0) return "must not be empty";
  if (value.length > MAX_FILTER_VALUE_LENGTH) return `must be at most ${MAX_FILTER_VALUE_LENGTH} characters`;
  const allowed = Object.hasOwn(ENUMS, field) ? ENUMS[field] : undefined;
  if (allowed !== undefined && !allowed.includes(value)) return `must be one of: ${allowed.join(", ")}`;
  if (field === "from" || field === "to") {
    const date = parseFilterDate(value);
    return "problem" in date ? date.problem : undefined;
  }
  if (field === "action" && !isActionName(value)) {
    return "is not an action name: dotted lower case such as app.page.update (app.* for a prefix)";
  }
  if (field === "actionPrefix" && !ACTION_PREFIX.test(value)) {
    return "is not the start of an action name: lower-case letters, digits, _ and . such as app.";
  }
  if (field === "tag" && !TAG.test(value)) return "is not a tag: lower case such as module:builder";
  if (field === "text") {
    const words = searchWords(value);
    if (words.length === 0) return "has no letter or digit to search for";
    if (words.length > MAX_SEARCH_WORDS) return `has ${words.length} words; at most ${MAX_SEARCH_WORDS}`;
  }
  return undefined;
}

/**
 * Every problem of `filter` (which may come from code, not only from the
 * parsers), pointers named after the fields, in field order. Stores check it
 * before querying. Properties that are not filter fields are ignored.
 */
export function eventFilterProblems(filter: EventFilter): Problem[] {
  const problems: Problem[] = [];
  for (const field of EVENT_FILTER_FIELDS) {
    const value: unknown = filter[field];
    if (value === undefined) continue;
    const problem = typeof value === "string" ? filterValueProblem(field, value) : "must be a string (a single value)";
    if (problem !== undefined) problems.push({ pointer: `/${field}`, message: problem });
  }
  if (filter.where !== undefined) {
    problems.push(
      ...conditionProblems(filter.where, "/where", (field, value) =>
        (EVENT_FILTER_FIELDS as readonly string[]).includes(field)
          ? filterValueProblem(field as EventFilterField, value)
          : `field must be one of: ${EVENT_FILTER_FIELDS.join(", ")}`,
      ),
    );
  }
  if (filter.action !== undefined && filter.actionPrefix !== undefined) {
    problems.push({ pointer: "/actionPrefix", message: "cannot be combined with an exact action" });
  }
  const from = filter.from === undefined ? undefined : parseFilterDate(filter.from);
  const to = filter.to === undefined ? undefined : parseFilterDate(filter.to);
  if (from && to && "ms" in from && "ms" in to && from.ms >= to.ms) {
    problems.push({ pointer: "/to", message: "must be later than from" });
  }
  return problems;
}

/** Milliseconds of filter.from and filter.to. Requires eventFilterProblems(filter) to be empty. */
export function filterTimeRange(filter: EventFilter): { fromMs: number | undefined; toMs: number | undefined } {
  const ms = (text: string | undefined) => {
    if (text === undefined) return undefined;
    const parsed = parseFilterDate(text);
    return "ms" in parsed ? parsed.ms : undefined;
  };
  return { fromMs: ms(filter.from), toMs: ms(filter.to) };
}
