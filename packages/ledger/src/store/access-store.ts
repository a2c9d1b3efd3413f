// Who may call the service: API keys and platform keys, stored only as
// hashes. Unlike the log, this state changes (keys are revoked); every change
// to a tenant's keys is itself recorded in the tenant's log by the service.
import type { Role } from "@trailproof/protocol";
import type { UnknownActionPolicy } from "./log-store.js";

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

/**
 * A platform key (`tpp_`): one ingest credential of the platform operator
 * that appends to many tenants, naming the tenant per request. It belongs to
 * no tenant, so no tenant's log records its creation; its row keeps who made
 * it and when, and every entry it appends names it in appended_by.
 */
export interface PlatformKeyRecord {
  keyId: string;
  name: string;
  /** Hex SHA-256 of the key's secret part; the key itself is never stored. */
  secretHash: string;
  /** The tenant names it may append to, or "all". */
  tenants: "all" | string[];
  /** Whether a tenant it names that does not exist yet is created on first use. */
  createTenants: boolean;
  /** The unknown-actions policy of the tenants it creates. */
  unknownActions: UnknownActionPolicy;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
}

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

  /** MUST refuse a repeated key id, changing nothing. */
  insertPlatformKey(record: PlatformKeyRecord): Promise<void>;
  findPlatformKey(keyId: string): Promise<PlatformKeyRecord | undefined>;
  /** Every platform key, revoked ones included, oldest first. */
  listPlatformKeys(): Promise<PlatformKeyRecord[]>;
  /**
   * Marks an active platform key revoked, once: `not_found` (nothing changed)
   * when there is no such key or it is already revoked. Nothing else of the
   * row may ever change, and no row is ever deleted.
   */
  revokePlatformKey(keyId: string, at: string): Promise<"revoked" | "not_found">;
}
