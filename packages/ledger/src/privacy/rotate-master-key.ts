// Master-key rotation (docs/runbooks/master-key-rotation.md): every subject
// data key of every tenant unwrapped with the old master key and wrapped
// with the new one, one transaction per tenant (LogStore.rewrapSubjectKeys).
// Resumable: a key that already opens with the new master key (a run that
// stopped halfway) is left as it is; one that opens with neither stops the
// run, naming it, before its tenant is written.
import { TrailproofError } from "@trailproof/core";
import type { LogStore } from "../store/log-store.js";
import { unwrapSubjectKey, wrapSubjectKey } from "./subject-keys.js";

export interface MasterKeyRotation {
  tenant: string;
  rewrapped: number;
  /** Already under the new key (an earlier run), or erased: nothing to do. */
  unchanged: number;
}

export async function rotateMasterKey(
  store: LogStore,
  oldKey: Uint8Array,
  newKey: Uint8Array,
): Promise<MasterKeyRotation[]> {
  const out: MasterKeyRotation[] = [];
  for (const tenant of await store.listTenants()) {
    const rows: { subject: string; wrappedKey: Uint8Array }[] = [];
    let unchanged = 0;
    for (const k of await store.listSubjectKeys(tenant.tenantId)) {
      if (k.wrappedKey === null) {
        unchanged++;
        continue;
      }
      let dataKey: Uint8Array;
      try {
        dataKey = unwrapSubjectKey(oldKey, tenant.name, k.subject, k.wrappedKey);
      } catch {
        try {
          unwrapSubjectKey(newKey, tenant.name, k.subject, k.wrappedKey);
          unchanged++;
          continue;
        } catch (cause) {
          throw new TrailproofError(
            "MASTER_KEY_MISMATCH",
            `the data key of ${k.subject} in tenant ${tenant.name} opens with neither master key: nothing of ${tenant.name} was changed`,
            { cause },
          );
        }
      }
      rows.push({ subject: k.subject, wrappedKey: wrapSubjectKey(newKey, tenant.name, k.subject, dataKey) });
    }
    if (rows.length > 0) await store.rewrapSubjectKeys(tenant.tenantId, rows);
    out.push({ tenant: tenant.name, rewrapped: rows.length, unchanged });
  }
  return out;
}
