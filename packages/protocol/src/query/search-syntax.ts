// The search syntax (GitHub- and Sentry-like): space-separated `key:value`
// terms AND-ed together, plus bare words and "quoted phrases" as free text,
// e.g. `actor:usr_ada action:app.* risk:high after:2026-01-01 "checkout page"`.
import { InvalidInputError } from "@trailproof/core";
import { type EventFilter, type EventFilterField, filterValueProblem, parseFilterDate } from "./event-filter.js";
import { excerpt, quoteSearchValue, type SearchTerm, scanSearchTerms } from "./search-terms.js";

export const MAX_SEARCH_QUERY_LENGTH = 2048;

/** Keys of the syntax and the filter field each sets (target sets two). */
const KEY_FIELDS: Record<string, EventFilterField> = {
  actor: "actorId",
  actor_type: "actorType",
  action: "action",
  kind: "kind",
  category: "category",
  target_type: "targetType",
  target_id: "targetId",
  outcome: "outcome",
  risk: "risk",
  tag: "tag",
  session: "sessionId",
  run: "runId",
  workflow: "workflowId",
  caused_by: "causedBy",
  env: "environment",
  environment: "environment",
  after: "from",
  since: "from",
  before: "to",
  until: "to",
};
const KNOWN_KEYS = [...Object.keys(KEY_FIELDS), "target"].sort().join(", ");

/** The fields one term sets, or a sentence saying why it sets none. */
function termFields(term: SearchTerm & { key: string }): Partial<EventFilter> | string {
  const where = `at column ${term.column}`;
  if (term.key === "target") {
    const colon = term.value.indexOf(":");
    if (colon <= 0 || colon === term.value.length - 1) {
      return `target ${excerpt(term.value)} ${where} must be type:id, e.g. target:page:checkout (or use target_type: or target_id:)`;
    }
    const parts = { targetType: term.value.slice(0, colon), targetId: term.value.slice(colon + 1) };
    for (const [field, value] of Object.entries(parts) as [EventFilterField, string][]) {
      const problem = filterValueProblem(field, value);
      if (problem !== undefined) return `target ${excerpt(term.value)} ${where}: ${excerpt(value)} ${problem}`;
    }
    return parts;
  }
  let field = KEY_FIELDS[term.key] as EventFilterField;
  let value = term.value;
  if (field === "action" && !term.quoted && value.endsWith("*")) {
    field = "actionPrefix";
    value = value.slice(0, -1);
    if (value === "") return `action:* ${where} matches every action; leave it out`;
  }
  if (field === "action" || field === "actionPrefix") {
    const star = term.quoted ? -1 : value.indexOf("*");
    if (star >= 0) return `action ${excerpt(term.value)} ${where}: only a trailing * is supported, e.g. app.*`;
  }
  const problem = filterValueProblem(field, value);
  if (problem !== undefined) return `${term.key} value ${excerpt(term.value)} ${where} ${problem}`;
  if (field === "from" || field === "to") {
    const date = parseFilterDate(value);
    if ("ms" in date) value = new Date(date.ms).toISOString();
  }
  return { [field]: value };
}

/** Groups that one key may set once: action and its prefix form count as one. */
const group = (field: string) => (field === "actionPrefix" ? "action" : field);

/**
 * The filter `q` (untrusted) describes. Throws SEARCH_QUERY_INVALID listing
 * every problem, each with pointer "/q" and a message naming the column and
 * the offending text. Dates are normalised to UTC ISO strings; free-text
 * words are joined by single spaces.
 */
