// The RuleStore conformance suite (rule-store.ts): every backend runs it,
// above all that rule versions and alerts are kept as first stored, that an
// alert only moves forward, once, and that the alert follower's save is a
// compare-and-set from the cursor it started at.
import { hasErrorCode } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import type { AlertRecord, RuleStore, RuleVersionRecord } from "./rule-store.js";

export interface RuleStores {
  rules: RuleStore;
  createTenant(name: string): Promise<number>;
  close(): Promise<void>;
}

const AT = "2026-01-01T00:00:00.000Z";
const LATER = "2026-01-01T01:00:00.000Z";

function ruleVersion(tenantId: number, ruleId: string, version: number, extra: Partial<RuleVersionRecord> = {}) {
  return {
    ruleId,
    tenantId,
    version,
    definition: { name: `rule ${version}`, severity: "high", condition: { type: "threshold", count: 3 } },
    deleted: false,
    by: "apikey:key_ada",
    at: AT,
    logIndex: 10 + version,
    ...extra,
  } satisfies RuleVersionRecord;
}

function alert(tenantId: number, alertId: string, logIndex: number, ruleId = "rul_a"): AlertRecord {
  return {
    alertId,
    tenantId,
    ruleId,
    raised: { id: alertId, rule_id: ruleId, matched_event_ids: ["e1", "e2"], group: null },
    logIndex,
    raisedAt: AT,
    status: "open",
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    resolutionIndex: null,
  };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return hasErrorCode(err, "FOLLOWER_CURSOR_MOVED") ? "FOLLOWER_CURSOR_MOVED" : String(err);
  }
}

