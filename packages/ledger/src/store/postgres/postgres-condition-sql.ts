// SQL for the condition of an event filter (NOT, OR and parentheses of the
// search syntax) on PostgreSQL: one boolean expression over `search_rows AS
// e`, AND-ed after the plain fields, which keep choosing the index. Every
// value is a parameter. Terms use IS NOT DISTINCT FROM rather than =, so a
// column the event lacks (NULL) compares false and its negation true.
import { type EventFilterField, type FilterCondition, isFilterTerm, parseFilterDate } from "@trailproof/protocol";
import { COLUMN_OF, prefixEnd } from "../../query/search-columns.js";
import { textQueryOf } from "./postgres-search-text.js";

/** Adds a parameter and returns its placeholder, cast to `type`. */
export type AddParam = (value: unknown, type: string) => string;

/**
 * `c` as one parenthesised SQL expression over `e` of the tenant whose
 * placeholder is `tenant`. Requires a checked filter (eventFilterProblems).
 */
export function conditionSql(c: FilterCondition<EventFilterField>, add: AddParam, tenant: string): string {
  if (!isFilterTerm(c)) {
    if ("not" in c) return `(NOT ${conditionSql(c.not, add, tenant)})`;
    const parts = ("or" in c ? c.or : c.and).map((child) => conditionSql(child, add, tenant));
    return `(${parts.join("or" in c ? " OR " : " AND ")})`;
  }
  const column = COLUMN_OF.get(c.field);
  if (column !== undefined) return `(e.${column} IS NOT DISTINCT FROM ${add(c.value, "text")})`;
  switch (c.field) {
    case "actionPrefix":
      return `(e.action >= ${add(c.value, "text")} AND e.action < ${add(prefixEnd(c.value), "text")})`;
    case "tag":
      return `(EXISTS (SELECT 1 FROM search_tags AS wt WHERE wt.tenant_id = ${tenant} AND wt.tag = ${add(c.value, "text")} AND wt.idx = e.idx))`;
    case "from":
    case "to":
      return `(e.occurred_ms ${c.field === "from" ? ">=" : "<"} ${add(msOf(c.value), "bigint")})`;
    case "text": {
      const query = textQueryOf(c.value);
      return query === undefined ? "(false)" : `(e.message_words @@ ${add(query, "tsquery")})`;
    }
    default:
      throw new Error(`no SQL for filter field ${c.field}`);
  }
}

function msOf(date: string): number {
  const parsed = parseFilterDate(date);
  if (!("ms" in parsed)) throw new Error(`unchecked filter date ${date}`);
  return parsed.ms;
}
