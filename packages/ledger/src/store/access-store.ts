// Who may call the service: API keys, stored only as hashes. Unlike the log,
// this state changes (keys are revoked); every change is itself recorded in
// the tenant's log by the service.
import type { Role } from "@trailproof/protocol";

export interface ApiKeyRecord {
  keyId: string;
  /** null for the platform operator credential. */
  tenantId: number | null;
  role: Role;
  name: string;
  /** Hex SHA-256 of the key's secret part; the key itself is never stored. */
  secretHash: string;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
}

/**
 * What revoking a key did. `last_admin`: refused, nothing changed, because the
 * key is its tenant's last admin credential (see AccessStore.revokeApiKey).
 */
export type RevokeOutcome = "revoked" | "not_found" | "last_admin";

export interface AccessStore {
  insertApiKey(record: ApiKeyRecord): Promise<void>;
  findApiKey(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Keys of one tenant, or the operator keys when tenantId is null. */
  listApiKeys(tenantId: number | null): Promise<ApiKeyRecord[]>;
  /**
   * Marks a key revoked; `not_found` when the tenant has no such active key.
   * MUST refuse (`last_admin`, changing nothing) when the key is an admin key
   * and no other admin credential of its tenant would remain: an active admin
   * key or an enabled person with the admin role. The check and the change
   * MUST be one atomic step, so two concurrent revocations cannot both pass it.
   */
  revokeApiKey(tenantId: number | null, keyId: string, at: string): Promise<RevokeOutcome>;
}
