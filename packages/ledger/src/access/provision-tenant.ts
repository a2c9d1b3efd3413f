// Creating a tenant: its log (with its own origin, signing key and digest
// key), its first admin key, and a first entry recording who created it.
import type { AppendedBy } from "@trailproof/core";
import type { Ledger } from "../ledger.js";
import type { AccessStore } from "../store/access-store.js";
import type { TenantRecord, UnknownActionPolicy } from "../store/log-store.js";
import { issueApiKey } from "./api-keys.js";

export interface ProvisionedTenant {
  tenant: TenantRecord;
  /** Shown once; only its hash is stored. */
  adminKey: string;
  adminKeyId: string;
}

export async function provisionTenant(
  ledger: Ledger,
  access: AccessStore,
  name: string,
  options: {
    createdBy: string;
    unknownActions?: UnknownActionPolicy;
    /** appended_by of the first entries; the ledger's default (service/library) when absent. */
    appendedBy?: AppendedBy;
  },
): Promise<ProvisionedTenant> {
  const tenant = await ledger.createTenant(
    name,
    options.unknownActions ? { unknownActions: options.unknownActions } : {},
  );
  const issued = await issueApiKey(access, {
    tenantId: tenant.tenantId,
    role: "admin",
    name: "initial admin key",
    createdBy: options.createdBy,
  });
  await ledger.append(
    name,
    [
      {
        action: "tenant.create",
        occurred_at: new Date().toISOString(),
        actor: { type: "system", id: options.createdBy },
        target: { type: "tenant", id: name },
      },
      {
        action: "apikey.create",
        occurred_at: new Date().toISOString(),
        actor: { type: "system", id: options.createdBy },
        target: { type: "api_key", id: issued.record.keyId },
        metadata: { role: "admin", name: issued.record.name },
      },
    ],
    options.appendedBy ? { appendedBy: options.appendedBy, serviceRecord: true } : { serviceRecord: true },
  );
  return { tenant, adminKey: issued.key, adminKeyId: issued.record.keyId };
}
