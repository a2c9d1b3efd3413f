// AuditQuery on SQLite, over each tenant's file (the connection SqliteStore
// holds): keyset-paged search on (occurred_ms, idx) over the search
// projection, FTS5 free text, tag lookups, UTC buckets (from the hourly counts
// when nothing but time is filtered), causation traces and state replay.
// Read-only. It reads what the projection covers: a client that must read
// its own write waits for the projection first (DataDir.waitForSearch).
import { hasErrorCode, PERSON_TARGET_TYPES } from "@trailproof/core";
import { type EventFilter, forEachTerm } from "@trailproof/protocol";
import type {
  AuditQuery,
  EntryPage,
  PageRequest,
  StateAtResult,
  StatsOptions,
  StatsResult,
  TraceOptions,
  TraceResult,
} from "../../query/audit-query.js";
import { type EntrySqlRow, pageOf, type TraceSqlRow, toEntry, toTraceEntry } from "../../query/queried-rows.js";
import {
  type CheckedPage,
  checkEventFilter,
  checkMaxEvents,
  checkPageRequest,
  invalidQuery,
} from "../../query/query-input.js";
import { replayChanges } from "../../query/replay-changes.js";
import {
  assembleStats,
  type BucketRow,
  checkBucketCount,
  checkStatsOptions,
  countsByHours,
  isHourAligned,
} from "../../query/stats-buckets.js";
import { type TraceSource, walkTrace } from "../../query/trace-walk.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-database.js";
import {
  bucketCountsSql,
  canDriveByText,
  ENTRY_COLUMNS,
  entriesByIndexSql,
  hourCountsSql,
  RARE_TEXT_MATCHES,
  type SqliteFilter,
  type SqlQuery,
  searchSql,
  textMatchCountSql,
  timeRangeSql,
  topGroupsSql,
} from "./sqlite-search-sql.js";
import { TEXT_PARTS_SQL, textPartsOf } from "./sqlite-text-parts.js";
import { walkTextMatches } from "./sqlite-text-walk.js";

/** Prepared dynamic statements kept; the filter combinations in real use are few. */
const STATEMENT_CACHE_SIZE = 128;
const TRACE_COLUMNS = `${ENTRY_COLUMNS}, e.caused_by, e.run_id`;

/** One tenant file's statements: the fixed ones and a bounded cache of dynamic ones. */
interface TenantStatements {
  db: SqliteDatabase;
  cache: Map<string, SqliteStatement>;
  s: ReturnType<typeof prepareStatements>;
}

export class SqliteAuditQuery implements AuditQuery {
  readonly #database: (tenantId: number) => SqliteDatabase;
  readonly #tenants = new Map<number, TenantStatements>();

  /** `database` gives the tenant's file connection (SqliteStore.tenantDatabase); it throws TENANT_NOT_FOUND. */
  constructor(database: (tenantId: number) => SqliteDatabase) {
    this.#database = database;
  }

