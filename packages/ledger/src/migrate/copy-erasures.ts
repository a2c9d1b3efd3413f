// Copies a tenant's erasures: replayed on the target over the tombstones the
// log copy brought along, with the counts the source recorded, so that the
// target's verification finds each tombstone's erasure and each erasure's
// erasure.complete event, as the source's did. Replaying is idempotent.
import type { LogStore } from "../store/log-store.js";

/** Replays every erasure of the source tenant on the target; returns how many were new there. */
export async function copyErasures(
  source: LogStore,
  sourceTenantId: number,
  target: LogStore,
  targetTenantId: number,
): Promise<number> {
  let created = 0;
  for (const e of await source.listErasures(sourceTenantId)) {
    const { valuesErased, entriesTouched, ...asked } = e;
    const result = await target.eraseSubject(targetTenantId, { ...asked, copied: { valuesErased, entriesTouched } });
    if (result.created) created += 1;
  }
  return created;
}
