// What one copier did with each kind of row, shared by the state copiers
// (copy-state.ts) and the catalogue's (copy-catalogue.ts).
import { TrailproofError } from "@trailproof/core";

export interface CopyCounts {
  inserted: number;
  /** Rows both held whose later state (a lift, a revocation, a cursor further on) was carried over. */
  updated: number;
  unchanged: number;
}

export const copyCounts = (): CopyCounts => ({ inserted: 0, updated: 0, unchanged: 0 });

/** A source tenant id to the target's; throws MIGRATE_SOURCE_INVALID for a row naming no copied tenant. */
export type TenantIdMap = (sourceTenantId: number) => number;

export function tenantIdMap(tenantIds: ReadonlyMap<number, number>): TenantIdMap {
  return (id) => {
    const mapped = tenantIds.get(id);
    if (mapped === undefined) throw new TrailproofError("MIGRATE_SOURCE_INVALID", `no tenant with id ${id}`);
    return mapped;
  };
}

/** The same, keeping null (operator rows without a tenant: API keys, channels, deliveries). */
export const orOperator =
  (mapId: TenantIdMap) =>
  (id: number | null): number | null =>
    id === null ? null : mapId(id);

/**
 * Entries of each target tenant's log this run copied (by target tenant id).
 * A cursor beyond them (the SQLite service followed entries appended after
 * its log was copied) is left for the next run: copied now, it would index
 * entries the target does not hold yet.
 */
export type CopiedSizes = ReadonlyMap<number, number>;

export function beyondCopy(sizes: CopiedSizes, tenantId: number, covered: number): boolean {
  return covered > (sizes.get(tenantId) ?? 0);
}

export const deferredNote = (what: string, covered: number): string =>
  `${what}: its cursor (${covered}) is beyond the copied log, left for the next run (stop the service, copy again)`;
