// AuditQuery on SQLite, over the same connection as SqliteStore: keyset-paged
// search on (occurred_ms, idx), FTS5 free text, tag lookups, UTC buckets,
// causation traces and state replay. Read-only apart from its schema.
import type { EventFilter } from "@trailproof/protocol";
import type {
  AuditQuery,
  EntryPage,
  PageRequest,
  QueriedEntry,
  StateAtResult,
  StatsOptions,
  StatsResult,
  TraceOptions,
  TraceResult,
} from "../../query/audit-query.js";
import { encodeCursor } from "../../query/cursor.js";
import {
  type CheckedFilter,
  checkEventFilter,
  checkMaxEvents,
  checkPageRequest,
  invalidQuery,
} from "../../query/query-input.js";
import { replayChanges } from "../../query/replay-changes.js";
import { assembleStats, type BucketRow, checkBucketCount, checkStatsOptions } from "../../query/stats-buckets.js";
import { type TraceEntry, type TraceSource, walkTrace } from "../../query/trace-walk.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-database.js";
import { applySqliteQuerySchema } from "./sqlite-query-schema.js";
import {
  bucketCountsSql,
  canDriveByText,
  RARE_TEXT_MATCHES,
  type SqlQuery,
  searchSql,
  textMatchCountSql,
  timeRangeSql,
  topGroupsSql,
} from "./sqlite-search-sql.js";

interface EntrySqlRow {
  idx: number;
  event_id: string;
  leaf_data: Uint8Array;
  occurred_ms: number;
  received_ms: number;
}

interface TraceSqlRow extends EntrySqlRow {
  caused_by: string | null;
  run_id: string | null;
}

const toEntry = (r: EntrySqlRow): QueriedEntry => ({
  index: r.idx,
  eventId: r.event_id,
  leafData: r.leaf_data,
  occurredMs: r.occurred_ms,
  receivedMs: r.received_ms,
});

const toTraceEntry = (r: TraceSqlRow): TraceEntry => ({ ...toEntry(r), causedBy: r.caused_by, runId: r.run_id });

/** Prepared dynamic statements kept; the filter combinations in real use are few. */
const STATEMENT_CACHE_SIZE = 128;
const TRACE_COLUMNS = "idx, event_id, leaf_data, occurred_ms, received_ms, caused_by, run_id";

export class SqliteAuditQuery implements AuditQuery {
  readonly #db: SqliteDatabase;
  readonly #cache = new Map<string, SqliteStatement>();
  readonly #s: ReturnType<typeof prepareStatements>;

