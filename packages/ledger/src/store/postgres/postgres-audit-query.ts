// AuditQuery on PostgreSQL over the search projection (schema/003-search.ts):
// keyset-paged search on (occurred_ms, idx), full-text lexemes, tag lookups,
// UTC buckets (from the hourly counts when nothing but time is filtered),
// causation traces and state replay. Read-only; each call is one transaction
// scoped to its tenant, so row-level security holds even if a filter were lost.
import { PERSON_TARGET_TYPES } from "@trailproof/core";
import type { EventFilter } from "@trailproof/protocol";
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
import { checkEventFilter, checkMaxEvents, checkPageRequest, invalidQuery } from "../../query/query-input.js";
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
import type { PgQueryable, PgSql } from "./postgres-client.js";
import {
  bucketCountsSql,
  ENTRY_COLUMNS,
  ENTRY_JOIN,
  hourCountsSql,
  type PgQuery,
  RARE_TEXT_MATCHES,
  searchSql,
  textMatchesSql,
  timeRangeSql,
  topGroupsSql,
} from "./postgres-search-sql.js";
import { inTenant } from "./tenant-scope.js";

const TRACE_COLUMNS = `${ENTRY_COLUMNS}, e.caused_by, e.run_id`;

/**
 * Runs a built query unprepared: the planner then sees the values (one
 * actor's share of the tenant, a word's frequency) and picks between an
 * ordered index walk and reading the matches, where a generic plan of a
 * prepared statement would pick once for every value.
 */
function run<T>(tx: PgQueryable, q: PgQuery): Promise<T[]> {
  return tx.unsafe(q.text, q.params as never[], { prepare: false }) as unknown as Promise<T[]>;
}

export class PostgresAuditQuery implements AuditQuery {
  readonly #sql: PgSql;

