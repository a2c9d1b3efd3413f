// SQL for the condition of an event filter (NOT, OR and parentheses of the
// search syntax) on SQLite: one boolean expression over `search_rows AS e`,
// AND-ed after the plain fields, which keep choosing the index. Every value
// is a `?` parameter. Terms use `IS` rather than `=`, so a column the event
// lacks (NULL) compares false and its negation true, never NULL.
import { type EventFilterField, type FilterCondition, isFilterTerm, parseFilterDate } from "@trailproof/protocol";
import { COLUMN_OF, prefixEnd } from "../../query/search-columns.js";
import type { SqlQuery } from "./sqlite-search-sql.js";
import type { TextPart } from "./sqlite-text-parts.js";

export interface ConditionContext {
  /** The parts of the full-text index, for text terms. */
  textParts: readonly TextPart[];
  /** Whether entry e's text matches the FTS5 query `words` (sqlite-search-sql's textProbe). */
  textProbe(parts: readonly TextPart[], words: string): SqlQuery;
  /** `text` as an FTS5 query. */
  ftsQuery(text: string): string;
}

/** `c` as one parenthesised SQL expression over `e`. Requires a checked filter (eventFilterProblems). */
export function conditionSql(c: FilterCondition<EventFilterField>, ctx: ConditionContext): SqlQuery {
  if (!isFilterTerm(c)) {
    if ("not" in c) {
      const inner = conditionSql(c.not, ctx);
      return { sql: `(NOT ${inner.sql})`, params: inner.params };
    }
    const parts = ("or" in c ? c.or : c.and).map((child) => conditionSql(child, ctx));
    return {
      sql: `(${parts.map((p) => p.sql).join("or" in c ? " OR " : " AND ")})`,
      params: parts.flatMap((p) => p.params),
    };
  }
  const column = COLUMN_OF.get(c.field);
  if (column !== undefined) return { sql: `(e.${column} IS ?)`, params: [c.value] };
  switch (c.field) {
    case "actionPrefix":
      return { sql: "(e.action >= ? AND e.action < ?)", params: [c.value, prefixEnd(c.value)] };
    case "tag":
      // Not correlated: SQLite reads the tag's index range once per statement.
      return { sql: "(e.idx IN (SELECT idx FROM search_tags WHERE tag = ?))", params: [c.value] };
    case "from":
    case "to":
      return { sql: `(e.occurred_ms ${c.field === "from" ? ">=" : "<"} ?)`, params: [msOf(c.value)] };
    case "text": {
      const probe = ctx.textProbe(ctx.textParts, ctx.ftsQuery(c.value));
      return { sql: `(${probe.sql})`, params: probe.params };
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
