// The NotificationStore conformance suite (notification-store.ts): every
// backend runs it. Above all: an enqueue is idempotent and moves the cursor
// by compare-and-set, a delivery is claimed by one caller at a time, only
// the claim's holder records its attempt, and secrets come back only unsealed
// through channelSecret() and claims.
import { hasErrorCode } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ChannelRecord,
  deliveryIdOf,
  entrySource,
  type NewDelivery,
  type NotificationStore,
} from "./notification-store.js";

export interface NotificationStores {
  notifications: NotificationStore;
  createTenant(name: string): Promise<number>;
  /** The same store as seen from a second node (PostgreSQL); the same instance where one process owns it. */
  otherNode(): NotificationStore;
  close(): Promise<void>;
}

const AT = "2026-01-01T00:00:00.000Z";
const LATER = "2026-01-01T00:05:00.000Z";
const MUCH_LATER = "2026-01-02T00:00:00.000Z";

function channel(tenantId: number | null, channelId: string, extra: Partial<ChannelRecord> = {}): ChannelRecord {
  return {
    channelId,
    tenantId,
    name: `channel ${channelId}`,
    kind: "webhook",
    format: "native",
    url: "https://hooks.example/in",
    enabled: true,
    createdAt: AT,
    createdBy: "key_ada",
    updatedAt: AT,
    updatedBy: "key_ada",
    ...extra,
  };
}

function source(index: number, channelIds: string[]): NewDelivery {
  return {
    kind: "alert.raise",
    sourceEventId: `evt_${index}`,
    sourceIndex: index,
    payload: { type: "alert.raise", index, alert: { severity: "high", matched_event_ids: ["a", "b"] } },
    channelIds,
  };
}

