// SQL for AuditQuery on SQLite, built from fixed fragments with `?` for every
// value: filter values are untrusted and never become SQL text. Every query
// runs on one tenant's file (so it cannot reach another tenant's rows) over
// the search projection, sorted by (occurred_ms, idx), the keyset of cursors.
import { type EventFilter, searchWords } from "@trailproof/protocol";
import type { StatsGroupBy } from "../../query/audit-query.js";
import type { CheckedFilter, CheckedPage } from "../../query/query-input.js";
import { EQUAL_COLUMNS, prefixEnd } from "../../query/search-columns.js";
import type { BucketGrid } from "../../query/stats-buckets.js";
import { conditionSql } from "./sqlite-condition-sql.js";
import type { TextPart } from "./sqlite-text-parts.js";

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * A checked filter with the parts of the tenant's full-text index, read
 * with the query (TEXT_PARTS_SQL); empty when the filter has no text, in
 * its fields or its condition.
 */
export type SqliteFilter = CheckedFilter & { textParts: readonly TextPart[] };

/**
 * Group columns behind a unary + so that grouping never makes the planner
 * walk a whole tenant's search_actor or search_action for the order of the
 * groups when a time range could narrow the scan instead.
 */
const GROUP_COLUMNS: Record<StatsGroupBy, string> = {
  action: "+e.action",
  actor: "+e.actor_id",
  outcome: "+e.outcome",
  risk: "+e.risk",
  kind: "+e.kind",
  category: "+e.category",
};

/**
 * Indexes without occurred_ms. Lacking ANALYZE statistics, SQLite's planner
 * passes them over for entries_time to avoid a sort, and so walks the whole
 * tenant; the sets they select (one cause's, run's or session's events) are
 * small, so when the filter names one, it is forced, in this order.
 */
const SMALL_SET_INDEXES: [keyof EventFilter, string][] = [
  ["causedBy", "search_caused_by"],
  ["runId", "search_run"],
  ["sessionId", "search_session"],
];

/**
 * An FTS5 query in which every word is one double-quoted string (inner quotes
 * doubled), so operators, NEAR, column filters and * in user text stay
 * literal; adjacent strings are AND-ed.
 */
export function ftsQuery(text: string): string {
  return searchWords(text)
    .map((w) => `"${w.replaceAll('"', '""')}"`)
    .join(" ");
}

/**
 * Below this many full-text matches (in the tenant's own index), a text
 * search reads the matches and sorts them. Above it, walking the time index
 * and probing the full-text index for each entry (FTS5 seeks a rowid in the
 * word's doclist) ends sooner, at the page's last entry.
 */
export const RARE_TEXT_MATCHES = 2000;

/** Full-text matches of `text` over every part, each part's counted up to RARE_TEXT_MATCHES. */
export function textMatchCountSql(text: string, parts: readonly TextPart[]): SqlQuery {
  const counts = parts.map(
    ({ table }) => `(SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${table} MATCH ? LIMIT ?))`,
  );
  return {
    sql: `SELECT ${counts.join(" + ")} AS n`,
    params: parts.flatMap(() => [ftsQuery(text), RARE_TEXT_MATCHES]),
  };
}

/** True when `f` may be driven by its full-text matches: nothing narrower (a tag, a small set) drives it. */
export function canDriveByText(f: CheckedFilter): boolean {
  const { filter } = f;
  return (
    filter.text !== undefined && filter.tag === undefined && !SMALL_SET_INDEXES.some(([k]) => filter[k] !== undefined)
  );
}

/**
 * FROM and WHERE of the entries matching `f` in the tenant's file. With a
 * tag, the query is driven by search_tags, whose key is in sort order; with
 * `byText` (see canDriveByText), by the full-text matches (CROSS JOIN fixes
 * the loop order): of every part (true), or of one part, as `f` (a step of
 * the text walk). `sort` names the (occurred_ms, idx) columns to order and
 * page by.
 */
