// The SharedState conformance suite (shared-state.ts), run against every
// implementation: hits, counters, claims and expiring values, expiry on the
// store's clock, and two nodes racing on one key.
import { afterEach, describe, expect, it } from "vitest";
import { MAX_SHARED_KEY_LENGTH, type SharedState } from "./shared-state.js";

/** Two handles on one store, as two nodes hold them (one process: the same object twice). */
export interface SharedStatePair {
  a: SharedState;
  b: SharedState;
  close(): Promise<void>;
}

const WINDOW_MS = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function runSharedStateConformance(name: string, open: () => Promise<SharedStatePair>): void {
  describe(`SharedState conformance: ${name}`, () => {
    const opened: SharedStatePair[] = [];
    afterEach(async () => {
      for (const p of opened.splice(0)) await p.close();
    });
    const fresh = async () => {
      const pair = await open();
      opened.push(pair);
      return pair;
    };

    it("counts hits per key within the window, ages the oldest, forgets them when cleared or expired", async () => {
      const { a, b } = await fresh();
      expect(await a.recentHits("ip:203.0.113.7", WINDOW_MS)).toEqual({ count: 0, oldestAgeMs: 0 });
      await a.addHit("ip:203.0.113.7", WINDOW_MS);
      // Far enough apart that a loaded machine's pauses do not blur them (CI shares its cores).
      await sleep(300);
      await b.addHit("ip:203.0.113.7", WINDOW_MS);
      await a.addHit("person:acme/ada", WINDOW_MS);
      const seen = await b.recentHits("ip:203.0.113.7", WINDOW_MS);
      expect(seen.count).toBe(2);
      expect(seen.oldestAgeMs).toBeGreaterThanOrEqual(250);
      expect(seen.oldestAgeMs).toBeLessThan(WINDOW_MS);
      // A shorter window sees only the newer hit.
      expect((await a.recentHits("ip:203.0.113.7", 250)).count).toBe(1);
      await b.clearHits("ip:203.0.113.7");
      expect((await a.recentHits("ip:203.0.113.7", WINDOW_MS)).count).toBe(0);
      expect((await a.recentHits("person:acme/ada", WINDOW_MS)).count).toBe(1);
      await sleep(WINDOW_MS + 50);
      expect(await b.recentHits("person:acme/ada", WINDOW_MS)).toEqual({ count: 0, oldestAgeMs: 0 });
    });

    it("increments a fixed window that starts again after it ends", async () => {
      const { a, b } = await fresh();
      const first = await a.increment("rate:key-1", WINDOW_MS);
      expect(first.count).toBe(1);
      expect(first.resetInMs).toBeGreaterThan(WINDOW_MS - 100);
      expect(first.resetInMs).toBeLessThanOrEqual(WINDOW_MS);
      await sleep(50);
      const second = await b.increment("rate:key-1", WINDOW_MS);
      expect(second.count).toBe(2);
      // The same window: its end does not move with later increments.
      expect(second.resetInMs).toBeLessThanOrEqual(first.resetInMs - 30);
      expect((await a.increment("rate:key-2", WINDOW_MS)).count).toBe(1);
      await sleep(WINDOW_MS + 50);
      const next = await a.increment("rate:key-1", WINDOW_MS);
      expect(next.count).toBe(1);
      expect(next.resetInMs).toBeGreaterThan(WINDOW_MS - 100);
    });

    it("puts, gets, claims and takes values; an expired value is absent for every method", async () => {
      const { a, b } = await fresh();
      expect(await a.get("login:t1")).toBeUndefined();
      await a.put("login:t1", '{"tenant":"acme"}', WINDOW_MS);
      expect(await b.get("login:t1")).toBe('{"tenant":"acme"}');
      await b.put("login:t1", "replaced", 60_000);
      expect(await a.get("login:t1")).toBe("replaced");

      expect(await a.claim("dedupe:x", "1", WINDOW_MS)).toBe(true);
      expect(await b.claim("dedupe:x", "2", WINDOW_MS)).toBe(false);
      expect(await b.get("dedupe:x")).toBe("1");

      expect(await b.take("login:t1")).toBe("replaced");
      expect(await a.take("login:t1")).toBeUndefined();
      expect(await a.get("login:t1")).toBeUndefined();

      await a.put("job:1", "running", 60_000);
      await b.delete("job:1");
      expect(await a.get("job:1")).toBeUndefined();
      await a.delete("never-there");

      await a.put("short", "v", 100);
      await sleep(WINDOW_MS + 50);
      expect(await a.get("dedupe:x")).toBeUndefined();
      expect(await b.get("short")).toBeUndefined();
      expect(await b.take("short")).toBeUndefined();
      // A lapsed claim is free again.
      expect(await b.claim("dedupe:x", "2", WINDOW_MS)).toBe(true);
      expect(await a.get("dedupe:x")).toBe("2");
    });

    it("two nodes racing: one claim wins, no increment is lost, a value is taken once", async () => {
      const { a, b } = await fresh();
      const nodes = [a, b];
      const claims = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (nodes[i % 2] as SharedState).claim("dedupe:race", `n${i}`, 60_000)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);

      const counts = await Promise.all(
        Array.from({ length: 100 }, (_, i) => (nodes[i % 2] as SharedState).increment("rate:race", 60_000)),
      );
      expect(counts.map((c) => c.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

      await a.put("login:race", "token", 60_000);
      const taken = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (nodes[i % 2] as SharedState).take("login:race")),
      );
      expect(taken.filter((t) => t !== undefined)).toEqual(["token"]);

      await Promise.all(Array.from({ length: 30 }, (_, i) => (nodes[i % 2] as SharedState).addHit("ip:race", 60_000)));
      expect((await a.recentHits("ip:race", 60_000)).count).toBe(30);
    });

    it("refuses an empty or over-long key with SHARED_KEY_INVALID", async () => {
      const { a } = await fresh();
      await expect(a.put("", "v", 1000)).rejects.toMatchObject({ code: "SHARED_KEY_INVALID" });
      await expect(a.increment("k".repeat(MAX_SHARED_KEY_LENGTH + 1), 1000)).rejects.toMatchObject({
        code: "SHARED_KEY_INVALID",
      });
      await a.put("k".repeat(MAX_SHARED_KEY_LENGTH), "v", 1000);
      expect(await a.get("k".repeat(MAX_SHARED_KEY_LENGTH))).toBe("v");
    });
  });
}
