import { describe, expect, it } from "vitest";
import { GroupCommitter, type WriteTiming } from "./group-commit.js";

/** A committer whose writes record what they received and return each item doubled. */
function recording(maxBatch: number) {
  const writes: string[][] = [];
  const timings: WriteTiming[] = [];
  const committer = new GroupCommitter<string, string>(
    async (items) => {
      writes.push(items);
      return items.map((i) => `${i}!`);
    },
    { maxBatch, onWrite: (t) => timings.push(t) },
  );
  return { committer, writes, timings };
}

describe("GroupCommitter", () => {
  it("writes submissions of one turn together and answers each with its own results", async () => {
    const { committer, writes, timings } = recording(100);
    const [a, b] = await Promise.all([committer.submit("acme", ["a1", "a2"]), committer.submit("globex", ["g1"])]);
    expect(a).toEqual(["a1!", "a2!"]);
    expect(b).toEqual(["g1!"]);
    expect(writes).toEqual([["a1", "a2", "g1"]]);
    expect(timings).toHaveLength(1);
    expect(timings[0]?.items).toBe(3);
    // The first write of a drain follows nothing: no cycle time.
    expect(timings[0]?.cycleSeconds).toBeUndefined();
    expect(committer.pending).toBe(0);
  });

  it("takes lanes in turn, so a long queue in one lane does not hold another lane's submission behind it", async () => {
    const { committer, writes, timings } = recording(4);
    const flood = Array.from({ length: 5 }, (_, n) => committer.submit("flood", [`f${n}a`, `f${n}b`]));
    const trickle = committer.submit("trickle", ["t"]);
    await Promise.all([...flood, trickle]);
    // Round the lanes: a flood submission, then the trickle, in the first write.
    expect(writes[0]).toEqual(["f0a", "f0b", "t"]);
    // Within a lane the order is kept, and every item is written once.
    expect(writes.flat().filter((i) => i.startsWith("f"))).toEqual(
      Array.from({ length: 5 }, (_, n) => [`f${n}a`, `f${n}b`]).flat(),
    );
    expect(writes.flat()).toHaveLength(11);
    expect(writes.every((w) => w.length <= 4)).toBe(true);
    // Writes after the first followed one back to back: each has a cycle time.
    expect(timings.slice(1).every((t) => (t.cycleSeconds ?? -1) >= 0)).toBe(true);
  });

  it("writes a submission larger than maxBatch alone, and fails every submission of a failed write", async () => {
    const writes: number[] = [];
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        writes.push(items.length);
        if (items.includes(13)) throw new Error("disk full");
        return items;
      },
      { maxBatch: 2 },
    );
    await expect(committer.submit("a", [1, 2, 3])).resolves.toEqual([1, 2, 3]);
    const failing = committer.submit("a", [13]);
    const sharing = committer.submit("b", [14]);
    await expect(failing).rejects.toThrow("disk full");
    await expect(sharing).rejects.toThrow("disk full");
    await committer.idle();
    expect(writes).toEqual([3, 2]);
    expect(committer.pending).toBe(0);
  });
});
