// Creating a tenant: its log (with its own origin, signing key and digest
// key), its first admin key (and, when named, a second approver's admin key
// for dual control), and first entries recording who created them.
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
  /** The second approver's admin key, when one was named; shown once. */
  secondAdminKey?: string;
  secondAdminKeyId?: string;
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
    /**
     * The name of a second approver: a second admin key for a different
     * person, so a tenant's changes under dual control have someone to
     * approve them from the start.
     */
    secondApprover?: string;
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
  const second =
    options.secondApprover === undefined
      ? undefined
      : await issueApiKey(access, {
          tenantId: tenant.tenantId,
          role: "admin",
          name: `second approver: ${options.secondApprover}`,
          createdBy: options.createdBy,
        });
  const keyEvents = [issued, ...(second ? [second] : [])].map((k) => ({
    action: "apikey.create",
    occurred_at: new Date().toISOString(),
    actor: { type: "system", id: options.createdBy },
    target: { type: "api_key", id: k.record.keyId },
    metadata: { role: "admin", name: k.record.name },
  }));
  await ledger.append(
    name,
    [
      {
        action: "tenant.create",
        occurred_at: new Date().toISOString(),
        actor: { type: "system", id: options.createdBy },
        target: { type: "tenant", id: name },
      },
      ...keyEvents,
    ],
    options.appendedBy ? { appendedBy: options.appendedBy, serviceRecord: true } : { serviceRecord: true },
  );
  return {
    tenant,
    adminKey: issued.key,
    adminKeyId: issued.record.keyId,
    ...(second ? { secondAdminKey: second.key, secondAdminKeyId: second.record.keyId } : {}),
  };
}
