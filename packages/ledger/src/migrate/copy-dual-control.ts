// Copies each tenant's dual-control setting (approval-store.ts). A tenant in
// single-admin mode that lost the setting would fall back to dual control,
// the safe default, but its admins would find every such change waiting for
// a second person; the setting is carried so nothing changes at the switch-over.
import type { ApprovalStore } from "../store/approval-store.js";
import { type CopyCounts, copyCounts, type TenantIdMap } from "./copy-counts.js";
import type { SqliteStateReader } from "./sqlite-source.js";

/** updated: a newer source setting replaced an older target one. */
export async function copyDualControl(
  source: SqliteStateReader,
  target: ApprovalStore,
  mapId: TenantIdMap,
): Promise<CopyCounts> {
  const out = copyCounts();
  for (const d of source.dualControl()) {
    const tenantId = mapId(d.tenantId);
    const existing = await target.dualControl(tenantId);
    if (existing.setAt !== null && existing.setAt >= d.setAt) {
      out.unchanged++;
      continue;
    }
    await target.setSingleAdmin(tenantId, d.singleAdmin, d.setBy, d.setAt);
    out[existing.setAt === null ? "inserted" : "updated"]++;
  }
  return out;
}