export function runRuleStoreConformance(name: string, open: () => Promise<RuleStores>): void {
  describe(`RuleStore conformance: ${name}`, () => {
    const opened: RuleStores[] = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    async function fresh() {
      const s = await open();
      opened.push(s);
      return { s, acme: await s.createTenant("acme"), globex: await s.createTenant("globex") };
    }

    it("keeps rule versions as first stored, per tenant, oldest first", async () => {
      const { s, acme, globex } = await fresh();
      expect(await s.rules.insertRuleVersion(ruleVersion(acme, "rul_a", 1))).toBe(true);
      expect(await s.rules.insertRuleVersion(ruleVersion(acme, "rul_a", 2, { deleted: true, at: LATER }))).toBe(true);
      expect(await s.rules.insertRuleVersion(ruleVersion(acme, "rul_b", 1))).toBe(true);
      // The same version again (the route and the follower both store it): left as it was.
      expect(await s.rules.insertRuleVersion(ruleVersion(acme, "rul_a", 1, { by: "someone else" }))).toBe(false);
      expect(await s.rules.ruleVersions(acme, "rul_a")).toEqual([
        ruleVersion(acme, "rul_a", 1),
        ruleVersion(acme, "rul_a", 2, { deleted: true, at: LATER }),
      ]);
      expect((await s.rules.allRuleVersions(acme)).map((r) => `${r.ruleId}@${r.version}`)).toEqual([
        "rul_a@1",
        "rul_a@2",
        "rul_b@1",
      ]);
      expect(await s.rules.ruleVersions(globex, "rul_a")).toEqual([]);
      expect(await s.rules.allRuleVersions(globex)).toEqual([]);
    });

    it("stores an alert once and lists a tenant's newest first, by status and rule", async () => {
      const { s, acme, globex } = await fresh();
      await s.rules.insertAlerts([alert(acme, "alr_1", 5), alert(acme, "alr_2", 9, "rul_b")]);
      await s.rules.insertAlerts([{ ...alert(acme, "alr_1", 77), raisedAt: LATER }, alert(globex, "alr_3", 1)]);
      expect(await s.rules.findAlert(acme, "alr_1")).toEqual(alert(acme, "alr_1", 5));
      expect(await s.rules.findAlert(globex, "alr_1")).toBeUndefined();
      expect((await s.rules.listAlerts(acme, { limit: 10 })).map((a) => a.alertId)).toEqual(["alr_2", "alr_1"]);
      expect((await s.rules.listAlerts(acme, { limit: 1 })).map((a) => a.alertId)).toEqual(["alr_2"]);
      expect((await s.rules.listAlerts(acme, { ruleId: "rul_a", limit: 10 })).map((a) => a.alertId)).toEqual(["alr_1"]);
      await s.rules.transitionAlert(acme, "alr_2", { to: "acknowledged", by: "apikey:k", at: LATER });
      expect((await s.rules.listAlerts(acme, { status: "open", limit: 10 })).map((a) => a.alertId)).toEqual(["alr_1"]);
      expect((await s.rules.listAlerts(acme, { status: "acknowledged", limit: 10 })).map((a) => a.alertId)).toEqual([
        "alr_2",
      ]);
    });

    it("moves an alert forward only: open, acknowledged, resolved; each step once", async () => {
      const { s, acme, globex } = await fresh();
      await s.rules.insertAlerts([alert(acme, "alr_1", 1), alert(acme, "alr_2", 2)]);
      const ack = { to: "acknowledged" as const, by: "apikey:ada", at: LATER };
      expect(await s.rules.transitionAlert(globex, "alr_1", ack)).toBe("not_found");
      expect(await s.rules.transitionAlert(acme, "alr_9", ack)).toBe("not_found");
      const both = await Promise.all([
        s.rules.transitionAlert(acme, "alr_1", ack),
        s.rules.transitionAlert(acme, "alr_1", ack),
      ]);
      expect(both.sort()).toEqual(["changed", "not_allowed"]);
      const resolve = { to: "resolved" as const, by: "apikey:bob", at: LATER };
      expect(await s.rules.transitionAlert(acme, "alr_1", resolve)).toBe("changed");
      expect(await s.rules.transitionAlert(acme, "alr_1", resolve)).toBe("not_allowed");
      expect(await s.rules.transitionAlert(acme, "alr_1", ack)).toBe("not_allowed");
      // The alert.resolve entry's index, once: a second call changes nothing.
      await s.rules.recordResolution(acme, "alr_1", 42);
      await s.rules.recordResolution(acme, "alr_1", 43);
      expect(await s.rules.findAlert(acme, "alr_1")).toEqual({
        ...alert(acme, "alr_1", 1),
        status: "resolved",
        acknowledgedBy: "apikey:ada",
        acknowledgedAt: LATER,
        resolvedBy: "apikey:bob",
        resolvedAt: LATER,
        resolutionIndex: 42,
      });
      // Straight from open to resolved; an open alert takes no resolution index.
      await s.rules.recordResolution(acme, "alr_2", 7);
      expect((await s.rules.findAlert(acme, "alr_2"))?.resolutionIndex).toBeNull();
      expect(await s.rules.transitionAlert(acme, "alr_2", { to: "resolved", by: "apikey:bob", at: LATER })).toBe(
        "changed",
      );
      expect(await s.rules.findAlert(acme, "alr_2")).toMatchObject({
        status: "resolved",
        acknowledgedBy: null,
        resolutionIndex: null,
      });
    });

    it("saves the follower's cursor and snapshot as a compare-and-set from the cursor it started at", async () => {
      const { s, acme, globex } = await fresh();
      expect(await s.rules.alertFollowerState(acme)).toEqual({ covered: 0, snapshot: null });
      await s.rules.saveAlertFollowerState(acme, 0, { covered: 5, snapshot: { rules: { rul_a: { version: 1 } } } });
      expect(await s.rules.alertFollowerState(acme)).toEqual({
        covered: 5,
        snapshot: { rules: { rul_a: { version: 1 } } },
      });
      // Another node saved from 0 too: refused, nothing written.
      expect(await codeOf(s.rules.saveAlertFollowerState(acme, 0, { covered: 3, snapshot: { rules: {} } }))).toBe(
        "FOLLOWER_CURSOR_MOVED",
      );
      expect((await s.rules.alertFollowerState(acme)).covered).toBe(5);
      // A tick saves the snapshot without moving the cursor.
      await s.rules.saveAlertFollowerState(acme, 5, { covered: 5, snapshot: { rules: {}, ticked: true } });
      expect(await s.rules.alertFollowerState(acme)).toEqual({ covered: 5, snapshot: { rules: {}, ticked: true } });
      // Two saves racing from the same cursor: exactly one wins.
      const raced = await Promise.all([
        codeOf(s.rules.saveAlertFollowerState(acme, 5, { covered: 8, snapshot: { rules: {}, by: "one" } })),
        codeOf(s.rules.saveAlertFollowerState(acme, 5, { covered: 8, snapshot: { rules: {}, by: "two" } })),
      ]);
      expect(raced.filter((r) => r === undefined)).toHaveLength(1);
      expect(raced.filter((r) => r === "FOLLOWER_CURSOR_MOVED")).toHaveLength(1);
      expect(await s.rules.alertFollowerState(globex)).toEqual({ covered: 0, snapshot: null });
    });
  });
}
