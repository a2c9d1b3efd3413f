// AccessStore on the same SQLite database as the log.
import type { AccessStore, ApiKeyRecord, RevokeOutcome } from "../access-store.js";
import { type ApiKeyRow, toApiKey } from "../catalogue-rows.js";
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
}
