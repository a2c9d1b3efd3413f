// SQL for AuditQuery on PostgreSQL, built from fixed fragments with a $n
// parameter for every value: filter values are untrusted and never become SQL
// text. Every query names its tenant (row-level security narrows it again)
// and sorts by (occurred_ms, idx), the keyset of cursors.
import type { StatsGroupBy } from "../../query/audit-query.js";
import type { CheckedFilter, CheckedPage } from "../../query/query-input.js";
import { EQUAL_COLUMNS, prefixEnd } from "../../query/search-columns.js";
import type { BucketGrid } from "../../query/stats-buckets.js";
import { conditionSql } from "./postgres-condition-sql.js";
import { textQueryOf } from "./postgres-search-text.js";

export interface PgQuery {
  text: string;
  params: unknown[];
}

/** Collects parameters; add() returns the placeholder of the value it was given. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type?: string): string {
    this.values.push(value);
    return type === undefined ? `$${this.values.length}` : `$${this.values.length}::${type}`;
  }
}

const GROUP_COLUMNS: Record<StatsGroupBy, string> = {
  action: "e.action",
  actor: "e.actor_id",
  outcome: "e.outcome",
  risk: "e.risk",
  kind: "e.kind",
  category: "e.category",
};

/**
 * The columns of a QueriedEntry over `search_rows AS e`. The leaf and its
 * received time come from the log itself (entries), never from the projection.
 */
export const ENTRY_COLUMNS = "e.idx, e.event_id, l.leaf_data, e.occurred_ms, l.received_ms";
export const ENTRY_JOIN = "JOIN entries AS l ON l.tenant_id = e.tenant_id AND l.idx = e.idx";

interface FilterSql {
  /** search_rows AS e, joined to search_tags AS t for a tag. */
  from: string;
  where: string;
  /** FROM and WHERE together. */
  sql: string;
  /** The (occurred_ms, idx) columns to order and page by. */
  sort: [string, string];
}

/**
 * FROM and WHERE of `tenantId`'s entries matching `f`. With a tag the rows
 * come through search_tags, whose key is in sort order. With `matches`, the
 * name of a relation of indexes (textMatchesSql), only those are read.
 */
function filterSql(p: Params, tenantId: number, f: CheckedFilter, matches?: string): FilterSql {
  const { filter } = f;
  const tenant = p.add(tenantId, "integer");
  let from = "search_rows AS e";
  const where = [`e.tenant_id = ${tenant}`];
  let sort: [string, string] = ["e.occurred_ms", "e.idx"];
  if (matches !== undefined) {
    from = `${matches} AS x JOIN search_rows AS e ON e.tenant_id = ${tenant} AND e.idx = x.idx`;
  }
  if (filter.tag !== undefined) {
    const tags = "search_tags AS t JOIN search_rows AS e ON e.tenant_id = t.tenant_id AND e.idx = t.idx";
    from =
      matches === undefined ? tags : `${from} JOIN search_tags AS t ON t.tenant_id = e.tenant_id AND t.idx = e.idx`;
    sort = ["t.occurred_ms", "t.idx"];
    where.push(`t.tenant_id = ${tenant}`, `t.tag = ${p.add(filter.tag, "text")}`);
  }
  for (const [field, column] of EQUAL_COLUMNS) {
    const value = filter[field];
    if (value !== undefined) where.push(`e.${column} = ${p.add(value, "text")}`);
  }
  if (filter.actionPrefix !== undefined) {
    where.push(`e.action >= ${p.add(filter.actionPrefix, "text")}`);
    where.push(`e.action < ${p.add(prefixEnd(filter.actionPrefix), "text")}`);
  }
  if (f.fromMs !== undefined) where.push(`${sort[0]} >= ${p.add(f.fromMs, "bigint")}`);
  if (f.toMs !== undefined) where.push(`${sort[0]} < ${p.add(f.toMs, "bigint")}`);
  if (filter.text !== undefined) {
    const query = textQueryOf(filter.text);
    where.push(query === undefined ? "false" : `e.message_words @@ ${p.add(query, "tsquery")}`);
  }
  if (filter.where !== undefined) where.push(conditionSql(filter.where, (v, type) => p.add(v, type), tenant));
  const condition = where.join(" AND ");
  return { from, where: condition, sql: `FROM ${from} WHERE ${condition}`, sort };
}

/** The keyset condition of a page after its cursor, or "" on the first page. */
function afterCursor(p: Params, [occurred, idx]: [string, string], page: CheckedPage): string {
  if (page.after === undefined) return "";
  const after = `(${p.add(page.after.occurredMs, "bigint")}, ${p.add(page.after.index, "bigint")})`;
  return ` AND (${occurred}, ${idx}) ${page.order === "asc" ? ">" : "<"} ${after}`;
}