export function parseSearchQuery(q: string): EventFilter {
  const problems: string[] = [];
  if (q.length > MAX_SEARCH_QUERY_LENGTH) {
    problems.push(`is ${q.length} characters long; at most ${MAX_SEARCH_QUERY_LENGTH}`);
    throw invalid(problems);
  }
  const scanned = scanSearchTerms(q);
  problems.push(...scanned.problems);
  const filter: EventFilter = {};
  const words: string[] = [];
  const setAt = new Map<string, { key: string; column: number }>();
  for (const term of scanned.terms) {
    if (term.key === undefined) {
      words.push(...term.value.split(/\s+/u).filter((w) => w !== ""));
      continue;
    }
    if (term.key !== "target" && !Object.hasOwn(KEY_FIELDS, term.key)) {
      problems.push(`unknown key "${term.key}" at column ${term.keyColumn}; known keys: ${KNOWN_KEYS}`);
      continue;
    }
    const fields = termFields(term as SearchTerm & { key: string });
    if (typeof fields === "string") {
      problems.push(fields);
      continue;
    }
    for (const [field, value] of Object.entries(fields) as [EventFilterField, string][]) {
      const first = setAt.get(group(field));
      if (first !== undefined) {
        problems.push(
          `duplicate key "${term.key}" at column ${term.keyColumn}: ${first.key} was already given at column ${first.column}`,
        );
        break;
      }
      setAt.set(group(field), { key: term.key, column: term.keyColumn });
      filter[field] = value as never;
    }
  }
  if (words.length > 0) {
    const text = words.join(" ");
    const problem = filterValueProblem("text", text);
    if (problem !== undefined) problems.push(`free text ${excerpt(text)} ${problem}`);
    else filter.text = text;
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
    const from = setAt.get("from");
    const to = setAt.get("to");
    problems.push(`${from?.key} at column ${from?.column} must be earlier than ${to?.key} at column ${to?.column}`);
  }
  if (problems.length > 0) throw invalid(problems);
  return filter;
}

function invalid(messages: string[]): InvalidInputError {
  return new InvalidInputError("SEARCH_QUERY_INVALID", `search query is invalid: ${messages.join("; ")}`, {
    problems: messages.map((message) => ({ pointer: "/q", message })),
  });
}

const DAY_MS = 86_400_000;

function formatDate(iso: string): string {
  const parsed = parseFilterDate(iso);
  if (!("ms" in parsed)) return iso;
  return parsed.ms % DAY_MS === 0 ? new Date(parsed.ms).toISOString().slice(0, 10) : new Date(parsed.ms).toISOString();
}

/**
 * The query text for `filter`, for UIs that show or edit a filter as text.
 * Inverse of parseSearchQuery: parseSearchQuery(formatSearchQuery(f)) equals
 * f for every valid filter whose dates are UTC ISO strings and whose text is
 * words separated by single spaces (the forms parseSearchQuery returns).
 */
export function formatSearchQuery(filter: EventFilter): string {
  const parts: string[] = [];
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined) parts.push(`${key}:${quoteSearchValue(value, false)}`);
  };
  put("actor", filter.actorId);
  put("actor_type", filter.actorType);
  put("action", filter.action);
  if (filter.actionPrefix !== undefined) parts.push(`action:${filter.actionPrefix}*`);
  put("kind", filter.kind);
  put("category", filter.category);
  if (filter.targetType !== undefined && filter.targetId !== undefined && !filter.targetType.includes(":")) {
    put("target", `${filter.targetType}:${filter.targetId}`);
  } else {
    put("target_type", filter.targetType);
    put("target_id", filter.targetId);
  }
  put("outcome", filter.outcome);
  put("risk", filter.risk);
  put("tag", filter.tag);
  put("session", filter.sessionId);
  put("run", filter.runId);
  put("workflow", filter.workflowId);
  put("caused_by", filter.causedBy);
  put("env", filter.environment);
  if (filter.from !== undefined) put("after", formatDate(filter.from));
  if (filter.to !== undefined) put("before", formatDate(filter.to));
  for (const word of (filter.text ?? "").split(/\s+/u)) {
    if (word !== "") parts.push(quoteSearchValue(word, true));
  }
  return parts.join(" ");
}
