// RetentionStore on the SQLite catalogue (trailproof.db), beside approvals.
import type { LegalHold, RetentionPolicy, RetentionStore, StoredRetentionPolicy } from "../retention-store.js";
import { KEEP_FOREVER, type LegalHoldRow, toLegalHold } from "../retention-store.js";
import type { SqliteDatabase } from "./sqlite-database.js";

const DDL = `
CREATE TABLE IF NOT EXISTS retention_policies (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants (tenant_id),
  policy TEXT NOT NULL CHECK (json_type(policy) = 'object'),
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS legal_holds (
  tenant_id INTEGER NOT NULL REFERENCES tenants (tenant_id),
  hold_id TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (json_type(scope) = 'object'),
  reason TEXT NOT NULL,
  expires_at TEXT,
  placed_by TEXT NOT NULL,
  placed_at TEXT NOT NULL,
  lifted_by TEXT,
  lifted_at TEXT,
  PRIMARY KEY (tenant_id, hold_id),
  CHECK ((lifted_by IS NULL) = (lifted_at IS NULL))
);
-- A hold is placed once and lifted once; nothing is deleted.
CREATE TRIGGER IF NOT EXISTS legal_holds_update BEFORE UPDATE ON legal_holds
WHEN OLD.lifted_at IS NOT NULL OR NEW.hold_id IS NOT OLD.hold_id OR NEW.tenant_id IS NOT OLD.tenant_id
  OR NEW.scope IS NOT OLD.scope OR NEW.reason IS NOT OLD.reason OR NEW.expires_at IS NOT OLD.expires_at
  OR NEW.placed_by IS NOT OLD.placed_by OR NEW.placed_at IS NOT OLD.placed_at
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: a legal hold is lifted once and never rewritten'); END;
CREATE TRIGGER IF NOT EXISTS legal_holds_delete BEFORE DELETE ON legal_holds
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: legal holds are never deleted'); END;
`;

export class SqliteRetentionStore implements RetentionStore {
  readonly #db: SqliteDatabase;
  /** False on a read-only open of a catalogue written before retention existed: reads find none. */
  readonly #hasTables: boolean;

  /** Requires the log schema (tenants) to exist: construct after SqliteStore. */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    if (db.readonly !== true) db.exec(DDL);
    this.#hasTables =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'legal_holds'").get() !== undefined;
  }

  async retentionPolicy(tenantId: number): Promise<StoredRetentionPolicy> {
    if (!this.#hasTables) return KEEP_FOREVER;
    const row = this.#db
      .prepare("SELECT policy, updated_by, updated_at FROM retention_policies WHERE tenant_id = ?")
      .get(tenantId) as { policy: string; updated_by: string; updated_at: string } | undefined;
    if (!row) return KEEP_FOREVER;
    const policy = JSON.parse(row.policy) as RetentionPolicy;
    return {
      defaultKeepDays: policy.defaultKeepDays,
      rules: policy.rules,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
    };
  }

  async setRetentionPolicy(tenantId: number, policy: RetentionPolicy, by: string, at: string): Promise<void> {
    const json = JSON.stringify({ defaultKeepDays: policy.defaultKeepDays, rules: policy.rules });
    this.#db
      .prepare(`INSERT INTO retention_policies (tenant_id, policy, updated_by, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_by = excluded.updated_by,
        updated_at = excluded.updated_at`)
      .run(tenantId, json, by, at);
  }

  async insertLegalHold(h: LegalHold): Promise<void> {
    this.#db
      .prepare(`INSERT INTO legal_holds (tenant_id, hold_id, scope, reason, expires_at, placed_by, placed_at,
        lifted_by, lifted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(
        h.tenantId,
        h.holdId,
        JSON.stringify(h.scope),
        h.reason,
        h.expiresAt,
        h.placedBy,
        h.placedAt,
        h.liftedBy,
        h.liftedAt,
      );
  }

  async findLegalHold(tenantId: number, holdId: string): Promise<LegalHold | undefined> {
    if (!this.#hasTables) return undefined;
    const row = this.#db
      .prepare("SELECT * FROM legal_holds WHERE tenant_id = ? AND hold_id = ?")
      .get(tenantId, holdId) as LegalHoldRow | undefined;
    return row && toLegalHold(row);
  }

  async listLegalHolds(tenantId: number): Promise<LegalHold[]> {
    if (!this.#hasTables) return [];
    const rows = this.#db
      .prepare("SELECT * FROM legal_holds WHERE tenant_id = ? ORDER BY placed_at, hold_id")
      .all(tenantId) as LegalHoldRow[];
    return rows.map(toLegalHold);
  }

  async liftLegalHold(tenantId: number, holdId: string, by: string, at: string): Promise<boolean> {
    const result = this.#db
      .prepare(
        "UPDATE legal_holds SET lifted_by = ?, lifted_at = ? WHERE tenant_id = ? AND hold_id = ? AND lifted_at IS NULL",
      )
      .run(by, at, tenantId, holdId);
    return result.changes === 1;
  }
}
