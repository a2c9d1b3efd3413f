// MemorySharedState: the SharedState conformance suite (one process, so both
// "nodes" are one object), and the cap that bounds its memory.
import { describe, expect, it } from "vitest";
import { MemorySharedState } from "./memory-shared-state.js";
import { runSharedStateConformance } from "./shared-state.conformance.js";

runSharedStateConformance("memory", async () => {
  const shared = new MemorySharedState();
  return { a: shared, b: shared, close: async () => undefined };
});

describe("MemorySharedState", () => {
  it("keeps at most maxKeys live keys per kind, dropping the oldest written, and sweeps expired ones", async () => {
    let now = 1_000_000;
    const shared = new MemorySharedState({ now: () => now, maxKeys: 3 });
    for (const k of ["a", "b", "c", "d"]) await shared.put(k, k, 60_000);
    expect(await shared.get("a")).toBeUndefined();
    expect(await shared.get("d")).toBe("d");
    for (const k of ["a", "b", "c", "d"]) await shared.addHit(k, 60_000);
    expect((await shared.recentHits("a", 60_000)).count).toBe(0);
    expect((await shared.recentHits("d", 60_000)).count).toBe(1);
    now += 61_000;
    // The next write sweeps; a claim on an expired key succeeds.
    expect(await shared.claim("b", "again", 1000)).toBe(true);
    expect(await shared.get("c")).toBeUndefined();
    expect((await shared.increment("rate", 1000)).count).toBe(1);
  });
});