  /** Creates the search structures if missing (backfilling them), on the connection SqliteStore uses. */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    applySqliteQuerySchema(db);
    this.#s = prepareStatements(db);
  }

  #all<T>(query: SqlQuery): T[] {
    let stmt = this.#cache.get(query.sql);
    if (stmt === undefined) {
      if (this.#cache.size >= STATEMENT_CACHE_SIZE) this.#cache.clear();
      stmt = this.#db.prepare(query.sql);
      this.#cache.set(query.sql, stmt);
    }
    return stmt.all(...query.params) as T[];
  }

  /** Whether a search with `f` is better driven by its full-text matches (see RARE_TEXT_MATCHES). */
  #fewTextMatches(f: CheckedFilter): boolean {
    if (f.filter.text === undefined || !canDriveByText(f)) return false;
    const [count] = this.#all<{ n: number }>(textMatchCountSql(f.filter.text));
    return (count?.n ?? RARE_TEXT_MATCHES) < RARE_TEXT_MATCHES;
  }

  async search(tenantId: number, filter: EventFilter, page: PageRequest): Promise<EntryPage> {
    const f = checkEventFilter(filter);
    const p = checkPageRequest(page);
    const rows = this.#all<EntrySqlRow>(searchSql(tenantId, f, p, this.#fewTextMatches(f)));
    const entries = rows.slice(0, p.limit).map(toEntry);
    const last = entries[entries.length - 1];
    const more = rows.length > p.limit && last !== undefined;
    return {
      entries,
      nextCursor: more ? encodeCursor({ occurredMs: last.occurredMs, index: last.index }, p.order) : null,
    };
  }

  async stats(tenantId: number, filter: EventFilter, options: StatsOptions): Promise<StatsResult> {
    const f = checkEventFilter(filter);
    const { grid, groupBy, maxGroups } = checkStatsOptions(options);
    let { fromMs, toMs } = f;
    if (fromMs === undefined || toMs === undefined) {
      const [range] = this.#all<{ lo: number | null; hi: number | null }>(timeRangeSql(tenantId, f));
      if (range?.lo == null || range.hi == null) return assembleStats([], groupBy === undefined ? undefined : []);
      fromMs ??= range.lo;
      toMs ??= range.hi + 1;
    }
    if (fromMs >= toMs) return assembleStats([], groupBy === undefined ? undefined : []);
    checkBucketCount(grid, fromMs, toMs);
    if (groupBy === undefined) {
      const rows = this.#all<{ b: number; n: number }>(bucketCountsSql(tenantId, f, grid));
      return assembleStats(
        rows.map((r) => ({ bucketMs: r.b, count: r.n })),
        undefined,
      );
    }
    const groups = this.#all<{ g: string }>(topGroupsSql(tenantId, f, groupBy, maxGroups)).map((r) => r.g);
    const rows = this.#all<{ b: number; g: string | null; n: number }>(
      bucketCountsSql(tenantId, f, grid, { groupBy, groups }),
    );
    return assembleStats(
      rows.map((r): BucketRow => ({ bucketMs: r.b, group: r.g, count: r.n })),
      groups,
    );
  }

  async trace(tenantId: number, eventId: string, options: TraceOptions): Promise<TraceResult | undefined> {
    const maxEvents = checkMaxEvents(options.maxEvents);
    const s = this.#s;
    const source: TraceSource = {
      byEventId: async (id) => {
        const row = s.byEventId.get(tenantId, id) as TraceSqlRow | undefined;
        return row && toTraceEntry(row);
      },
      causedBy: async (ids, limit) =>
        (s.causedBy.all(tenantId, JSON.stringify(ids), limit) as TraceSqlRow[]).map(toTraceEntry),
      run: async (runId, limit) => (s.run.all(tenantId, runId, limit) as TraceSqlRow[]).map(toTraceEntry),
    };
    return walkTrace(source, eventId, maxEvents);
  }

  targetHistory(tenantId: number, targetType: string, targetId: string, page: PageRequest): Promise<EntryPage> {
    return this.search(tenantId, { targetType, targetId }, page);
  }

  async stateAt(tenantId: number, targetType: string, targetId: string, atMs: number): Promise<StateAtResult> {
    checkEventFilter({ targetType, targetId });
    if (!Number.isSafeInteger(atMs)) {
      throw invalidQuery([{ pointer: "/at", message: "must be a whole number of milliseconds since the epoch" }]);
    }
    const rows = this.#s.targetUntil.iterate(tenantId, targetType, targetId, atMs) as IterableIterator<EntrySqlRow>;
    return replayChanges(mapIterable(rows, toEntry));
  }
}

function* mapIterable<A, B>(items: Iterable<A>, f: (a: A) => B): Iterable<B> {
  for (const item of items) yield f(item);
}

function prepareStatements(db: SqliteDatabase) {
  const p = (sql: string): SqliteStatement => db.prepare(sql);
  return {
    byEventId: p(`SELECT ${TRACE_COLUMNS} FROM entries WHERE tenant_id = ? AND event_id = ?`),
    // INDEXED BY: see SMALL_SET_INDEXES in sqlite-search-sql.ts.
    causedBy: p(
      `SELECT ${TRACE_COLUMNS} FROM entries INDEXED BY entries_caused_by
       WHERE tenant_id = ? AND caused_by IN (SELECT value FROM json_each(?)) ORDER BY occurred_ms, idx LIMIT ?`,
    ),
    run: p(
      `SELECT ${TRACE_COLUMNS} FROM entries INDEXED BY entries_run
       WHERE tenant_id = ? AND run_id = ? ORDER BY occurred_ms, idx LIMIT ?`,
    ),
    targetUntil: p(
      `SELECT idx, event_id, leaf_data, occurred_ms, received_ms FROM entries
       WHERE tenant_id = ? AND target_type = ? AND target_id = ? AND occurred_ms <= ? ORDER BY occurred_ms, idx`,
    ),
  };
}