  /** Requires `sql` connected as the app role, on a database migrated to schema 3 or later. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  /**
   * One page plus one row. A text search reads its matches and sorts them
   * when they are few (RARE_TEXT_MATCHES); anything else walks the index its
   * filter selects, in (occurred_ms, idx) order.
   */
  async search(tenantId: number, filter: EventFilter, page: PageRequest): Promise<EntryPage> {
    const f = checkEventFilter(filter);
    const p = checkPageRequest(page);
    const rows = await inTenant(this.#sql, tenantId, async (tx) => {
      if (f.filter.text !== undefined) {
        const matched = await run<EntrySqlRow & { matches: number }>(
          tx,
          textMatchesSql(tenantId, f, p, RARE_TEXT_MATCHES),
        );
        if ((matched[0]?.matches ?? 0) < RARE_TEXT_MATCHES) return matched;
      }
      return run<EntrySqlRow>(tx, searchSql(tenantId, f, p));
    });
    return pageOf(rows, p);
  }

  async stats(tenantId: number, filter: EventFilter, options: StatsOptions): Promise<StatsResult> {
    const f = checkEventFilter(filter);
    const { grid, groupBy, maxGroups } = checkStatsOptions(options);
    const none = () => assembleStats([], groupBy === undefined ? undefined : []);
    return inTenant(this.#sql, tenantId, async (tx) => {
      let { fromMs, toMs } = f;
      if (fromMs === undefined || toMs === undefined) {
        const [range] = await run<{ lo: number | null; hi: number | null }>(tx, timeRangeSql(tenantId, f));
        if (range?.lo == null || range.hi == null) return none();
        fromMs ??= range.lo;
        toMs ??= range.hi + 1;
      }
      if (fromMs >= toMs) return none();
      checkBucketCount(grid, fromMs, toMs);
      if (groupBy === undefined) {
        const rows =
          onlyTime(f.filter) && isHourAligned(grid)
            ? await countsByHours(grid, fromMs, toMs, {
                hours: (first, end) => run<{ hour_ms: number; n: number }>(tx, hourCountsSql(tenantId, first, end)),
                range: (lo, hi) =>
                  run<{ b: number; n: number }>(tx, bucketCountsSql(tenantId, { ...f, fromMs: lo, toMs: hi }, grid)),
              })
            : await run<{ b: number; n: number }>(tx, bucketCountsSql(tenantId, f, grid));
        return assembleStats(
          rows.map((r) => ({ bucketMs: r.b, count: r.n })),
          undefined,
        );
      }
      const groups = (await run<{ g: string }>(tx, topGroupsSql(tenantId, f, groupBy, maxGroups))).map((r) => r.g);
      const rows = await run<{ b: number; g: string | null; n: number }>(
        tx,
        bucketCountsSql(tenantId, f, grid, { groupBy, groups }),
      );
      return assembleStats(
        rows.map((r): BucketRow => ({ bucketMs: r.b, group: r.g, count: r.n })),
        groups,
      );
    });
  }

  async trace(tenantId: number, eventId: string, options: TraceOptions): Promise<TraceResult | undefined> {
    const maxEvents = checkMaxEvents(options.maxEvents);
    return inTenant(this.#sql, tenantId, (tx) => {
      const rows = (q: Promise<TraceSqlRow[]>) => q.then((r) => r.map(toTraceEntry));
      const source: TraceSource = {
        // The event id resolves through the log's own unique index, not the projection.
        byEventId: async (id) =>
          (
            await rows(tx<TraceSqlRow[]>`
              SELECT ${tx.unsafe(TRACE_COLUMNS)} FROM search_rows AS e ${tx.unsafe(ENTRY_JOIN)}
              WHERE e.tenant_id = ${tenantId} AND e.idx = (
                SELECT idx FROM entries WHERE tenant_id = ${tenantId} AND event_id = ${id})`)
          )[0],
        causedBy: (ids, limit) =>
          rows(tx<TraceSqlRow[]>`
            SELECT ${tx.unsafe(TRACE_COLUMNS)} FROM search_rows AS e ${tx.unsafe(ENTRY_JOIN)}
            WHERE e.tenant_id = ${tenantId} AND e.caused_by = ANY (${[...ids]}::text[])
            ORDER BY e.occurred_ms, e.idx LIMIT ${limit}`),
        run: (runId, limit) =>
          rows(tx<TraceSqlRow[]>`
            SELECT ${tx.unsafe(TRACE_COLUMNS)} FROM search_rows AS e ${tx.unsafe(ENTRY_JOIN)}
            WHERE e.tenant_id = ${tenantId} AND e.run_id = ${runId}
            ORDER BY e.occurred_ms, e.idx LIMIT ${limit}`),
      };
      return walkTrace(source, eventId, maxEvents);
    });
  }

  targetHistory(tenantId: number, targetType: string, targetId: string, page: PageRequest): Promise<EntryPage> {
    return this.search(tenantId, { targetType, targetId }, page);
  }

  async personIds(tenantId: number, after: string, limit: number): Promise<string[]> {
    // A rare, audited read (resolving a pseudonym): a scan of the tenant's rows.
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ id: string }[]>`
        SELECT id FROM (
          SELECT actor_id AS id FROM search_rows
          WHERE tenant_id = ${tenantId} AND actor_type = 'user' AND actor_id > ${after}
          UNION SELECT target_id FROM search_rows
          WHERE tenant_id = ${tenantId} AND target_type = ANY (${[...PERSON_TARGET_TYPES]}::text[]) AND target_id > ${after}
        ) AS ids ORDER BY id COLLATE "C" LIMIT ${limit}`,
    );
    return rows.map((r) => r.id);
  }

  async stateAt(tenantId: number, targetType: string, targetId: string, atMs: number): Promise<StateAtResult> {
    checkEventFilter({ targetType, targetId });
    if (!Number.isSafeInteger(atMs)) {
      throw invalidQuery([{ pointer: "/at", message: "must be a whole number of milliseconds since the epoch" }]);
    }
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<EntrySqlRow[]>`
        SELECT ${tx.unsafe(ENTRY_COLUMNS)} FROM search_rows AS e ${tx.unsafe(ENTRY_JOIN)}
        WHERE e.tenant_id = ${tenantId} AND e.target_type = ${targetType} AND e.target_id = ${targetId}
          AND e.occurred_ms <= ${atMs}
        ORDER BY e.occurred_ms, e.idx`,
    );
    return replayChanges(rows.map(toEntry));
  }
}

/** True when the filter narrows by time alone. */
function onlyTime(filter: EventFilter): boolean {
  return Object.entries(filter).every(([k, v]) => v === undefined || k === "from" || k === "to");
}
