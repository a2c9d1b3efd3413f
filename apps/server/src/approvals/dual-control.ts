// Dual control, one mechanism for every change that one admin must not make
// alone (signing-key rotation, retention changes and legal-hold removal,
// routes/retention-routes.ts; erasure as it lands). A request is stored and logged
// (approval.request) and answers 202; a different person approves it
// (approval.approve), and only then is it carried out, exactly as it was
// asked, its outcome stored with it; or someone rejects it
// (approval.reject). In single-admin mode, which only the operator sets and
// the log records, a request is carried out at once.
import { randomBytes } from "node:crypto";
import { type JsonObject, TrailproofError } from "@trailproof/core";
import type { AccessStore, ApprovalRecord, ApprovalStore, PeopleStore } from "@trailproof/ledger";
import type { WireApproval } from "@trailproof/protocol";
import type { FastifyRequest } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import { ownerOf } from "./owner-of.js";

/** How long a request waits for its second person. */
export const APPROVAL_TTL_MS = 72 * 3_600_000;

/** A change under dual control: what carrying it out does, given the tenant and the request as asked. */
export interface ControlledAction {
  action: string;
  /**
   * Carries the request out for `req` (the approver's, or in single-admin
   * mode the requester's); its result is stored as the approval's outcome
   * and answered. It records its own change in the log.
   */
  run(req: FastifyRequest, tenant: string, request: JsonObject, approvalId: string): Promise<JsonObject>;
}

export interface DualControlStores {
  approvals: ApprovalStore;
  access: AccessStore;
  people: PeopleStore;
}

export function toWireApproval(r: ApprovalRecord, now = new Date().toISOString()): WireApproval {
  return {
    id: r.approvalId,
    status: r.status === "pending" && r.expiresAt <= now ? "expired" : r.status,
    action: r.action,
    request: r.request,
    requested_by: r.requestedBy,
    created_at: r.createdAt,
    expires_at: r.expiresAt,
    decided_by: r.decidedBy,
    decided_at: r.decidedAt,
    outcome: r.outcome,
  };
}

export class DualControl {
  readonly #stores: DualControlStores;
  readonly #audit: MetaAudit;
  readonly #actions = new Map<string, ControlledAction>();

  constructor(stores: DualControlStores, audit: MetaAudit) {
    this.#stores = stores;
    this.#audit = audit;
  }

  register(action: ControlledAction): void {
    this.#actions.set(action.action, action);
  }

  /**
   * Asks for `action` with `request` on behalf of the caller: the pending
   * approval (answer 202), or, in single-admin mode, the approval already
   * carried out (answer 200).
   */
  async request(
    req: FastifyRequest,
    action: string,
    request: JsonObject,
  ): Promise<{ approval: WireApproval; pending: boolean }> {
    const controlled = this.#controlled(action);
    const principal = req.principal;
    if (!principal || principal.tenantId === null) throw new Error("dual control without a tenant principal");
    const tenantId = principal.tenantId;
    const now = new Date();
    const record: ApprovalRecord = {
      approvalId: `apr_${randomBytes(12).toString("base64url")}`,
      tenantId,
      action,
      request,
      requestedBy: principal.id,
      requesterOwner: await ownerOf(principal, this.#stores),
      status: "pending",
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + APPROVAL_TTL_MS).toISOString(),
      decidedBy: null,
      decidedAt: null,
      outcome: null,
    };
    const singleAdmin = (await this.#stores.approvals.dualControl(tenantId)).singleAdmin;
    // Logged before it is stored: a request the log does not show never exists.
    await this.#audit.record(req, {
      action: "approval.request",
      target: { type: "approval", id: record.approvalId },
      metadata: { action, request, expires_at: record.expiresAt, single_admin: singleAdmin },
    });
    await this.#stores.approvals.insertApproval(record);
    if (!singleAdmin) return { approval: toWireApproval(record), pending: true };
    await this.#stores.approvals.decideApproval(tenantId, record.approvalId, {
      status: "approved",
      by: principal.id,
      at: record.createdAt,
    });
    return { approval: await this.#carryOut(req, controlled, record.approvalId), pending: false };
  }

  /** Approves (and carries out) or rejects a pending request of the caller's tenant. */
  async decide(req: FastifyRequest, approvalId: string, status: "approved" | "rejected"): Promise<WireApproval> {
    const principal = req.principal;
    if (!principal || principal.tenantId === null) throw new Error("dual control without a tenant principal");
    const tenantId = principal.tenantId;
    const record = await this.#stores.approvals.findApproval(tenantId, approvalId);
    if (record === undefined) throw notFound(approvalId);
    const controlled = this.#controlled(record.action);
    if (status === "approved" && (await ownerOf(principal, this.#stores)) === record.requesterOwner) {
      throw new TrailproofError(
        "APPROVAL_OWN_REQUEST",
        "nobody approves their own request, with another key of their own included: a different admin must approve it",
      );
    }
    const at = new Date().toISOString();
    const outcome = await this.#stores.approvals.decideApproval(tenantId, approvalId, { status, by: principal.id, at });
    if (outcome === "not_found") throw notFound(approvalId);
    if (outcome === "expired") {
      throw new TrailproofError("APPROVAL_EXPIRED", `approval ${approvalId} expired at ${record.expiresAt}: ask again`);
    }
    if (outcome === "not_pending") {
      const now = await this.#stores.approvals.findApproval(tenantId, approvalId);
      throw new TrailproofError(
        "APPROVAL_NOT_PENDING",
        `approval ${approvalId} was already ${now?.status ?? "decided"}`,
      );
    }
    await this.#audit.record(req, {
      action: status === "approved" ? "approval.approve" : "approval.reject",
      target: { type: "approval", id: approvalId },
      metadata: { action: record.action, requested_by: record.requestedBy },
    });
    if (status === "rejected")
      return toWireApproval((await this.#stores.approvals.findApproval(tenantId, approvalId)) ?? record);
    return this.#carryOut(req, controlled, approvalId);
  }

  /** Runs an approved request and stores what it returned. */
  async #carryOut(req: FastifyRequest, controlled: ControlledAction, approvalId: string): Promise<WireApproval> {
    const tenant = tenantOf(req);
    const tenantId = req.principal?.tenantId as number;
    const record = (await this.#stores.approvals.findApproval(tenantId, approvalId)) as ApprovalRecord;
    let result: JsonObject;
    try {
      result = await controlled.run(req, tenant, record.request, approvalId);
    } catch (err) {
      // Approved but not carried out: the outcome says so, and the error answers.
      const message = err instanceof Error ? err.message : String(err);
      await this.#stores.approvals.recordOutcome(tenantId, approvalId, { error: message });
      throw err;
    }
    await this.#stores.approvals.recordOutcome(tenantId, approvalId, result);
    return toWireApproval({ ...record, outcome: result });
  }

  #controlled(action: string): ControlledAction {
    const controlled = this.#actions.get(action);
    if (controlled === undefined) throw new Error(`no controlled action ${action} is registered`);
    return controlled;
  }
}

function notFound(id: string): TrailproofError {
  return new TrailproofError("APPROVAL_NOT_FOUND", `no approval ${JSON.stringify(id)} in this tenant`);
}
