// The ApprovalStore conformance suite (approval-store.ts): every backend
// runs it, above all the rule that a request is decided once, even when two
// approvals race, and never after it expired.
import { afterEach, describe, expect, it } from "vitest";
import type { ApprovalRecord, ApprovalStore } from "./approval-store.js";

export interface ApprovalStores {
  approvals: ApprovalStore;
  createTenant(name: string): Promise<number>;
  close(): Promise<void>;
}

const AT = "2026-01-01T00:00:00.000Z";
const LATER = "2026-01-01T01:00:00.000Z";
const EXPIRES = "2026-01-04T00:00:00.000Z";
const AFTER_EXPIRY = "2026-01-05T00:00:00.000Z";

function approval(tenantId: number, approvalId: string, extra: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    approvalId,
    tenantId,
    action: "signing_key.rotate",
    request: { reason: "yearly", nested: { list: [1, "two", null] } },
    requestedBy: "key_ada",
    requesterOwner: "person:ada",
    status: "pending",
    createdAt: AT,
    expiresAt: EXPIRES,
    decidedBy: null,
    decidedAt: null,
    outcome: null,
    ...extra,
  };
}

export function runApprovalStoreConformance(name: string, open: () => Promise<ApprovalStores>): void {
  describe(`ApprovalStore conformance: ${name}`, () => {
    const opened: ApprovalStores[] = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    async function fresh() {
      const s = await open();
      opened.push(s);
      return { s, acme: await s.createTenant("acme"), globex: await s.createTenant("globex") };
    }

    it("keeps a request as given and lists a tenant's newest first, by status", async () => {
      const { s, acme, globex } = await fresh();
      await s.approvals.insertApproval(approval(acme, "apr_1"));
      await s.approvals.insertApproval(approval(acme, "apr_2", { createdAt: LATER, action: "erasure.request" }));
      await s.approvals.insertApproval(approval(globex, "apr_3"));
      expect(await s.approvals.findApproval(acme, "apr_1")).toEqual(approval(acme, "apr_1"));
      expect((await s.approvals.listApprovals(acme, { limit: 10 })).map((a) => a.approvalId)).toEqual([
        "apr_2",
        "apr_1",
      ]);
      expect((await s.approvals.listApprovals(acme, { limit: 1 })).map((a) => a.approvalId)).toEqual(["apr_2"]);
      await s.approvals.decideApproval(acme, "apr_1", { status: "rejected", by: "key_bob", at: LATER });
      expect(
        (await s.approvals.listApprovals(acme, { status: "pending", limit: 10 })).map((a) => a.approvalId),
      ).toEqual(["apr_2"]);
      expect(
        (await s.approvals.listApprovals(acme, { status: "rejected", limit: 10 })).map((a) => a.approvalId),
      ).toEqual(["apr_1"]);
    });

    it("never shows or decides one tenant's request for another", async () => {
      const { s, acme, globex } = await fresh();
      await s.approvals.insertApproval(approval(acme, "apr_1"));
      expect(await s.approvals.findApproval(globex, "apr_1")).toBeUndefined();
      expect(await s.approvals.listApprovals(globex, { limit: 10 })).toEqual([]);
      expect(await s.approvals.decideApproval(globex, "apr_1", { status: "approved", by: "x", at: LATER })).toBe(
        "not_found",
      );
      expect((await s.approvals.findApproval(acme, "apr_1"))?.status).toBe("pending");
    });

    it("decides a pending request once, and never after it expired", async () => {
      const { s, acme } = await fresh();
      await s.approvals.insertApproval(approval(acme, "apr_1"));
      await s.approvals.insertApproval(approval(acme, "apr_2"));
      const approve = { status: "approved" as const, by: "key_bob", at: LATER };
      expect(await s.approvals.decideApproval(acme, "apr_1", approve)).toBe("decided");
      expect(await s.approvals.findApproval(acme, "apr_1")).toMatchObject({
        status: "approved",
        decidedBy: "key_bob",
        decidedAt: LATER,
      });
      expect(await s.approvals.decideApproval(acme, "apr_1", { ...approve, status: "rejected", by: "key_eve" })).toBe(
        "not_pending",
      );
      expect((await s.approvals.findApproval(acme, "apr_1"))?.decidedBy).toBe("key_bob");
      expect(await s.approvals.decideApproval(acme, "apr_2", { ...approve, at: AFTER_EXPIRY })).toBe("expired");
      expect((await s.approvals.findApproval(acme, "apr_2"))?.status).toBe("pending");
      expect(await s.approvals.decideApproval(acme, "apr_missing", approve)).toBe("not_found");
    });

    it("lets exactly one of two concurrent decisions through", async () => {
      const { s, acme } = await fresh();
      for (let i = 0; i < 5; i++) {
        await s.approvals.insertApproval(approval(acme, `apr_${i}`));
        const outcomes = await Promise.all([
          s.approvals.decideApproval(acme, `apr_${i}`, { status: "approved", by: "key_bob", at: LATER }),
          s.approvals.decideApproval(acme, `apr_${i}`, { status: "rejected", by: "key_eve", at: LATER }),
        ]);
        expect(outcomes.sort()).toEqual(["decided", "not_pending"]);
      }
    });

    it("records the outcome of an approved request once", async () => {
      const { s, acme } = await fresh();
      await s.approvals.insertApproval(approval(acme, "apr_1"));
      await s.approvals.decideApproval(acme, "apr_1", { status: "approved", by: "key_bob", at: LATER });
      await s.approvals.recordOutcome(acme, "apr_1", { new_key: "ed25519:abc" });
      await expect(s.approvals.recordOutcome(acme, "apr_1", { new_key: "forged" })).rejects.toThrow(
        /STORE_APPEND_ONLY/,
      );
      expect((await s.approvals.findApproval(acme, "apr_1"))?.outcome).toEqual({ new_key: "ed25519:abc" });
    });

    it("keeps each tenant's dual-control setting, on by default", async () => {
      const { s, acme, globex } = await fresh();
      expect(await s.approvals.dualControl(acme)).toEqual({ singleAdmin: false, setBy: null, setAt: null });
      await s.approvals.setSingleAdmin(acme, true, "operator:op_1", AT);
      expect(await s.approvals.dualControl(acme)).toEqual({ singleAdmin: true, setBy: "operator:op_1", setAt: AT });
      expect((await s.approvals.dualControl(globex)).singleAdmin).toBe(false);
      await s.approvals.setSingleAdmin(acme, false, "operator:op_2", LATER);
      expect(await s.approvals.dualControl(acme)).toEqual({ singleAdmin: false, setBy: "operator:op_2", setAt: LATER });
    });
  });
}
