// Recovering a tenant locked out of its administration (every admin key
// revoked, every admin person disabled): the platform operator issues a new
// admin key, over HTTP with the operator key or on the host with the CLI, and
// the tenant's own log records it, so the tenant sees who let whom back in.
import type { AppendedBy } from "@trailproof/core";
import type { Ledger } from "../ledger.js";
import type { AccessStore } from "../store/access-store.js";
import { type IssuedKey, issueApiKey } from "./api-keys.js";

export interface RecoveryKeyOptions {
  /** Who issued it, as the record's actor id (e.g. `operator:<key id>`). */
  createdBy: string;
  /** The key's label. */
  name?: string;
  /** appended_by of the record in the tenant's log. */
  appendedBy: AppendedBy;
}

/**
 * Issues an admin key for `tenant` (TENANT_NOT_FOUND if there is none) and
 * records `apikey.create` with `recovery: true`, risk critical, in its log.
 * The key is shown once; only its hash is stored.
 */
export async function issueRecoveryAdminKey(
  ledger: Ledger,
  access: AccessStore,
  tenant: string,
  options: RecoveryKeyOptions,
): Promise<IssuedKey> {
  const record = await ledger.tenantRecord(tenant);
  const issued = await issueApiKey(access, {
    tenantId: record.tenantId,
    role: "admin",
    name: options.name ?? "recovery admin key",
    createdBy: options.createdBy,
  });
  await ledger.append(
    tenant,
    [
      {
        action: "apikey.create",
        occurred_at: new Date().toISOString(),
        actor: { type: "system", id: options.createdBy },
        target: { type: "api_key", id: issued.record.keyId },
        metadata: { role: "admin", name: issued.record.name, recovery: true },
        risk: "critical",
      },
    ],
    { appendedBy: options.appendedBy, serviceRecord: true },
  );
  return issued;
}
