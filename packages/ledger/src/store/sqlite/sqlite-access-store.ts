// AccessStore on the same SQLite database as the log: tenants' API keys and
// the operator's platform keys, each table append-only but for revocation.
import type { AccessStore, ApiKeyRecord, PlatformKeyRecord, RevokeOutcome } from "../access-store.js";
import { type ApiKeyRow, type PlatformKeyRow, toApiKey, toPlatformKey } from "../catalogue-rows.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-database.js";

const DDL = `
CREATE TABLE IF NOT EXISTS api_keys (
  key_id TEXT PRIMARY KEY,
  tenant_id INTEGER REFERENCES tenants (tenant_id),
  role TEXT NOT NULL CHECK (role IN ('ingest', 'viewer', 'auditor', 'admin', 'operator')),
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT,
  revoked_at TEXT,
  CHECK ((role = 'operator') = (tenant_id IS NULL))
);
CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant_id);
-- A key is revoked once and never comes back, nor changes role or tenant.
CREATE TRIGGER IF NOT EXISTS api_keys_update BEFORE UPDATE ON api_keys
WHEN OLD.revoked_at IS NOT NULL OR NEW.key_id IS NOT OLD.key_id OR NEW.tenant_id IS NOT OLD.tenant_id
  OR NEW.role IS NOT OLD.role OR NEW.secret_hash IS NOT OLD.secret_hash
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: only revocation may change an api key'); END;
CREATE TRIGGER IF NOT EXISTS api_keys_delete BEFORE DELETE ON api_keys
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: api keys are revoked, not deleted'); END;

-- Platform keys (access-store.ts PlatformKeyRecord): tenants is a JSON list
-- of tenant names, NULL for every tenant.
CREATE TABLE IF NOT EXISTS platform_keys (
  key_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  tenants TEXT CHECK (tenants IS NULL OR json_type(tenants) = 'array'),
  create_tenants INTEGER NOT NULL CHECK (create_tenants IN (0, 1)),
  unknown_actions TEXT NOT NULL CHECK (unknown_actions IN ('reject', 'accept')),
  created_at TEXT NOT NULL,
  created_by TEXT,
  revoked_at TEXT
);
-- Only revocation changes a platform key, once; nothing deletes one.
CREATE TRIGGER IF NOT EXISTS platform_keys_update BEFORE UPDATE ON platform_keys
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.key_id IS NOT OLD.key_id
  OR NEW.name IS NOT OLD.name OR NEW.secret_hash IS NOT OLD.secret_hash OR NEW.tenants IS NOT OLD.tenants
  OR NEW.create_tenants IS NOT OLD.create_tenants OR NEW.unknown_actions IS NOT OLD.unknown_actions
  OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: only revocation may change a platform key'); END;
CREATE TRIGGER IF NOT EXISTS platform_keys_delete BEFORE DELETE ON platform_keys
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: platform keys are revoked, not deleted'); END;
`;

/**
 * Active admin credentials of tenant `@tenant`, the one the outer statement
 * changes included: admin keys and enabled admin people
 * (sqlite-people-store.ts, same catalogue file). Evaluated inside the UPDATE,
 * so the count and the change are one atomic step under SQLite's single writer.
 */
export const ADMIN_CREDENTIALS_SQL = `(
  (SELECT count(*) FROM api_keys WHERE tenant_id IS @tenant AND role = 'admin' AND revoked_at IS NULL)
  + (SELECT count(*) FROM people WHERE tenant_id IS @tenant AND role = 'admin' AND disabled_at IS NULL))`;

export class SqliteAccessStore implements AccessStore {
  readonly #db: SqliteDatabase;
  readonly #byId: SqliteStatement;
  readonly #platformById: SqliteStatement;

  /**
   * Requires the log schema (tenants) to exist: construct after SqliteStore.
   * Revocation counts people too: the people table must be in this file by
   * the first revocation (openSqliteStores creates both).
   */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    db.exec(DDL);
    // Every authenticated request looks its key up: prepared once.
    this.#byId = db.prepare("SELECT * FROM api_keys WHERE key_id = ?");
    this.#platformById = db.prepare("SELECT * FROM platform_keys WHERE key_id = ?");
  }

  async insertApiKey(r: ApiKeyRecord): Promise<void> {
    this.#db
      .prepare(
        "INSERT INTO api_keys (key_id, tenant_id, role, name, secret_hash, created_at, created_by, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(r.keyId, r.tenantId, r.role, r.name, r.secretHash, r.createdAt, r.createdBy, r.revokedAt);
  }

  async findApiKey(keyId: string): Promise<ApiKeyRecord | undefined> {
    const row = this.#byId.get(keyId) as ApiKeyRow | undefined;
    return row && toApiKey(row);
  }

  async listApiKeys(tenantId: number | null): Promise<ApiKeyRecord[]> {
    const rows = this.#db
      .prepare("SELECT * FROM api_keys WHERE tenant_id IS ? ORDER BY created_at, key_id")
      .all(tenantId) as ApiKeyRow[];
    return rows.map(toApiKey);
  }

  async revokeApiKey(tenantId: number | null, keyId: string, at: string): Promise<RevokeOutcome> {
    const result = this.#db
      .prepare(
        `UPDATE api_keys SET revoked_at = @at WHERE key_id = @key AND tenant_id IS @tenant AND revoked_at IS NULL
          AND (role <> 'admin' OR ${ADMIN_CREDENTIALS_SQL} > 1)`,
      )
      .run({ tenant: tenantId, key: keyId, at });
    if (result.changes === 1) return "revoked";
    // Nothing changed; only the reason is read here.
    const key = this.#byId.get(keyId) as ApiKeyRow | undefined;
    const active = key !== undefined && key.tenant_id === tenantId && key.revoked_at === null;
    return active && key.role === "admin" ? "last_admin" : "not_found";
  }

  async insertPlatformKey(r: PlatformKeyRecord): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO platform_keys (key_id, name, secret_hash, tenants, create_tenants, unknown_actions, created_at, created_by, revoked_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.keyId,
        r.name,
        r.secretHash,
        r.tenants === "all" ? null : JSON.stringify(r.tenants),
        r.createTenants ? 1 : 0,
        r.unknownActions,
        r.createdAt,
        r.createdBy,
        r.revokedAt,
      );
  }

  async findPlatformKey(keyId: string): Promise<PlatformKeyRecord | undefined> {
    const row = this.#platformById.get(keyId) as PlatformKeyRow | undefined;
    return row && toPlatformKey(row);
  }

  async listPlatformKeys(): Promise<PlatformKeyRecord[]> {
    const rows = this.#db.prepare("SELECT * FROM platform_keys ORDER BY created_at, key_id").all() as PlatformKeyRow[];
    return rows.map(toPlatformKey);
  }

  async revokePlatformKey(keyId: string, at: string): Promise<"revoked" | "not_found"> {
    const result = this.#db
      .prepare("UPDATE platform_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL")
      .run(at, keyId);
    return result.changes === 1 ? "revoked" : "not_found";
  }
}