export function filterSql(f: SqliteFilter, byText: boolean | TextPart = false): SqlQuery & { sort: [string, string] } {
  const { filter } = f;
  const where: string[] = [];
  const params: unknown[] = [];
  const fromParams: unknown[] = [];
  const small = SMALL_SET_INDEXES.find(([field]) => filter[field] !== undefined);
  let from = small === undefined ? "search_rows AS e" : `search_rows AS e INDEXED BY ${small[1]}`;
  let sort: [string, string] = ["e.occurred_ms", "e.idx"];
  const drive = byText !== false && canDriveByText(f) ? driveParts(f.textParts, byText) : undefined;
  if (drive !== undefined && filter.text !== undefined) {
    if (drive.length === 1) {
      from = `${(drive[0] as TextPart).table} AS f CROSS JOIN search_rows AS e ON e.idx = f.rowid`;
    } else {
      const arms = drive.map(({ table }) => `SELECT rowid AS hit FROM ${table} WHERE ${table} MATCH ?`);
      from = `(${arms.join(" UNION ALL ")}) AS f CROSS JOIN search_rows AS e ON e.idx = f.hit`;
      for (const _ of drive) fromParams.push(ftsQuery(filter.text));
    }
  }
  if (filter.tag !== undefined) {
    from = "search_tags AS t JOIN search_rows AS e ON e.idx = t.idx";
    sort = ["t.occurred_ms", "t.idx"];
    where.push("t.tag = ?");
    params.push(filter.tag);
  }
  for (const [field, column] of EQUAL_COLUMNS) {
    const value = filter[field];
    if (value === undefined) continue;
    where.push(`e.${column} = ?`);
    params.push(value);
  }
  if (filter.actionPrefix !== undefined) {
    where.push("e.action >= ?", "e.action < ?");
    params.push(filter.actionPrefix, prefixEnd(filter.actionPrefix));
  }
  if (f.fromMs !== undefined) {
    where.push(`${sort[0]} >= ?`);
    params.push(f.fromMs);
  }
  if (f.toMs !== undefined) {
    where.push(`${sort[0]} < ?`);
    params.push(f.toMs);
  }
  if (filter.text !== undefined) {
    const words = ftsQuery(filter.text);
    if (drive?.length === 1) {
      where.push(`f.${(drive[0] as TextPart).table} MATCH ?`);
      params.push(words);
    } else if (drive === undefined) {
      const probe = textProbe(f.textParts, words);
      where.push(probe.sql);
      params.push(...probe.params);
    }
  }
  if (filter.where !== undefined) {
    const condition = conditionSql(filter.where, { textParts: f.textParts, textProbe, ftsQuery });
    where.push(condition.sql);
    params.push(...condition.params);
  }
  return {
    sql: `FROM ${from} WHERE ${where.length > 0 ? where.join(" AND ") : "1"}`,
    params: [...fromParams, ...params],
    sort,
  };
}

/** The parts a text-driven query reads: one (a walk's step) or all of them. */
function driveParts(parts: readonly TextPart[], byText: true | TextPart): readonly TextPart[] {
  if (byText !== true) return [byText];
  if (parts.length === 0) throw new Error("a text query needs the parts of the full-text index");
  return parts;
}

/**
 * Whether entry e's text matches, asked of the part that holds e.idx (the
 * range guards are cheap and skip the other parts' lookups). With the one
 * part a young tenant has, the plain EXISTS.
 */
function textProbe(parts: readonly TextPart[], words: string): SqlQuery {
  const exists = (table: string) => `EXISTS (SELECT 1 FROM ${table} WHERE ${table} MATCH ? AND rowid = e.idx)`;
  if (parts.length === 0) throw new Error("a text query needs the parts of the full-text index");
  if (parts.length === 1) return { sql: exists((parts[0] as TextPart).table), params: [words] };
  const params: unknown[] = [];
  const arms = parts.map((p) => {
    const guards: string[] = [];
    if (p.lo > 0) {
      guards.push("e.idx >= ?");
      params.push(p.lo);
    }
    if (p.hi !== undefined) {
      guards.push("e.idx < ?");
      params.push(p.hi);
    }
    params.push(words);
    return `(${[...guards, exists(p.table)].join(" AND ")})`;
  });
  return { sql: `(${arms.join(" OR ")})`, params };
}

/**
 * The columns of a QueriedEntry, for any query over `search_rows AS e`. The
 * leaf comes from the log itself (entries, by rowid), never from the projection.
 */
export const ENTRY_COLUMNS =
  "e.idx, e.event_id, (SELECT leaf_data FROM entries WHERE idx = e.idx) AS leaf_data, e.occurred_ms, " +
  "(SELECT received_ms FROM entries WHERE idx = e.idx) AS received_ms";

/** One page of matching entries, plus one more to tell whether another page follows. */
export function searchSql(f: SqliteFilter, page: CheckedPage, byText = false): SqlQuery {
  const base = filterSql(f, byText);
  const [occurred, idx] = base.sort;
  const dir = page.order === "asc" ? "ASC" : "DESC";
  let sql = `SELECT ${ENTRY_COLUMNS} ${base.sql}`;
  const params = [...base.params];
  if (page.after !== undefined) {
    sql += ` AND (${occurred}, ${idx}) ${page.order === "asc" ? ">" : "<"} (?, ?)`;
    params.push(page.after.occurredMs, page.after.index);
  }
  sql += ` ORDER BY ${occurred} ${dir}, ${idx} ${dir} LIMIT ?`;
  params.push(page.limit + 1);
  return { sql, params };
}

