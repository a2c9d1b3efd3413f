// AccessStore on PostgreSQL (schema/002-catalogue.ts, 009-platform-keys.ts):
// every method in its tenant's row-level security scope, platform keys in
// operator scope; a key is found by id, before its tenant is known, only
// through the find_api_key and find_platform_key functions.
import type { Role } from "@trailproof/protocol";
import type { AccessStore, ApiKeyRecord, PlatformKeyRecord, RevokeOutcome } from "../access-store.js";
import { type ApiKeyRow, type PlatformKeyRow, toApiKey, toPlatformKey } from "../catalogue-rows.js";
import { countAdminCredentials, lockAdminCredentials } from "./postgres-catalogue-admins.js";
import type { PgSql, PgTx } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

/** The tenant filter every statement keeps beside the policy; null: the operator's keys. */
const ofTenant = (tx: PgTx, tenantId: number | null) =>
  tenantId === null ? tx`tenant_id IS NULL` : tx`tenant_id = ${tenantId}`;

export class PostgresAccessStore implements AccessStore {
  readonly #sql: PgSql;

  /** Requires the schema migrated and `sql` connected as the app role. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async insertApiKey(r: ApiKeyRecord): Promise<void> {
    await inTenant(this.#sql, r.tenantId, async (tx) => {
      await tx`INSERT INTO api_keys (key_id, tenant_id, role, name, secret_hash, created_at, created_by, revoked_at)
        VALUES (${r.keyId}, ${r.tenantId}, ${r.role}, ${r.name}, ${r.secretHash}, ${r.createdAt}, ${r.createdBy}, ${r.revokedAt})`;
    });
  }

  async findApiKey(keyId: string): Promise<ApiKeyRecord | undefined> {
    // keyId comes from the presented key: untrusted, but only ever a parameter.
    const [row] = await this.#sql<ApiKeyRow[]>`SELECT * FROM find_api_key(${keyId})`;
    return row && toApiKey(row);
  }

  async listApiKeys(tenantId: number | null): Promise<ApiKeyRecord[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<ApiKeyRow[]>`SELECT * FROM api_keys WHERE ${ofTenant(tx, tenantId)} ORDER BY created_at, key_id`,
    );
    return rows.map(toApiKey);
  }

  async revokeApiKey(tenantId: number | null, keyId: string, at: string): Promise<RevokeOutcome> {
    return inTenant(this.#sql, tenantId, async (tx) => {
      // Operator keys (tenant null) are never admin keys: no rule, no lock.
      if (tenantId !== null) await lockAdminCredentials(tx, tenantId);
      const [key] = await tx<{ role: Role }[]>`
        SELECT role FROM api_keys WHERE key_id = ${keyId} AND ${ofTenant(tx, tenantId)} AND revoked_at IS NULL`;
      if (!key) return "not_found";
      if (key.role === "admin" && tenantId !== null && (await countAdminCredentials(tx, tenantId)) <= 1) {
        return "last_admin";
      }
      const done = await tx`
        UPDATE api_keys SET revoked_at = ${at} WHERE key_id = ${keyId} AND ${ofTenant(tx, tenantId)} AND revoked_at IS NULL`;
      // Zero only when a concurrent revocation of this same key committed first.
      return done.count === 1 ? "revoked" : "not_found";
    });
  }

  async insertPlatformKey(r: PlatformKeyRecord): Promise<void> {
    await inTenant(this.#sql, null, async (tx) => {
      await tx`INSERT INTO platform_keys (key_id, name, secret_hash, tenants, create_tenants, unknown_actions, created_at, created_by, revoked_at)
        VALUES (${r.keyId}, ${r.name}, ${r.secretHash}, ${r.tenants === "all" ? null : tx.json(r.tenants)}, ${r.createTenants},
          ${r.unknownActions}, ${r.createdAt}, ${r.createdBy}, ${r.revokedAt})`;
    });
  }

  async findPlatformKey(keyId: string): Promise<PlatformKeyRecord | undefined> {
    // keyId comes from the presented key: untrusted, but only ever a parameter.
    const [row] = await this.#sql<PlatformKeyRow[]>`SELECT * FROM find_platform_key(${keyId})`;
    return row && toPlatformKey(row);
  }

  async listPlatformKeys(): Promise<PlatformKeyRecord[]> {
    const rows = await inTenant(
      this.#sql,
      null,
      (tx) => tx<PlatformKeyRow[]>`SELECT * FROM platform_keys ORDER BY created_at, key_id`,
    );
    return rows.map(toPlatformKey);
  }

  async revokePlatformKey(keyId: string, at: string): Promise<"revoked" | "not_found"> {
    const done = await inTenant(
      this.#sql,
      null,
      (tx) => tx`UPDATE platform_keys SET revoked_at = ${at} WHERE key_id = ${keyId} AND revoked_at IS NULL`,
    );
    return done.count === 1 ? "revoked" : "not_found";
  }
}
