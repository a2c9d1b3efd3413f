// The RetentionStore conformance suite (retention-store.ts): every backend
// runs it: a policy replaced whole, holds kept per tenant, lifted once.
import { afterEach, describe, expect, it } from "vitest";
import type { LegalHold, RetentionStore } from "./retention-store.js";

export interface RetentionStores {
  retention: RetentionStore;
  createTenant(name: string): Promise<number>;
  close(): Promise<void>;
}

const AT = "2026-01-01T00:00:00.000Z";
const LATER = "2026-01-02T00:00:00.000Z";

function hold(tenantId: number, holdId: string, extra: Partial<LegalHold> = {}): LegalHold {
  return {
    holdId,
    tenantId,
    scope: { type: "target", targetType: "invoice", targetId: "inv_7" },
    reason: "litigation 2026-14",
    expiresAt: "2027-01-01T00:00:00.000Z",
    placedBy: "key_ada",
    placedAt: AT,
    liftedBy: null,
    liftedAt: null,
    ...extra,
  };
}

export function runRetentionStoreConformance(name: string, open: () => Promise<RetentionStores>): void {
  describe(`RetentionStore conformance: ${name}`, () => {
    const opened: RetentionStores[] = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    const start = async () => {
      const s = await open();
      opened.push(s);
      return s;
    };

    it("keeps every body forever until a policy is set, then replaces the policy whole", async () => {
      const s = await start();
      const t = await s.createTenant("acme");
      expect(await s.retention.retentionPolicy(t)).toEqual({
        defaultKeepDays: null,
        rules: [],
        updatedBy: null,
        updatedAt: null,
      });
      const rules = [
        { match: "category" as const, value: "authentication", keepDays: 90 },
        { match: "action_prefix" as const, value: "config.", keepDays: 2555 },
      ];
      await s.retention.setRetentionPolicy(t, { defaultKeepDays: 365, rules }, "key_ada", AT);
      expect(await s.retention.retentionPolicy(t)).toEqual({
        defaultKeepDays: 365,
        rules,
        updatedBy: "key_ada",
        updatedAt: AT,
      });
      await s.retention.setRetentionPolicy(t, { defaultKeepDays: null, rules: [] }, "key_bob", LATER);
      expect(await s.retention.retentionPolicy(t)).toEqual({
        defaultKeepDays: null,
        rules: [],
        updatedBy: "key_bob",
        updatedAt: LATER,
      });
    });

    it("keeps holds per tenant, every scope as given, and lifts a hold once", async () => {
      const s = await start();
      const a = await s.createTenant("acme");
      const b = await s.createTenant("globex");
      const scopes: LegalHold["scope"][] = [
        { type: "target", targetType: "invoice", targetId: "inv_7" },
        { type: "actor", actorId: "usr_ada" },
        { type: "tag", tag: "litigation" },
        { type: "time_range", from: "2026-01-01T00:00:00.000Z", to: "2026-02-01T00:00:00.000Z" },
      ];
      for (const [k, scope] of scopes.entries()) {
        await s.retention.insertLegalHold(hold(a, `hold_${k}`, { scope, expiresAt: k === 0 ? null : LATER }));
      }
      await s.retention.insertLegalHold(hold(b, "hold_0"));
      expect((await s.retention.listLegalHolds(a)).map((h) => h.scope)).toEqual(scopes);
      expect(await s.retention.listLegalHolds(b)).toHaveLength(1);
      expect((await s.retention.findLegalHold(a, "hold_0"))?.expiresAt).toBeNull();
      expect(await s.retention.findLegalHold(a, "hold_9")).toBeUndefined();

      const lifts = await Promise.all([
        s.retention.liftLegalHold(a, "hold_1", "key_bob", LATER),
        s.retention.liftLegalHold(a, "hold_1", "key_eve", LATER),
      ]);
      expect(lifts.filter(Boolean)).toHaveLength(1);
      const lifted = await s.retention.findLegalHold(a, "hold_1");
      expect(lifted?.liftedAt).toBe(LATER);
      expect(["key_bob", "key_eve"]).toContain(lifted?.liftedBy);
      expect(await s.retention.liftLegalHold(a, "hold_9", "key_bob", LATER)).toBe(false);
      // The other tenant's hold of the same id is untouched.
      expect((await s.retention.findLegalHold(b, "hold_0"))?.liftedAt).toBeNull();
      expect(await s.retention.liftLegalHold(b, "hold_1", "key_bob", LATER)).toBe(false);
    });
  });
}
