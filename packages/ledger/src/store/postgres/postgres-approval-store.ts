// ApprovalStore on PostgreSQL (schema/006-approvals.ts): every statement in
// its tenant's row-level security scope; deciding is one conditional UPDATE,
// so two nodes approving one request at once cannot both succeed.
import type { JsonObject } from "@trailproof/core";
import type {
  ApprovalRecord,
  ApprovalStatus,
  ApprovalStore,
  DecideOutcome,
  DualControlSetting,
} from "../approval-store.js";
import { type ApprovalRow, toApproval } from "../catalogue-rows.js";
import type { PgSql } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

export class PostgresApprovalStore implements ApprovalStore {
  readonly #sql: PgSql;

  /** Requires the schema migrated and `sql` connected as the app role. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async insertApproval(r: ApprovalRecord): Promise<void> {
    await inTenant(this.#sql, r.tenantId, async (tx) => {
      await tx`INSERT INTO approvals (approval_id, tenant_id, action, request, requested_by, requester_owner, status,
          created_at, expires_at, decided_by, decided_at, outcome)
        VALUES (${r.approvalId}, ${r.tenantId}, ${r.action}, ${tx.json(r.request)}, ${r.requestedBy}, ${r.requesterOwner},
          ${r.status}, ${r.createdAt}, ${r.expiresAt}, ${r.decidedBy}, ${r.decidedAt},
          ${r.outcome === null ? null : tx.json(r.outcome)})`;
    });
  }

  async findApproval(tenantId: number, approvalId: string): Promise<ApprovalRecord | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<ApprovalRow[]>`SELECT * FROM approvals WHERE tenant_id = ${tenantId} AND approval_id = ${approvalId}`,
    );
    return row && toApproval(row);
  }

  async listApprovals(
    tenantId: number,
    options: { status?: ApprovalStatus; limit: number },
  ): Promise<ApprovalRecord[]> {
    const status = options.status ?? null;
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<ApprovalRow[]>`SELECT * FROM approvals
        WHERE tenant_id = ${tenantId} AND (${status}::text IS NULL OR status = ${status})
        ORDER BY created_at DESC, approval_id DESC LIMIT ${options.limit}`,
    );
    return rows.map(toApproval);
  }

  async decideApproval(
    tenantId: number,
    approvalId: string,
    decision: { status: "approved" | "rejected"; by: string; at: string },
  ): Promise<DecideOutcome> {
    return inTenant(this.#sql, tenantId, async (tx) => {
      const done = await tx`UPDATE approvals SET status = ${decision.status}, decided_by = ${decision.by},
          decided_at = ${decision.at}
        WHERE tenant_id = ${tenantId} AND approval_id = ${approvalId} AND status = 'pending'
          AND expires_at > ${decision.at}`;
      if (done.count === 1) return "decided";
      const [row] = await tx<{ status: ApprovalStatus }[]>`
        SELECT status FROM approvals WHERE tenant_id = ${tenantId} AND approval_id = ${approvalId}`;
      if (!row) return "not_found";
      return row.status === "pending" ? "expired" : "not_pending";
    });
  }

  async recordOutcome(tenantId: number, approvalId: string, outcome: JsonObject): Promise<void> {
    await inTenant(this.#sql, tenantId, async (tx) => {
      await tx`UPDATE approvals SET outcome = ${tx.json(outcome)}
        WHERE tenant_id = ${tenantId} AND approval_id = ${approvalId} AND status = 'approved'`;
    });
  }

  async dualControl(tenantId: number): Promise<DualControlSetting> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ single_admin: boolean; set_by: string; set_at: string }[]>`
        SELECT single_admin, set_by, set_at FROM dual_control WHERE tenant_id = ${tenantId}`,
    );
    return row === undefined
      ? { singleAdmin: false, setBy: null, setAt: null }
      : { singleAdmin: row.single_admin, setBy: row.set_by, setAt: row.set_at };
  }

  async setSingleAdmin(tenantId: number, singleAdmin: boolean, by: string, at: string): Promise<void> {
    await inTenant(this.#sql, tenantId, async (tx) => {
      await tx`INSERT INTO dual_control (tenant_id, single_admin, set_by, set_at)
        VALUES (${tenantId}, ${singleAdmin}, ${by}, ${at})
        ON CONFLICT (tenant_id) DO UPDATE SET single_admin = excluded.single_admin, set_by = excluded.set_by,
          set_at = excluded.set_at`;
    });
  }
}