/**
 * A text search's matches in one part of the full-text index with indexes
 * in [lo, hi) (either bound optional), in log-index order (newest index
 * first for desc), with every other filter and the cursor applied, at most
 * `limit` of them: the steps of the walk in sqlite-text-walk.ts. Requires
 * canDriveByText(f).
 */
export function textWalkSql(
  f: SqliteFilter,
  page: CheckedPage,
  range: { lo?: number; hi?: number },
  limit: number,
  part: TextPart,
): SqlQuery {
  const base = filterSql(f, part);
  const desc = page.order === "desc";
  let sql = `SELECT e.idx, e.occurred_ms ${base.sql}`;
  const params = [...base.params];
  if (page.after !== undefined) {
    sql += ` AND (e.occurred_ms, e.idx) ${desc ? "<" : ">"} (?, ?)`;
    params.push(page.after.occurredMs, page.after.index);
  }
  if (range.lo !== undefined) {
    sql += " AND f.rowid >= ?";
    params.push(range.lo);
  }
  if (range.hi !== undefined) {
    sql += " AND f.rowid < ?";
    params.push(range.hi);
  }
  sql += ` ORDER BY f.rowid ${desc ? "DESC" : "ASC"} LIMIT ?`;
  params.push(limit);
  return { sql, params };
}

/**
 * The next block of indexes, in the walk's direction from `bound` (below it
 * for desc, above it for asc), that may hold an event sorting before one at
 * `ms`: a later one for desc, an earlier one for asc.
 */
export function nextBlockSql(order: "asc" | "desc", bound: number, ms: number, blockBits: number): SqlQuery {
  return order === "desc"
    ? {
        sql: "SELECT block FROM search_blocks WHERE block <= ? AND max_ms > ? ORDER BY block DESC LIMIT 1",
        params: [(bound - 1) >> blockBits, ms],
      }
    : {
        sql: "SELECT block FROM search_blocks WHERE block >= ? AND min_ms < ? ORDER BY block ASC LIMIT 1",
        params: [(bound + 1) >> blockBits, ms],
      };
}

/** Entries by index, for the page a text walk chose. */
export function entriesByIndexSql(indexes: readonly number[]): SqlQuery {
  return {
    sql: `SELECT ${ENTRY_COLUMNS} FROM search_rows AS e WHERE e.idx IN (SELECT value FROM json_each(?))`,
    params: [JSON.stringify(indexes)],
  };
}

/** Counts of whole hours in [fromMs, toMs), both hour-aligned, from the hourly rollup. */
export function hourCountsSql(fromMs: number, toMs: number): SqlQuery {
  return { sql: "SELECT hour_ms, n FROM search_hours WHERE hour_ms >= ? AND hour_ms < ?", params: [fromMs, toMs] };
}

/** Oldest and newest occurred_ms of the matching entries (NULLs when none). */
export function timeRangeSql(f: SqliteFilter): SqlQuery {
  const base = filterSql(f);
  return { sql: `SELECT min(${base.sort[0]}) AS lo, max(${base.sort[0]}) AS hi ${base.sql}`, params: base.params };
}

/** The `limit` largest groups of the matching entries, largest first, ties by name. */
export function topGroupsSql(f: SqliteFilter, groupBy: StatsGroupBy, limit: number): SqlQuery {
  const base = filterSql(f);
  const g = GROUP_COLUMNS[groupBy];
  return {
    sql: `SELECT ${g} AS g, count(*) AS n ${base.sql} GROUP BY g ORDER BY n DESC, g LIMIT ?`,
    params: [...base.params, limit],
  };
}

/**
 * Counts per bucket (floor of occurred_ms on the grid, also before 1970) and,
 * with groupBy, per named group; other groups count under NULL.
 */
export function bucketCountsSql(
  f: SqliteFilter,
  grid: BucketGrid,
  grouping?: { groupBy: StatsGroupBy; groups: readonly string[] },
): SqlQuery {
  const base = filterSql(f);
  const shifted = `(${base.sort[0]} - ?)`;
  const bucket = `${shifted} - ((${shifted} % ?) + ?) % ? + ?`;
  const params: unknown[] = [grid.offsetMs, grid.offsetMs, grid.sizeMs, grid.sizeMs, grid.sizeMs, grid.offsetMs];
  if (grouping === undefined) {
    return { sql: `SELECT ${bucket} AS b, count(*) AS n ${base.sql} GROUP BY b`, params: [...params, ...base.params] };
  }
  const g = GROUP_COLUMNS[grouping.groupBy];
  params.push(JSON.stringify(grouping.groups));
  return {
    sql: `SELECT ${bucket} AS b, CASE WHEN ${g} IN (SELECT value FROM json_each(?)) THEN ${g} END AS g, count(*) AS n ${base.sql} GROUP BY b, g`,
    params: [...params, ...base.params],
  };
}
