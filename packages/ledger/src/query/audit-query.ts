// The query contract: the read side every store implements natively (SQLite
// now, PostgreSQL later) and audit-query.conformance.ts checks. Results carry
// committed leaf data only; revealing personal fields is the caller's call.
import type { JsonValue } from "@trailproof/core";
import type { EventFilter } from "@trailproof/protocol";

/** One entry as queries return it: the leaf data is the committed (redacted) event. */
export interface QueriedEntry {
  index: number;
  eventId: string;
  leafData: Uint8Array;
  occurredMs: number;
  receivedMs: number;
}

export type SortOrder = "asc" | "desc";

export interface PageRequest {
  /** 1 to MAX_PAGE_LIMIT. */
  limit: number;
  /** By occurred_at, then index: a total order, so pages neither repeat nor skip. */
  order: SortOrder;
  /** nextCursor of the previous page of the same query and order; untrusted. */
  cursor?: string;
}

export interface EntryPage {
  entries: QueriedEntry[];
  /** Present while more entries may follow; null on the last page. */
  nextCursor: string | null;
}

export type StatsBucket = "minute" | "hour" | "day" | "week";
export type StatsGroupBy = "action" | "actor" | "outcome" | "risk" | "kind" | "category";

export interface StatsOptions {
  bucket: StatsBucket;
  groupBy?: StatsGroupBy;
  /** Groups reported by name, the largest first (1 to 100, default 10); the rest are summed in `other`. */
  maxGroups?: number;
}

export interface StatsBucketCount {
  /** Start of the bucket, UTC ISO. Weeks start on Monday 00:00 UTC (ISO 8601). */
  start: string;
  count: number;
  /** With groupBy: counts of the named groups present in this bucket. */
  groups?: Record<string, number>;
  /**
   * With groupBy: events of this bucket outside the named groups. A separate
   * field, not a group, because any string (an actor id "other") can be a group.
   */
  other?: number;
}

export interface StatsResult {
  total: number;
  /** Buckets with at least one event, oldest first; empty buckets are omitted. */
  buckets: StatsBucketCount[];
  /** With groupBy: the named groups, largest total first (ties by name). */
  groups?: string[];
}

export interface TraceOptions {
  /** Bound on each of ancestors, run and descendants (1 to MAX_TRACE_EVENTS). */
  maxEvents: number;
}

export interface TraceResult {
  event: QueriedEntry;
  /** automation.caused_by followed upward, the root cause first. */
  ancestors: QueriedEntry[];
  /** The caused_by of the top-most ancestor when it names no event of this tenant, else null. */
  unresolvedCause: string | null;
  /** Every event of this event's run (automation.run_id), this one included, by occurred_at then index. */
  run: QueriedEntry[];
  /** Events caused by this one, then by those, breadth first; each level by occurred_at then index. */
  descendants: QueriedEntry[];
  /** True when a section stopped at maxEvents (or at a cause already seen: a cycle). */
  truncated: boolean;
}

/** A change that could not be replayed; the state after it may be wrong and says so here. */
export interface StateGap {
  index: number;
  eventId: string;
  occurredAt: string;
  reason: "patch_failed" | "before_mismatch";
  message: string;
}

export interface StateAtResult {
  /** The committed (redacted) state as of atMs; null before the first change or after a delete. */
  state: JsonValue | null;
  /** The last change applied, or null when none was. */
  asOf: { index: number; eventId: string; occurredAt: string } | null;
  appliedEvents: number;
  gaps: StateGap[];
}

export interface AuditQuery {
  /**
   * Entries of `tenantId` matching every field of `filter`, one page of them.
   * MUST NOT return another tenant's entries, whatever the cursor. Throws
   * SEARCH_QUERY_INVALID for a bad filter or limit, SEARCH_CURSOR_INVALID for
   * a cursor that is malformed or was issued for the other order.
   */
  search(tenantId: number, filter: EventFilter, page: PageRequest): Promise<EntryPage>;

  /**
   * Counts of matching entries per UTC-aligned bucket. Without filter.from or
   * filter.to the range is clamped to the matching data. Throws
   * STATS_TOO_MANY_BUCKETS when the range holds more than MAX_STATS_BUCKETS.
   */
  stats(tenantId: number, filter: EventFilter, options: StatsOptions): Promise<StatsResult>;

  /** The causation around one event; undefined when the event is not in this tenant's log. */
  trace(tenantId: number, eventId: string, options: TraceOptions): Promise<TraceResult | undefined>;

  /** Every entry whose target is (targetType, targetId), paged like search. */
  targetHistory(tenantId: number, targetType: string, targetId: string, page: PageRequest): Promise<EntryPage>;

  /**
   * The target's state at atMs (occurred_at <= atMs), replayed from the
   * change sections of its entries in occurred order: change.after when
   * present, else change.patch applied to the state so far ({} if none).
   */
  stateAt(tenantId: number, targetType: string, targetId: string, atMs: number): Promise<StateAtResult>;

  /**
   * Distinct ids that name a person in the tenant's entries (actors of type
   * user, targets of a PERSON_TARGET_TYPES type), greater than `after`, in
   * code-unit order, at most `limit`: what resolving a pseudonym tries.
   */
  personIds(tenantId: number, after: string, limit: number): Promise<string[]>;
}