  /** The tenant's statements; undefined for a tenant that does not exist, whose queries find nothing. */
  #tenant(tenantId: number): TenantStatements | undefined {
    let t = this.#tenants.get(tenantId);
    if (!t) {
      let db: SqliteDatabase;
      try {
        db = this.#database(tenantId);
      } catch (err) {
        if (hasErrorCode(err, "TENANT_NOT_FOUND")) return undefined;
        throw err;
      }
      t = { db, cache: new Map(), s: prepareStatements(db) };
      this.#tenants.set(tenantId, t);
    }
    return t;
  }

  #all<T>(tenantId: number, query: SqlQuery): T[] {
    const t = this.#tenant(tenantId);
    if (t === undefined) return [];
    let stmt = t.cache.get(query.sql);
    if (stmt === undefined) {
      if (t.cache.size >= STATEMENT_CACHE_SIZE) t.cache.clear();
      stmt = t.db.prepare(query.sql);
      t.cache.set(query.sql, stmt);
    }
    return stmt.all(...query.params) as T[];
  }

  /** Whether the text of `f` has fewer than RARE_TEXT_MATCHES matches. */
  #fewTextMatches(tenantId: number, f: SqliteFilter): boolean {
    if (f.filter.text === undefined) return false;
    const [count] = this.#all<{ n: number }>(tenantId, textMatchCountSql(f.filter.text, f.textParts));
    return (count?.n ?? RARE_TEXT_MATCHES) < RARE_TEXT_MATCHES;
  }

  /** The filter checked, with the parts of the tenant's full-text index when it has text. */
  #filter(tenantId: number, filter: EventFilter): SqliteFilter {
    const f = checkEventFilter(filter);
    if (!hasText(f.filter)) return { ...f, textParts: [] };
    return { ...f, textParts: textPartsOf(this.#all(tenantId, TEXT_PARTS_SQL)) };
  }

  async search(tenantId: number, filter: EventFilter, page: PageRequest): Promise<EntryPage> {
    const f = this.#filter(tenantId, filter);
    const p = checkPageRequest(page);
    const rows = this.#searchRows(tenantId, f, p);
    return pageOf(rows, p);
  }

  /**
   * One page plus one row. A text search the text can drive reads its
   * matches: all of them, sorted, when they are few; a bounded walk in index
   * order when they are many (sqlite-text-walk.ts). Anything else walks the
   * index its filter selects, in (occurred_ms, idx) order.
   */
  #searchRows(tenantId: number, f: SqliteFilter, p: CheckedPage): EntrySqlRow[] {
    if (f.filter.text === undefined || !canDriveByText(f)) return this.#all(tenantId, searchSql(f, p));
    if (this.#fewTextMatches(tenantId, f)) return this.#all(tenantId, searchSql(f, p, true));
    const indexes = walkTextMatches((q) => this.#all(tenantId, q), f, p);
    const byIndex = new Map(
      this.#all<EntrySqlRow>(tenantId, entriesByIndexSql(indexes)).map((r) => [r.idx, r] as const),
    );
    return indexes.map((i) => byIndex.get(i)).filter((r): r is EntrySqlRow => r !== undefined);
  }

  async stats(tenantId: number, filter: EventFilter, options: StatsOptions): Promise<StatsResult> {
    const f = this.#filter(tenantId, filter);
    const { grid, groupBy, maxGroups } = checkStatsOptions(options);
    let { fromMs, toMs } = f;
    if (fromMs === undefined || toMs === undefined) {
      const [range] = this.#all<{ lo: number | null; hi: number | null }>(tenantId, timeRangeSql(f));
      if (range?.lo == null || range.hi == null) return assembleStats([], groupBy === undefined ? undefined : []);
      fromMs ??= range.lo;
      toMs ??= range.hi + 1;
    }
    if (fromMs >= toMs) return assembleStats([], groupBy === undefined ? undefined : []);
    checkBucketCount(grid, fromMs, toMs);
    if (groupBy === undefined) {
      const rows =
        onlyTime(f.filter) && isHourAligned(grid)
          ? await countsByHours(grid, fromMs, toMs, {
              hours: (first, end) => this.#all<{ hour_ms: number; n: number }>(tenantId, hourCountsSql(first, end)),
              range: (lo, hi) =>
                this.#all<{ b: number; n: number }>(tenantId, bucketCountsSql({ ...f, fromMs: lo, toMs: hi }, grid)),
            })
          : this.#all<{ b: number; n: number }>(tenantId, bucketCountsSql(f, grid));
      return assembleStats(
        rows.map((r) => ({ bucketMs: r.b, count: r.n })),
        undefined,
      );
    }
    const groups = this.#all<{ g: string }>(tenantId, topGroupsSql(f, groupBy, maxGroups)).map((r) => r.g);
    const rows = this.#all<{ b: number; g: string | null; n: number }>(
      tenantId,
      bucketCountsSql(f, grid, { groupBy, groups }),
    );
    return assembleStats(
      rows.map((r): BucketRow => ({ bucketMs: r.b, group: r.g, count: r.n })),
      groups,
    );
  }

  async trace(tenantId: number, eventId: string, options: TraceOptions): Promise<TraceResult | undefined> {
    const maxEvents = checkMaxEvents(options.maxEvents);
    const t = this.#tenant(tenantId);
    if (t === undefined) return undefined;
    const { s } = t;
    const source: TraceSource = {
      byEventId: async (id) => {
        const row = s.byEventId.get(id) as TraceSqlRow | undefined;
        return row && toTraceEntry(row);
      },
      causedBy: async (ids, limit) => (s.causedBy.all(JSON.stringify(ids), limit) as TraceSqlRow[]).map(toTraceEntry),
      run: async (runId, limit) => (s.run.all(runId, limit) as TraceSqlRow[]).map(toTraceEntry),
    };
    return walkTrace(source, eventId, maxEvents);
  }

  targetHistory(tenantId: number, targetType: string, targetId: string, page: PageRequest): Promise<EntryPage> {
    return this.search(tenantId, { targetType, targetId }, page);
  }

  async personIds(tenantId: number, after: string, limit: number): Promise<string[]> {
    const t = this.#tenant(tenantId);
    if (!t) return [];
    const rows = t.s.personIds.all(after, after, limit) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async stateAt(tenantId: number, targetType: string, targetId: string, atMs: number): Promise<StateAtResult> {
    checkEventFilter({ targetType, targetId });
    if (!Number.isSafeInteger(atMs)) {
      throw invalidQuery([{ pointer: "/at", message: "must be a whole number of milliseconds since the epoch" }]);
    }
    const t = this.#tenant(tenantId);
    const rows = (t?.s.targetUntil.iterate(targetType, targetId, atMs) ?? []) as Iterable<EntrySqlRow>;
    return replayChanges(mapIterable(rows, toEntry));
  }
}

function* mapIterable<A, B>(items: Iterable<A>, f: (a: A) => B): Iterable<B> {
  for (const item of items) yield f(item);
}

/** True when the filter has free text, as a field or a term of its condition. */
function hasText(filter: EventFilter): boolean {
  let text = filter.text !== undefined;
  if (filter.where !== undefined) {
    forEachTerm(filter.where, (t) => {
      if (t.field === "text") text = true;
    });
  }
  return text;
}

/** True when the filter narrows by time alone. */
function onlyTime(filter: EventFilter): boolean {
  return Object.entries(filter).every(([k, v]) => v === undefined || k === "from" || k === "to");
}

/** PERSON_TARGET_TYPES as an SQL list (fixed lower-case words: nothing to escape). */
const PERSON_TYPES_SQL = PERSON_TARGET_TYPES.map((t) => `'${t}'`).join(", ");

function prepareStatements(db: SqliteDatabase) {
  const p = (sql: string): SqliteStatement => db.prepare(sql);
  return {
    // The event id resolves through the log's own unique index, not the projection.
    byEventId: p(
      `SELECT ${TRACE_COLUMNS} FROM search_rows AS e WHERE e.idx = (SELECT idx FROM entries WHERE event_id = ?)`,
    ),
    // INDEXED BY: see SMALL_SET_INDEXES in sqlite-search-sql.ts.
    causedBy: p(
      `SELECT ${TRACE_COLUMNS} FROM search_rows AS e INDEXED BY search_caused_by
       WHERE e.caused_by IN (SELECT value FROM json_each(?)) ORDER BY e.occurred_ms, e.idx LIMIT ?`,
    ),
    run: p(
      `SELECT ${TRACE_COLUMNS} FROM search_rows AS e INDEXED BY search_run
       WHERE e.run_id = ? ORDER BY e.occurred_ms, e.idx LIMIT ?`,
    ),
    // A rare, audited read (resolving a pseudonym): a scan, no index of its own.
    personIds: p(
      `SELECT id FROM (
         SELECT actor_id AS id FROM search_rows WHERE actor_type = 'user' AND actor_id > ?
         UNION SELECT target_id FROM search_rows WHERE target_type IN (${PERSON_TYPES_SQL}) AND target_id > ?
       ) ORDER BY id LIMIT ?`,
    ),
    targetUntil: p(
      `SELECT ${ENTRY_COLUMNS} FROM search_rows AS e
       WHERE e.target_type = ? AND e.target_id = ? AND e.occurred_ms <= ? ORDER BY e.occurred_ms, e.idx`,
    ),
  };
}
