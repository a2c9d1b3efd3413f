// The CosignatureStore contract, run against every store (SQLite files and
// PostgreSQL): cosignatures kept per tenant and per checkpoint, the first of
// a witness's cosignatures on a size kept (also when a second node stores
// one), the largest size per witness, and the newest size with N cosigners.
import { afterEach, describe, expect, it } from "vitest";
import type { CosignatureRecord, CosignatureStore } from "./cosignature-store.js";

export interface CosignatureStores {
  cosignatures: CosignatureStore;
  createTenant(name: string): Promise<number>;
  /** The same store as seen from a second node (PostgreSQL); the same instance where one process owns it. */
  otherNode(): CosignatureStore;
  close(): Promise<void>;
}

const W1 = "witness.test/w1+0a0b0c0d+BAAA";
const W2 = "witness.test/w2+01020304+BAAB";

function cosig(tenantId: number, treeSize: number, witnessKey: string, extra: Partial<CosignatureRecord> = {}) {
  return {
    tenantId,
    treeSize,
    witnessKey,
    line: `\u2014 ${witnessKey.split("+")[0]} sig-${treeSize}`,
    timestamp: 1_700_000_000 + treeSize,
    receivedAt: `2026-01-01T00:00:${String(treeSize % 60).padStart(2, "0")}.000Z`,
    ...extra,
  };
}

export function runCosignatureStoreConformance(name: string, open: () => Promise<CosignatureStores>): void {
  describe(`CosignatureStore conformance: ${name}`, () => {
    const opened: CosignatureStores[] = [];
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });
    async function fresh() {
      const s = await open();
      opened.push(s);
      return { s, st: s.cosignatures, acme: await s.createTenant("acme"), globex: await s.createTenant("globex") };
    }

    it("keeps cosignatures per tenant and per checkpoint, in the order received", async () => {
      const { st, acme, globex } = await fresh();
      expect(await st.putCosignature(cosig(acme, 5, W1))).toBe(true);
      expect(await st.putCosignature(cosig(acme, 5, W2, { receivedAt: "2026-01-01T00:00:06.000Z" }))).toBe(true);
      expect(await st.putCosignature(cosig(acme, 9, W1))).toBe(true);
      expect(await st.cosignaturesAt(acme, 5)).toEqual([
        cosig(acme, 5, W1),
        cosig(acme, 5, W2, { receivedAt: "2026-01-01T00:00:06.000Z" }),
      ]);
      expect(await st.cosignaturesAt(acme, 6)).toEqual([]);
      expect(await st.cosignaturesAt(globex, 5)).toEqual([]);
      expect(await st.latestCosigned(globex)).toEqual(new Map());
    });

    it("keeps a witness's first cosignature on a size, also against a second node", async () => {
      const { s, st, acme } = await fresh();
      await st.putCosignature(cosig(acme, 3, W1));
      expect(await st.putCosignature(cosig(acme, 3, W1, { line: "\u2014 witness.test/w1 other", timestamp: 1 }))).toBe(
        false,
      );
      expect(await s.otherNode().putCosignature(cosig(acme, 3, W1, { line: "\u2014 witness.test/w1 third" }))).toBe(
        false,
      );
      expect((await s.otherNode().cosignaturesAt(acme, 3)).map((c) => c.line)).toEqual([cosig(acme, 3, W1).line]);
    });

    it("answers the largest size each witness cosigned and the newest size with N cosigners", async () => {
      const { st, acme, globex } = await fresh();
      for (const c of [cosig(acme, 4, W1), cosig(acme, 4, W2), cosig(acme, 7, W1), cosig(acme, 2, W2)]) {
        await st.putCosignature(c);
      }
      await st.putCosignature(cosig(globex, 40, W2));
      expect(await st.latestCosigned(acme)).toEqual(
        new Map([
          [W1, 7],
          [W2, 4],
        ]),
      );
      expect(await st.newestCosigned(acme, 1)).toBe(7);
      expect(await st.newestCosigned(acme, 2)).toBe(4);
      expect(await st.newestCosigned(acme, 3)).toBeUndefined();
      expect(await st.newestCosigned(acme, 1, [W2])).toBe(4);
      expect(await st.newestCosigned(acme, 2, [W1])).toBeUndefined();
      expect(await st.newestCosigned(acme, 1, [])).toBeUndefined();
      expect(await st.newestCosigned(globex, 1)).toBe(40);
      expect(await st.countsAt(acme, [2, 3, 4, 7])).toEqual(
        new Map([
          [2, 1],
          [4, 2],
          [7, 1],
        ]),
      );
      expect(await st.countsAt(acme, [])).toEqual(new Map());
      expect(await st.countsAt(globex, [4])).toEqual(new Map());
    });
  });
}
