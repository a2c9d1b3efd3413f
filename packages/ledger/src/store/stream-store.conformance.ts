// The StreamStore contract, run against every store (SQLite files and
// PostgreSQL): streams kept per tenant, secrets given back only unsealed,
// the cursor moved only by compare-and-set, also from a second node.
import { hasErrorCode } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import type { StreamRecord, StreamStore } from "./stream-store.js";

export interface StreamStores {
  streams: StreamStore;
  createTenant(name: string): Promise<number>;
  /** The same store as seen from a second node (PostgreSQL); the same instance where one process owns it. */
  otherNode(): StreamStore;
  close(): Promise<void>;
}

const AT = "2026-01-01T00:00:00.000Z";
const LATER = "2026-01-01T00:05:00.000Z";

function stream(tenantId: number, streamId: string, extra: Partial<StreamRecord> = {}): StreamRecord {
  return {
    streamId,
    tenantId,
    name: `stream ${streamId}`,
    destinationType: "webhook",
    destination: { type: "webhook", url: "https://siem.example/in" },
    format: "native",
    filter: "action:user.*",
    personal: "drop",
    status: "active",
    hasSecret: true,
    createdAt: AT,
    createdBy: "key_ada",
    updatedAt: AT,
    updatedBy: "key_ada",
    ...extra,
  };
}

export function runStreamStoreConformance(name: string, open: () => Promise<StreamStores>): void {
  describe(`StreamStore conformance: ${name}`, () => {
    const opened: StreamStores[] = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    async function fresh() {
      const s = await open();
      opened.push(s);
      return { s, st: s.streams, acme: await s.createTenant("acme"), globex: await s.createTenant("globex") };
    }

    it("keeps streams per tenant, pauses and resumes them, and gives a secret back only unsealed", async () => {
      const { st, acme, globex } = await fresh();
      await st.insertStream(stream(acme, "str_a"), 7, "whsec_first");
      await st.insertStream(
        stream(acme, "str_b", { createdAt: LATER, hasSecret: false, destinationType: "syslog" }),
        0,
        undefined,
      );
      expect(await st.findStream(acme, "str_a")).toEqual(stream(acme, "str_a"));
      expect((await st.listStreams(acme)).map((s) => s.streamId)).toEqual(["str_a", "str_b"]);
      expect(await st.findStream(globex, "str_a")).toBeUndefined();
      expect(await st.listStreams(globex)).toEqual([]);
      expect(await st.streamSecret(acme, "str_a")).toBe("whsec_first");
      expect(await st.streamSecret(acme, "str_b")).toBeUndefined();
      expect(await st.streamSecret(globex, "str_a")).toBeUndefined();
      expect(JSON.stringify(await st.listStreams(acme))).not.toContain("whsec");

      expect(await st.setStatus(acme, "str_a", "paused", LATER, "key_bob")).toEqual(
        stream(acme, "str_a", { status: "paused", updatedAt: LATER, updatedBy: "key_bob" }),
      );
      expect(await st.setStatus(globex, "str_a", "active", LATER, "key_bob")).toBeUndefined();
      expect(await st.setSecret(acme, "str_a", "whsec_second", LATER, "key_bob")).toBe(true);
      expect(await st.streamSecret(acme, "str_a")).toBe("whsec_second");
      expect(await st.setSecret(globex, "str_a", "x", LATER, "key_bob")).toBe(false);
      expect(await st.progress(acme, "str_a")).toEqual({
        covered: 7,
        lastSent: null,
        delivered: 0,
        lastDeliveredAt: null,
        lastError: null,
        lastErrorAt: null,
      });
      expect(await st.deleteStream(globex, "str_a")).toBe(false);
      expect(await st.deleteStream(acme, "str_a")).toBe(true);
      expect(await st.findStream(acme, "str_a")).toBeUndefined();
      expect(await st.progress(acme, "str_a")).toBeUndefined();
    });

    it("moves the cursor only from where it stands, counts deliveries and clears the last error", async () => {
      const { s, st, acme } = await fresh();
      await st.insertStream(stream(acme, "str_a"), 0, "k");
      await st.recordError(acme, "str_a", "connection failed: ECONNREFUSED", AT);
      expect(await st.progress(acme, "str_a")).toMatchObject({
        lastError: "connection failed: ECONNREFUSED",
        lastErrorAt: AT,
      });
      await st.advance(acme, "str_a", { from: 0, to: 10, lastSent: 8, delivered: 3, at: LATER });
      expect(await st.progress(acme, "str_a")).toEqual({
        covered: 10,
        lastSent: 8,
        delivered: 3,
        lastDeliveredAt: LATER,
        lastError: null,
        lastErrorAt: null,
      });
      // A batch the filter matched none of moves the cursor and keeps when it last delivered.
      await st.advance(acme, "str_a", { from: 10, to: 12, lastSent: 8, delivered: 0, at: "2026-01-02T00:00:00.000Z" });
      expect(await st.progress(acme, "str_a")).toMatchObject({ covered: 12, lastSent: 8, lastDeliveredAt: LATER });

      const other = s.otherNode();
      const moved = await other
        .advance(acme, "str_a", { from: 10, to: 20, lastSent: 19, delivered: 5, at: LATER })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(hasErrorCode(moved, "FOLLOWER_CURSOR_MOVED")).toBe(true);
      expect(await st.progress(acme, "str_a")).toMatchObject({ covered: 12, lastSent: 8, delivered: 3 });
      await other.advance(acme, "str_a", { from: 12, to: 20, lastSent: 19, delivered: 5, at: LATER });
      expect(await st.progress(acme, "str_a")).toMatchObject({ covered: 20, lastSent: 19, delivered: 8 });

      const gone = await st.advance(acme, "str_none", { from: 0, to: 1, lastSent: 0, delivered: 1, at: LATER }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(hasErrorCode(gone, "FOLLOWER_CURSOR_MOVED")).toBe(true);
    });

    it("stores a copied stream with its whole progress, which the next advance continues from", async () => {
      const { st, acme } = await fresh();
      const progress = {
        covered: 40,
        lastSent: 37,
        delivered: 12,
        lastDeliveredAt: LATER,
        lastError: "HTTP 503",
        lastErrorAt: AT,
      };
      await st.insertStream(stream(acme, "str_copied"), progress, "whsec_copied");
      expect(await st.progress(acme, "str_copied")).toEqual(progress);
      expect(await st.streamSecret(acme, "str_copied")).toBe("whsec_copied");
      await st.advance(acme, "str_copied", { from: 40, to: 45, lastSent: 44, delivered: 1, at: LATER });
      expect(await st.progress(acme, "str_copied")).toMatchObject({ covered: 45, lastSent: 44, delivered: 13 });
    });
  });
}