export function runNotificationStoreConformance(name: string, open: () => Promise<NotificationStores>): void {
  describe(`NotificationStore conformance: ${name}`, () => {
    const opened: NotificationStores[] = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    async function fresh() {
      const s = await open();
      opened.push(s);
      const acme = await s.createTenant("acme");
      const globex = await s.createTenant("globex");
      return { s, n: s.notifications, acme, globex };
    }

    it("keeps channels per tenant (and the operator's apart), updates them and gives the secret back only unsealed", async () => {
      const { n, acme, globex } = await fresh();
      await n.insertChannel(channel(acme, "chn_a"), "whsec_first");
      await n.insertChannel(channel(acme, "chn_b", { createdAt: LATER, format: "slack" }), "whsec_b");
      await n.insertChannel(channel(null, "chn_op"), "whsec_op");
      expect(await n.findChannel(acme, "chn_a")).toEqual(channel(acme, "chn_a"));
      expect((await n.listChannels(acme)).map((c) => c.channelId)).toEqual(["chn_a", "chn_b"]);
      expect(await n.findChannel(globex, "chn_a")).toBeUndefined();
      expect(await n.listChannels(globex)).toEqual([]);
      expect((await n.listChannels(null)).map((c) => c.channelId)).toEqual(["chn_op"]);
      expect(await n.findChannel(acme, "chn_op")).toBeUndefined();
      expect(await n.channelSecret(acme, "chn_a")).toBe("whsec_first");
      expect(await n.channelSecret(globex, "chn_a")).toBeUndefined();
      const updated = await n.updateChannel(acme, "chn_a", {
        enabled: false,
        secret: "whsec_second",
        updatedAt: LATER,
        updatedBy: "key_bob",
      });
      expect(updated).toEqual(channel(acme, "chn_a", { enabled: false, updatedAt: LATER, updatedBy: "key_bob" }));
      expect(await n.channelSecret(acme, "chn_a")).toBe("whsec_second");
      expect(JSON.stringify(await n.listChannels(acme))).not.toContain("whsec");
      expect(await n.updateChannel(globex, "chn_a", { name: "x", updatedAt: LATER, updatedBy: "m" })).toBeUndefined();
      expect(await n.deleteChannel(globex, "chn_a", LATER)).toBe(false);
      expect(await n.deleteChannel(acme, "chn_a", LATER)).toBe(true);
      expect(await n.findChannel(acme, "chn_a")).toBeUndefined();
    });

    it("enqueues one delivery per enabled channel of the tenant, idempotently, moving the cursor by compare-and-set", async () => {
      const { n, acme, globex } = await fresh();
      await n.insertChannel(channel(acme, "chn_on"), "s1");
      await n.insertChannel(channel(acme, "chn_off", { enabled: false }), "s2");
      await n.insertChannel(channel(globex, "chn_globex"), "s3");
      expect(await n.followerCovered(acme)).toBe(0);
      await n.enqueueFollowed(acme, 0, 5, [source(3, ["chn_on", "chn_off", "chn_globex", "chn_none", "chn_on"])], AT);
      expect(await n.followerCovered(acme)).toBe(5);
      expect(await n.followerCovered(globex)).toBe(0);
      const [only, ...rest] = await n.listDeliveries(acme, { limit: 10 });
      expect(rest).toEqual([]);
      expect(only).toEqual({
        deliveryId: deliveryIdOf(acme, entrySource(3), "chn_on"),
        tenantId: acme,
        channelId: "chn_on",
        kind: "alert.raise",
        sourceEventId: "evt_3",
        sourceIndex: 3,
        payload: source(3, []).payload,
        status: "pending",
        attempts: 0,
        nextAttemptAt: AT,
        lastError: null,
        createdAt: AT,
        deliveredAt: null,
      });
      const moved = await n.enqueueFollowed(acme, 0, 9, [source(7, ["chn_on"])], AT).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(hasErrorCode(moved, "FOLLOWER_CURSOR_MOVED")).toBe(true);
      expect(await n.followerCovered(acme)).toBe(5);
      expect(await n.listDeliveries(acme, { limit: 10 })).toHaveLength(1);
      // The same source again (a replay after a crash between send and cursor): no second delivery.
      await n.enqueueFollowed(acme, 5, 6, [source(3, ["chn_on"])], LATER);
      expect(await n.listDeliveries(acme, { limit: 10 })).toHaveLength(1);
      expect(await n.enqueue(null, [{ ...source(0, ["chn_on"]), key: "op:1" }], AT)).toBe(0);
    });

    it("claims a due delivery for one caller at a time and records attempts only for the claim's holder", async () => {
      const { s, n, acme } = await fresh();
      await n.insertChannel(channel(acme, "chn_a", { url: "https://a.example/hook" }), "whsec_a");
      await n.enqueueFollowed(acme, 0, 1, [source(0, ["chn_a"])], AT);
      const other = s.otherNode();
      const [mine, theirs] = await Promise.all([
        n.claimDue(AT, LATER, "node-a", 10),
        other.claimDue(AT, LATER, "node-b", 10),
      ]);
      expect([...(mine ?? []), ...(theirs ?? [])]).toHaveLength(1);
      const claimed = (mine?.[0] ?? theirs?.[0]) as NonNullable<typeof mine>[number];
      expect(claimed).toMatchObject({
        url: "https://a.example/hook",
        format: "native",
        secret: "whsec_a",
        attempts: 0,
      });
      // Still claimed: nobody else gets it before the claim ends.
      expect(await n.claimDue(AT, LATER, "node-c", 10)).toEqual([]);
      const attempt = {
        deliveryId: claimed.deliveryId,
        attempt: 1,
        at: AT,
        httpStatus: 503,
        error: "HTTP 503",
        durationMs: 12,
      };
      expect(
        await n.recordAttempt({ ...claimed, claimToken: "node-z:forged" }, attempt, {
          status: "delivered",
          nextAttemptAt: AT,
          lastError: null,
        }),
      ).toBe(false);
      expect(
        await n.recordAttempt(claimed, attempt, { status: "pending", nextAttemptAt: LATER, lastError: "HTTP 503" }),
      ).toBe(true);
      // The claim is released; not due until LATER.
      expect(await n.claimDue(AT, LATER, "node-c", 10)).toEqual([]);
      const [again] = await n.claimDue(LATER, MUCH_LATER, "node-c", 10);
      expect(again?.attempts).toBe(1);
      // A claim that ended (its node died) is claimed again.
      const [retaken] = await other.claimDue(MUCH_LATER, "2026-01-03T00:00:00.000Z", "node-d", 10);
      expect(retaken?.deliveryId).toBe(claimed.deliveryId);
      expect(
        await n.recordAttempt(
          again as NonNullable<typeof again>,
          { ...attempt, at: LATER },
          { status: "delivered", nextAttemptAt: LATER, lastError: null },
        ),
      ).toBe(false);
      expect(
        await other.recordAttempt(
          retaken as NonNullable<typeof retaken>,
          { ...attempt, at: MUCH_LATER, httpStatus: 204, error: null, durationMs: 3 },
          { status: "delivered", nextAttemptAt: MUCH_LATER, lastError: null },
        ),
      ).toBe(true);
      expect(await n.findDelivery(acme, claimed.deliveryId)).toMatchObject({
        status: "delivered",
        attempts: 2,
        deliveredAt: MUCH_LATER,
        lastError: null,
      });
      expect(await n.listAttempts(acme, claimed.deliveryId)).toEqual([
        { deliveryId: claimed.deliveryId, attempt: 1, at: AT, httpStatus: 503, error: "HTTP 503", durationMs: 12 },
        { deliveryId: claimed.deliveryId, attempt: 2, at: MUCH_LATER, httpStatus: 204, error: null, durationMs: 3 },
      ]);
      expect(await n.claimDue("2027-01-01T00:00:00.000Z", "2027-01-02T00:00:00.000Z", "n", 10)).toEqual([]);
    });

    it("lists dead letters, redrives them, counts the outbox, and kills what a deleted channel had pending", async () => {
      const { n, acme, globex } = await fresh();
      await n.insertChannel(channel(acme, "chn_a"), "sa");
      await n.insertChannel(channel(acme, "chn_b"), "sb");
      await n.insertChannel(channel(null, "chn_op"), "sop");
      await n.enqueueFollowed(acme, 0, 2, [source(0, ["chn_a"]), source(1, ["chn_b"])], AT);
      expect(await n.enqueue(null, [{ ...source(0, ["chn_op"]), sourceIndex: null, key: "op:x" }], LATER)).toBe(1);
      expect(await n.outboxStats()).toEqual({ pending: 3, dead: 0, oldestPendingAt: AT });
      const claimed = await n.claimDue(AT, LATER, "node", 1);
      const first = claimed[0] as NonNullable<(typeof claimed)[number]>;
      await n.recordAttempt(
        first,
        { deliveryId: first.deliveryId, attempt: 1, at: AT, httpStatus: null, error: "ECONNREFUSED", durationMs: 1 },
        { status: "dead", nextAttemptAt: AT, lastError: "ECONNREFUSED" },
      );
      const dead = await n.listDeliveries(acme, { status: "dead", limit: 10 });
      expect(dead.map((d) => d.deliveryId)).toEqual([first.deliveryId]);
      expect(await n.listDeliveries(acme, { channelId: first.channelId, limit: 10 })).toHaveLength(1);
      expect(await n.outboxStats()).toMatchObject({ pending: 2, dead: 1 });
      expect(await n.redrive(globex, first.deliveryId, LATER)).toBe("not_found");
      expect(await n.redrive(acme, "dlv_none", LATER)).toBe("not_found");
      expect(await n.redrive(acme, first.deliveryId, LATER)).toBe("redriven");
      expect(await n.redrive(acme, first.deliveryId, LATER)).toBe("not_dead");
      expect(await n.findDelivery(acme, first.deliveryId)).toMatchObject({
        status: "pending",
        attempts: 1,
        nextAttemptAt: LATER,
      });
      expect((await n.listDeliveries(null, { limit: 10 })).map((d) => d.channelId)).toEqual(["chn_op"]);
      expect(
        await n.findDelivery(acme, (await n.listDeliveries(null, { limit: 1 }))[0]?.deliveryId ?? ""),
      ).toBeUndefined();
      // Deleting a channel: its pending deliveries die, and cannot be redriven.
      expect(await n.deleteChannel(acme, first.channelId, LATER)).toBe(true);
      expect(await n.findDelivery(acme, first.deliveryId)).toMatchObject({
        status: "dead",
        lastError: "channel deleted",
      });
      expect(await n.redrive(acme, first.deliveryId, MUCH_LATER)).toBe("channel_missing");
      // A disabled channel's deliveries wait: not claimed until it is enabled again.
      await n.updateChannel(null, "chn_op", { enabled: false, updatedAt: LATER, updatedBy: "op" });
      const due = await n.claimDue(MUCH_LATER, "2026-01-03T00:00:00.000Z", "node", 10);
      expect(due.map((d) => d.channelId)).toEqual(["chn_b"]);
    });

    it("stores a copied delivery as it is with its attempts, once, and never claims a delivered one", async () => {
      const { n, acme, globex } = await fresh();
      await n.insertChannel(channel(acme, "chn_a"), "whsec_a");
      const delivered = {
        deliveryId: "dlv_copied_delivered",
        tenantId: acme,
        channelId: "chn_a",
        kind: "alert.raise",
        sourceEventId: "evt_3",
        sourceIndex: 3,
        payload: { type: "alert.raise", index: 3 },
        status: "delivered" as const,
        attempts: 2,
        nextAttemptAt: LATER,
        lastError: null,
        createdAt: AT,
        deliveredAt: LATER,
      };
      const attempts = [
        { deliveryId: delivered.deliveryId, attempt: 1, at: AT, httpStatus: 503, error: "HTTP 503", durationMs: 12 },
        { deliveryId: delivered.deliveryId, attempt: 2, at: LATER, httpStatus: 200, error: null, durationMs: 9 },
      ];
      // First copied while pending after one failed attempt, then brought forward by a catch-up copy.
      const pending = {
        ...delivered,
        status: "pending" as const,
        attempts: 1,
        lastError: "HTTP 503",
        deliveredAt: null,
      };
      expect(await n.insertDeliveryCopy(pending, attempts.slice(0, 1))).toBe("inserted");
      expect(await n.findDelivery(acme, delivered.deliveryId)).toEqual(pending);
      expect(await n.insertDeliveryCopy(delivered, attempts)).toBe("updated");
      expect(await n.findDelivery(acme, delivered.deliveryId)).toEqual(delivered);
      expect(await n.listAttempts(acme, delivered.deliveryId)).toEqual(attempts);
      expect(await n.findDelivery(globex, delivered.deliveryId)).toBeUndefined();
      // Again (a catch-up run): a delivery no longer pending never changes.
      expect(await n.insertDeliveryCopy(delivered, attempts)).toBe("unchanged");
      expect(await n.insertDeliveryCopy({ ...delivered, status: "dead", attempts: 5 }, attempts)).toBe("unchanged");
      expect(await n.findDelivery(acme, delivered.deliveryId)).toEqual(delivered);
      expect(await n.listAttempts(acme, delivered.deliveryId)).toEqual(attempts);
      expect(await n.claimDue(MUCH_LATER, MUCH_LATER, "node-a", 10)).toEqual([]);
    });
  });
}
