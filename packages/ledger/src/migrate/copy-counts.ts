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

/** The same, keeping null (operator rows: channels and deliveries without a tenant). */
export const orOperator =
  (mapId: TenantIdMap) =>
  (id: number | null): number | null =>
    id === null ? null : mapId(id);
