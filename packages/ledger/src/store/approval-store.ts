// Dual control: a change that one admin must not make alone (retention,
// legal-hold removal, erasure, signing-key rotation, ...) is stored as a
// request, and takes effect only once a different person approves it. The
// store keeps the requests and each tenant's dual-control setting; the
// service decides who may approve and carries the request out.
import type { JsonObject } from "@trailproof/core";

export type ApprovalStatus = "pending" | "approved" | "rejected";

export interface ApprovalRecord {
  approvalId: string;
  tenantId: number;
  /** What is asked for, e.g. "signing_key.rotate": the service knows how to carry out each. */
  action: string;
  /** The request's parameters, carried out exactly as given once approved. */
  request: JsonObject;
  /** The credential that asked (principal id: a key id or person:<username>). */
  requestedBy: string;
  /** Who stands behind that credential (approvals/owner-of.ts): never the approver's too. */
  requesterOwner: string;
  status: ApprovalStatus;
  createdAt: string;
  /** A pending request past this time can no longer be approved. */
  expiresAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  /** What carrying it out returned (or the error it met); null until approved and carried out. */
  outcome: JsonObject | null;
}

/** What deciding did. Only `decided` changed anything. */
export type DecideOutcome = "decided" | "not_found" | "not_pending" | "expired";

/** A tenant's dual-control setting: single-admin mode lets one admin's request take effect at once. */
export interface DualControlSetting {
  singleAdmin: boolean;
  /** Who set it and when; null while never set (the default: dual control on). */
  setBy: string | null;
  setAt: string | null;
}

export interface ApprovalStore {
  insertApproval(record: ApprovalRecord): Promise<void>;
  findApproval(tenantId: number, approvalId: string): Promise<ApprovalRecord | undefined>;
  /** The tenant's requests, newest first, at most `limit`, optionally of one status. */
  listApprovals(tenantId: number, options: { status?: ApprovalStatus; limit: number }): Promise<ApprovalRecord[]>;
  /**
   * Approves or rejects a pending request. MUST change it only while it is
   * pending and not expired at `at`, in one atomic step, so that two
   * approvals of one request (on two nodes) never both succeed.
   */
  decideApproval(
    tenantId: number,
    approvalId: string,
    decision: { status: "approved" | "rejected"; by: string; at: string },
  ): Promise<DecideOutcome>;
  /** Records what carrying out an approved request returned; once. */
  recordOutcome(tenantId: number, approvalId: string, outcome: JsonObject): Promise<void>;
  dualControl(tenantId: number): Promise<DualControlSetting>;
  setSingleAdmin(tenantId: number, singleAdmin: boolean, by: string, at: string): Promise<void>;
}
