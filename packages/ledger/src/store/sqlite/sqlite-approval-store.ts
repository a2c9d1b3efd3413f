// ApprovalStore on the SQLite catalogue (trailproof.db), beside the API keys.
import type { JsonObject } from "@trailproof/core";
import type {
  ApprovalRecord,
  ApprovalStatus,
  ApprovalStore,
  DecideOutcome,
  DualControlSetting,
} from "../approval-store.js";
import { type ApprovalRow, toApproval } from "../catalogue-rows.js";
import type { SqliteDatabase } from "./sqlite-database.js";

const DDL = `
CREATE TABLE IF NOT EXISTS approvals (
  approval_id TEXT PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (tenant_id),
  action TEXT NOT NULL,
  request TEXT NOT NULL CHECK (json_type(request) = 'object'),
  requested_by TEXT NOT NULL,
  requester_owner TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  outcome TEXT CHECK (outcome IS NULL OR json_type(outcome) = 'object'),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX IF NOT EXISTS approvals_tenant ON approvals (tenant_id, created_at);
-- A request is decided once, and its outcome recorded once; nothing is deleted.
CREATE TRIGGER IF NOT EXISTS approvals_update BEFORE UPDATE ON approvals
WHEN NEW.approval_id IS NOT OLD.approval_id OR NEW.tenant_id IS NOT OLD.tenant_id OR NEW.action IS NOT OLD.action
  OR NEW.request IS NOT OLD.request OR NEW.requested_by IS NOT OLD.requested_by
  OR NEW.requester_owner IS NOT OLD.requester_owner OR NEW.created_at IS NOT OLD.created_at
  OR NEW.expires_at IS NOT OLD.expires_at
  OR (OLD.status <> 'pending' AND (NEW.status IS NOT OLD.status OR NEW.decided_by IS NOT OLD.decided_by
    OR NEW.decided_at IS NOT OLD.decided_at))
  OR (OLD.outcome IS NOT NULL AND NEW.outcome IS NOT OLD.outcome)
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: an approval is decided once and never rewritten'); END;
CREATE TRIGGER IF NOT EXISTS approvals_delete BEFORE DELETE ON approvals
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: approvals are never deleted'); END;
CREATE TABLE IF NOT EXISTS dual_control (
  tenant_id INTEGER PRIMARY KEY REFERENCES tenants (tenant_id),
  single_admin INTEGER NOT NULL CHECK (single_admin IN (0, 1)),
  set_by TEXT NOT NULL,
  set_at TEXT NOT NULL
);
`;

export class SqliteApprovalStore implements ApprovalStore {
  readonly #db: SqliteDatabase;
  /** False on a read-only open of a catalogue written before approvals existed: reads find none. */
  readonly #hasTables: boolean;

  /** Requires the log schema (tenants) to exist: construct after SqliteStore. */
  constructor(db: SqliteDatabase) {
    this.#db = db;
    if (db.readonly !== true) db.exec(DDL);
    this.#hasTables =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'approvals'").get() !== undefined;
  }

  async insertApproval(r: ApprovalRecord): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO approvals (approval_id, tenant_id, action, request, requested_by, requester_owner, status,
          created_at, expires_at, decided_by, decided_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.approvalId,
        r.tenantId,
        r.action,
        JSON.stringify(r.request),
        r.requestedBy,
        r.requesterOwner,
        r.status,
        r.createdAt,
        r.expiresAt,
        r.decidedBy,
        r.decidedAt,
        r.outcome === null ? null : JSON.stringify(r.outcome),
      );
  }

  async findApproval(tenantId: number, approvalId: string): Promise<ApprovalRecord | undefined> {
    if (!this.#hasTables) return undefined;
    const row = this.#db
      .prepare("SELECT * FROM approvals WHERE tenant_id = ? AND approval_id = ?")
      .get(tenantId, approvalId) as ApprovalRow | undefined;
    return row && toApproval(row);
  }

  async listApprovals(
    tenantId: number,
    options: { status?: ApprovalStatus; limit: number },
  ): Promise<ApprovalRecord[]> {
    if (!this.#hasTables) return [];
    const rows = this.#db
      .prepare(
        `SELECT * FROM approvals WHERE tenant_id = ? AND (? IS NULL OR status = ?)
          ORDER BY created_at DESC, approval_id DESC LIMIT ?`,
      )
      .all(tenantId, options.status ?? null, options.status ?? null, options.limit) as ApprovalRow[];
    return rows.map(toApproval);
  }

  async decideApproval(
    tenantId: number,
    approvalId: string,
    decision: { status: "approved" | "rejected"; by: string; at: string },
  ): Promise<DecideOutcome> {
    const done = this.#db
      .prepare(
        `UPDATE approvals SET status = @status, decided_by = @by, decided_at = @at
          WHERE tenant_id = @tenant AND approval_id = @id AND status = 'pending' AND expires_at > @at`,
      )
      .run({ ...decision, tenant: tenantId, id: approvalId });
    if (done.changes === 1) return "decided";
    // Nothing changed; only the reason is read here.
    const row = await this.findApproval(tenantId, approvalId);
    if (row === undefined) return "not_found";
    return row.status === "pending" ? "expired" : "not_pending";
  }

  async recordOutcome(tenantId: number, approvalId: string, outcome: JsonObject): Promise<void> {
    this.#db
      .prepare("UPDATE approvals SET outcome = ? WHERE tenant_id = ? AND approval_id = ? AND status = 'approved'")
      .run(JSON.stringify(outcome), tenantId, approvalId);
  }

  async dualControl(tenantId: number): Promise<DualControlSetting> {
    const row = this.#hasTables
      ? (this.#db.prepare("SELECT * FROM dual_control WHERE tenant_id = ?").get(tenantId) as
          | { single_admin: number; set_by: string; set_at: string }
          | undefined)
      : undefined;
    return row === undefined
      ? { singleAdmin: false, setBy: null, setAt: null }
      : { singleAdmin: row.single_admin === 1, setBy: row.set_by, setAt: row.set_at };
  }

  async setSingleAdmin(tenantId: number, singleAdmin: boolean, by: string, at: string): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO dual_control (tenant_id, single_admin, set_by, set_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (tenant_id) DO UPDATE SET single_admin = excluded.single_admin, set_by = excluded.set_by, set_at = excluded.set_at`,
      )
      .run(tenantId, singleAdmin ? 1 : 0, by, at);
  }
}
