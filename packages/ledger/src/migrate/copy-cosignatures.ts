// Copies witness cosignatures (docs/witness.md). They were verified when
// received and each names a checkpoint the copied log holds; without them a
// checkpoint read asking for N cosignatures finds none, and witnesses are
// asked again from tree size 0.
import type { CosignatureStore } from "../store/cosignature-store.js";
import { type CopyCounts, copyCounts, type TenantIdMap } from "./copy-counts.js";
import type { SqliteStateReader } from "./sqlite-source.js";

export async function copyCosignatures(
  source: SqliteStateReader,
  target: CosignatureStore,
  mapId: TenantIdMap,
): Promise<CopyCounts> {
  const out = copyCounts();
  for (const c of source.cosignatures()) {
    const stored = await target.putCosignature({ ...c, tenantId: mapId(c.tenantId) });
    out[stored ? "inserted" : "unchanged"]++;
  }
  return out;
}
