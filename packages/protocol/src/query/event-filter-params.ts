// The event filter in its HTTP query-string form (GET /v1/tenants/{t}/events?...):
// one parameter per field, plus `q` in the search syntax, merged. Parameters
// are untrusted; every problem is reported at once, pointer "/<param>".
import { hasErrorCode, InvalidInputError, type Problem } from "@trailproof/core";
import { type EventFilter, type EventFilterField, filterValueProblem, parseFilterDate } from "./event-filter.js";
import { parseSearchQuery } from "./search-syntax.js";

/** Query parameter -> filter field. `action` also takes `app.*` for a prefix. */
export const EVENT_FILTER_PARAMS = {
  from: "from",
  to: "to",
  actor_id: "actorId",
  actor_type: "actorType",
  action: "action",
  kind: "kind",
  category: "category",
  target_type: "targetType",
  target_id: "targetId",
  outcome: "outcome",
  risk: "risk",
  tag: "tag",
  session_id: "sessionId",
  run_id: "runId",
  workflow_id: "workflowId",
  caused_by: "causedBy",
  environment: "environment",
  text: "text",
} as const satisfies Record<string, EventFilterField>;

type Param = keyof typeof EVENT_FILTER_PARAMS;

const paramOf = (field: EventFilterField): Param =>
  field === "actionPrefix"
    ? "action"
    : ((Object.keys(EVENT_FILTER_PARAMS) as Param[]).find((p) => EVENT_FILTER_PARAMS[p] === field) as Param);

/** One parameter's field and value, or the problem with it. */
function paramField(param: Param, raw: string): { field: EventFilterField; value: string } | { problem: string } {
  let field: EventFilterField = EVENT_FILTER_PARAMS[param];
  let value = raw;
  if (field === "action" && value.endsWith("*")) {
    field = "actionPrefix";
    value = value.slice(0, -1);
    if (value === "") return { problem: "* matches every action; leave the parameter out" };
  }
  const problem = filterValueProblem(field, value);
  if (problem !== undefined) return { problem };
  if (field === "from" || field === "to") {
    const date = parseFilterDate(value);
    if ("ms" in date) value = new Date(date.ms).toISOString();
  }
  return { field, value };
}

/**
 * The filter of an HTTP query string. Parameters this function does not know
 * (limit, cursor, ...) are left to the caller. A field given both as a
 * parameter and inside `q` with different values is a problem. Throws
 * SEARCH_QUERY_INVALID with every problem.
 */
export function parseEventFilterParams(query: Readonly<Record<string, string | undefined>>): EventFilter {
  const problems: Problem[] = [];
  const filter: EventFilter = {};
  for (const param of Object.keys(EVENT_FILTER_PARAMS) as Param[]) {
    const raw = Object.hasOwn(query, param) ? query[param] : undefined;
    if (raw === undefined) continue;
    const parsed = paramField(param, raw);
    if ("problem" in parsed) problems.push({ pointer: `/${param}`, message: parsed.problem });
    else filter[parsed.field] = parsed.value as never;
  }
  const q = Object.hasOwn(query, "q") ? query.q : undefined;
  if (q !== undefined && q.trim() !== "") {
    try {
      mergeQuery(filter, parseSearchQuery(q), problems);
    } catch (err) {
      if (!hasErrorCode(err, "SEARCH_QUERY_INVALID")) throw err;
      problems.push(...err.problems);
    }
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) {
    problems.push({ pointer: "/to", message: `must be later than from (${filter.from})` });
  }
  if (problems.length > 0) {
    throw new InvalidInputError("SEARCH_QUERY_INVALID", "search parameters are invalid", { problems });
  }
  return filter;
}

/** Adds the fields of `fromQ` to `filter`; a field set both ways with another value is a problem. */
function mergeQuery(filter: EventFilter, fromQ: EventFilter, problems: Problem[]): void {
  // Only q writes a condition (NOT, OR, parentheses); it narrows the parameters' AND.
  if (fromQ.where !== undefined) filter.where = fromQ.where;
  for (const [field, value] of Object.entries(fromQ) as [EventFilterField | "where", string][]) {
    if (field === "where") continue;
    const twin: EventFilterField | undefined =
      field === "action" ? "actionPrefix" : field === "actionPrefix" ? "action" : undefined;
    const given = filter[field] ?? (twin === undefined ? undefined : filter[twin]);
    const givenAs = filter[field] !== undefined ? field : twin;
    if (given === undefined) {
      filter[field] = value as never;
    } else if (given !== value || givenAs !== field) {
      const param = paramOf(field);
      problems.push({
        pointer: `/${param}`,
        message: `conflicts with q, which sets ${param} to ${JSON.stringify(field === "actionPrefix" ? `${value}*` : value)}`,
      });
    }
  }
}
