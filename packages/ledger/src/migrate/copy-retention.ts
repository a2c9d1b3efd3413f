// Copies retention policies and legal holds (docs/retention.md) from a SQLite
// data directory, tenant ids translated. A hold missing from the target
// would let the pruner remove what it protects, so every hold travels, lifted
// ones too (they are history); a lift only the target has is kept.
import type { RetentionStore } from "../store/retention-store.js";
import { type CopyCounts, copyCounts, type TenantIdMap } from "./copy-counts.js";
import type { SqliteStateReader } from "./sqlite-source.js";

export interface CopiedRetention {
  /** inserted: set where the target had none; updated: a newer source policy replaced an older target one. */
  retentionPolicies: CopyCounts;
  /** updated: a lift copied. */
  legalHolds: CopyCounts;
}

export async function copyRetention(
  source: SqliteStateReader,
  target: RetentionStore,
  mapId: TenantIdMap,
): Promise<CopiedRetention> {
  const out: CopiedRetention = { retentionPolicies: copyCounts(), legalHolds: copyCounts() };
  for (const p of source.retentionPolicies()) {
    const tenantId = mapId(p.tenantId);
    const existing = await target.retentionPolicy(tenantId);
    // A policy set on PostgreSQL after this one (by a node already serving there) is kept.
    if (existing.updatedAt !== null && existing.updatedAt >= p.updatedAt) {
      out.retentionPolicies.unchanged++;
      continue;
    }
    await target.setRetentionPolicy(tenantId, p.policy, p.updatedBy, p.updatedAt);
    out.retentionPolicies[existing.updatedAt === null ? "inserted" : "updated"]++;
  }
  for (const hold of source.legalHolds()) {
    const h = { ...hold, tenantId: mapId(hold.tenantId) };
    const existing = await target.findLegalHold(h.tenantId, h.holdId);
    if (existing === undefined) {
      await target.insertLegalHold(h);
      out.legalHolds.inserted++;
    } else if (h.liftedAt !== null && existing.liftedAt === null) {
      await target.liftLegalHold(h.tenantId, h.holdId, h.liftedBy as string, h.liftedAt);
      out.legalHolds.updated++;
    } else out.legalHolds.unchanged++;
  }
  return out;
}