/** One page of matching entries, plus one more to tell whether another page follows. */
export function searchSql(tenantId: number, f: CheckedFilter, page: CheckedPage): PgQuery {
  const p = new Params();
  const base = filterSql(p, tenantId, f);
  const [occurred, idx] = base.sort;
  const dir = page.order === "asc" ? "ASC" : "DESC";
  const text =
    `SELECT ${ENTRY_COLUMNS} FROM ${base.from} ${ENTRY_JOIN} WHERE ${base.where}${afterCursor(p, base.sort, page)}` +
    ` ORDER BY ${occurred} ${dir}, ${idx} ${dir} LIMIT ${p.add(page.limit + 1, "integer")}`;
  return { text, params: p.values };
}

/**
 * Below this many full-text matches in the tenant, reading them all and
 * sorting ends sooner than walking the time index until the page is full;
 * above it, the walk does (as on SQLite). The planner cannot weigh this
 * itself: under row-level security it never uses the full-text index for
 * the app role (@@ is not leakproof), so search_text_matches()
 * (schema/003-search.ts) reads the matches and textMatchesSql tries them first.
 */
export const RARE_TEXT_MATCHES = 2000;

/**
 * Like searchSql, driven by the full-text matches: at most `cap` of the
 * tenant's are read through the full-text index, then filtered, sorted and
 * cut. Every row carries `matches`, how many were read: below `cap` the
 * page is exact; at `cap` the caller MUST run searchSql instead. Requires
 * f.filter.text.
 */
export function textMatchesSql(tenantId: number, f: CheckedFilter, page: CheckedPage, cap: number): PgQuery {
  const p = new Params();
  const words = p.add(textQueryOf(f.filter.text ?? "") ?? "", "tsquery");
  const text = `WITH words AS MATERIALIZED (SELECT idx FROM search_text_matches(${words}, ${p.add(cap, "integer")}))`;
  const base = filterSql(p, tenantId, f, "words");
  const [occurred, idx] = base.sort;
  const dir = page.order === "asc" ? "ASC" : "DESC";
  // The page is cut from the matches before its leaves are read.
  return {
    text: `${text},
    page AS (
      SELECT ${occurred} AS occurred_ms, ${idx} AS idx ${base.sql}${afterCursor(p, base.sort, page)}
      ORDER BY 1 ${dir}, 2 ${dir} LIMIT ${p.add(page.limit + 1, "integer")})
    SELECT ${ENTRY_COLUMNS}, (SELECT count(*) FROM words) AS matches
    FROM page JOIN search_rows AS e ON e.tenant_id = ${p.add(tenantId, "integer")} AND e.idx = page.idx ${ENTRY_JOIN}
    ORDER BY page.occurred_ms ${dir}, page.idx ${dir}`,
    params: p.values,
  };
}

/** Counts of whole hours in [fromMs, toMs), both hour-aligned, from the hourly rollup. */
export function hourCountsSql(tenantId: number, fromMs: number, toMs: number): PgQuery {
  return {
    text: `SELECT hour_ms, n FROM search_hours
      WHERE tenant_id = $1::integer AND hour_ms >= $2::bigint AND hour_ms < $3::bigint`,
    params: [tenantId, fromMs, toMs],
  };
}

/** Oldest and newest occurred_ms of the matching entries (NULLs when none). */
export function timeRangeSql(tenantId: number, f: CheckedFilter): PgQuery {
  const p = new Params();
  const base = filterSql(p, tenantId, f);
  return { text: `SELECT min(${base.sort[0]}) AS lo, max(${base.sort[0]}) AS hi ${base.sql}`, params: p.values };
}

/** The `limit` largest groups of the matching entries, largest first, ties by name (byte order). */
export function topGroupsSql(tenantId: number, f: CheckedFilter, groupBy: StatsGroupBy, limit: number): PgQuery {
  const p = new Params();
  const base = filterSql(p, tenantId, f);
  const g = GROUP_COLUMNS[groupBy];
  return {
    text: `SELECT ${g} AS g, count(*) AS n ${base.sql} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${p.add(limit, "integer")}`,
    params: p.values,
  };
}

/**
 * Counts per bucket (floor of occurred_ms on the grid, also before 1970) and,
 * with groupBy, per named group; other groups count under NULL.
 */
export function bucketCountsSql(
  tenantId: number,
  f: CheckedFilter,
  grid: BucketGrid,
  grouping?: { groupBy: StatsGroupBy; groups: readonly string[] },
): PgQuery {
  const p = new Params();
  const base = filterSql(p, tenantId, f);
  const offset = p.add(grid.offsetMs, "bigint");
  const size = p.add(grid.sizeMs, "bigint");
  const shifted = `(${base.sort[0]} - ${offset})`;
  const bucket = `${shifted} - ((${shifted} % ${size}) + ${size}) % ${size} + ${offset}`;
  if (grouping === undefined) {
    return { text: `SELECT ${bucket} AS b, count(*) AS n ${base.sql} GROUP BY 1`, params: p.values };
  }
  const g = GROUP_COLUMNS[grouping.groupBy];
  const named = p.add([...grouping.groups], "text[]");
  return {
    text: `SELECT ${bucket} AS b, CASE WHEN ${g} = ANY (${named}) THEN ${g} END AS g, count(*) AS n ${base.sql} GROUP BY 1, 2`,
    params: p.values,
  };
}
