// Time buckets of AuditQuery.stats: UTC-aligned grids (weeks start on Monday,
// ISO 8601), the bound on their number, and the result assembled from
// per-bucket counts, so every store buckets and groups the same way.
import { InvalidInputError } from "@trailproof/core";
import type { StatsBucket, StatsBucketCount, StatsGroupBy, StatsOptions, StatsResult } from "./audit-query.js";
import { invalidQuery } from "./query-input.js";

export const MAX_STATS_BUCKETS = 2000;
export const DEFAULT_MAX_GROUPS = 10;
export const MAX_GROUPS = 100;

const DAY_MS = 86_400_000;
const SIZE_MS: Record<StatsBucket, number> = { minute: 60_000, hour: 3_600_000, day: DAY_MS, week: 7 * DAY_MS };
const GROUP_BY: readonly StatsGroupBy[] = ["action", "actor", "outcome", "risk", "kind", "category"];

/** Buckets are [offsetMs + k * sizeMs, offsetMs + (k + 1) * sizeMs) for integer k. */
export interface BucketGrid {
  bucket: StatsBucket;
  sizeMs: number;
  /** 1970-01-05, a Monday, for weeks; 0 otherwise. */
  offsetMs: number;
}

export interface CheckedStatsOptions {
  grid: BucketGrid;
  groupBy: StatsGroupBy | undefined;
  maxGroups: number;
}

export function checkStatsOptions(options: StatsOptions): CheckedStatsOptions {
  const problems = [];
  if (!Object.hasOwn(SIZE_MS, options.bucket)) {
    problems.push({ pointer: "/bucket", message: `must be one of: ${Object.keys(SIZE_MS).join(", ")}` });
  }
  if (options.groupBy !== undefined && !GROUP_BY.includes(options.groupBy)) {
    problems.push({ pointer: "/groupBy", message: `must be one of: ${GROUP_BY.join(", ")}` });
  }
  const maxGroups = options.maxGroups ?? DEFAULT_MAX_GROUPS;
  if (!Number.isSafeInteger(maxGroups) || maxGroups < 1 || maxGroups > MAX_GROUPS) {
    problems.push({ pointer: "/maxGroups", message: `must be an integer from 1 to ${MAX_GROUPS}` });
  }
  if (problems.length > 0) throw invalidQuery(problems);
  const bucket = options.bucket;
  const grid = { bucket, sizeMs: SIZE_MS[bucket], offsetMs: bucket === "week" ? 4 * DAY_MS : 0 };
  return { grid, groupBy: options.groupBy, maxGroups };
}

/** Start of the bucket holding `ms` (floor, also before 1970). */
export function bucketStart(grid: BucketGrid, ms: number): number {
  const shifted = ms - grid.offsetMs;
  return shifted - (((shifted % grid.sizeMs) + grid.sizeMs) % grid.sizeMs) + grid.offsetMs;
}

/**
 * Throws STATS_TOO_MANY_BUCKETS when [fromMs, toMs) spans more than
 * MAX_STATS_BUCKETS buckets. Requires fromMs < toMs.
 */
export function checkBucketCount(grid: BucketGrid, fromMs: number, toMs: number): void {
  const count = (bucketStart(grid, toMs - 1) - bucketStart(grid, fromMs)) / grid.sizeMs + 1;
  if (count <= MAX_STATS_BUCKETS) return;
  const message = `${grid.bucket} buckets from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()} number ${count}; at most ${MAX_STATS_BUCKETS}: choose a larger bucket or a shorter range`;
  throw new InvalidInputError("STATS_TOO_MANY_BUCKETS", message, { problems: [{ pointer: "/bucket", message }] });
}

/** One row of a store's count: a bucket start, the group (null: outside the named groups) and a count. */
export interface BucketRow {
  bucketMs: number;
  group?: string | null;
  count: number;
}

/** The result from `rows`; with groupBy, `groups` are the named groups, largest first. */
export function assembleStats(rows: readonly BucketRow[], groups: readonly string[] | undefined): StatsResult {
  // Group names are data (an actor id may be "__proto__"): counted in Maps,
  // turned into objects with Object.fromEntries, which defines own properties.
  const byStart = new Map<number, { count: number; other: number; groups: Map<string, number> }>();
  let total = 0;
  for (const row of rows) {
    total += row.count;
    let bucket = byStart.get(row.bucketMs);
    if (bucket === undefined) {
      bucket = { count: 0, other: 0, groups: new Map() };
      byStart.set(row.bucketMs, bucket);
    }
    bucket.count += row.count;
    if (row.group === null || row.group === undefined) bucket.other += row.count;
    else bucket.groups.set(row.group, (bucket.groups.get(row.group) ?? 0) + row.count);
  }
  const buckets = [...byStart.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, b]): StatsBucketCount => {
      const start = new Date(startMs).toISOString();
      if (groups === undefined) return { start, count: b.count };
      return { start, count: b.count, groups: Object.fromEntries(b.groups), other: b.other };
    });
  return groups === undefined ? { total, buckets } : { total, buckets, groups: [...groups] };
}

export const HOUR_MS = 3_600_000;

/** Whether every bucket of `grid` is whole hours, so hourly counts can fill it (countsByHours). */
export function isHourAligned(grid: BucketGrid): boolean {
  return grid.sizeMs % HOUR_MS === 0 && grid.offsetMs % HOUR_MS === 0;
}

/** Where a store reads counts for countsByHours. */
export interface HourCountSource {
  /** Entries per UTC hour for hours firstHour <= h < endHour (the stores' hourly counts). */
  hours(
    firstHour: number,
    endHour: number,
  ): Promise<{ hour_ms: number; n: number }[]> | { hour_ms: number; n: number }[];
  /** Bucket counts of the matching entries with fromMs <= occurred_at < toMs, read from the entries. */
  range(fromMs: number, toMs: number): Promise<{ b: number; n: number }[]> | { b: number; n: number }[];
}

/**
 * Bucket counts of every entry in [fromMs, toMs) on an hour-aligned grid:
 * whole hours from the hourly counts, the partial hours at either end from
 * the entries. Exact, since no bucket boundary falls inside an hour.
 */
export async function countsByHours(
  grid: BucketGrid,
  fromMs: number,
  toMs: number,
  source: HourCountSource,
): Promise<{ b: number; n: number }[]> {
  const firstHour = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
  const endHour = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  if (firstHour >= endHour) return source.range(fromMs, toMs);
  const counts = new Map<number, number>();
  const add = (b: number, n: number) => counts.set(b, (counts.get(b) ?? 0) + n);
  for (const r of await source.hours(firstHour, endHour)) add(bucketStart(grid, r.hour_ms), r.n);
  for (const [lo, hi] of [
    [fromMs, firstHour],
    [endHour, toMs],
  ] as const) {
    if (lo < hi) for (const r of await source.range(lo, hi)) add(r.b, r.n);
  }
  return [...counts].map(([b, n]) => ({ b, n }));
}
