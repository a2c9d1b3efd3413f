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

export interface AccessStore {
  insertApiKey(record: ApiKeyRecord): Promise<void>;
  findApiKey(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Keys of one tenant, or the operator keys when tenantId is null. */
  listApiKeys(tenantId: number | null): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; false when the tenant has no such active key. */
  revokeApiKey(tenantId: number | null, keyId: string, at: string): Promise<boolean>;
}
