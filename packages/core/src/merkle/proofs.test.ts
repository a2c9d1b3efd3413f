// Property tests for proof building: every proof built from stored subtree
// hashes verifies, and every one-bit mutation of it fails.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8 } from "../bytes.js";
import { hasErrorCode } from "../errors.js";
import { portableHasher as hasher } from "../hasher.js";
import { CompactRange } from "./compact-range.js";
import { verifyConsistency } from "./consistency-proof.js";
import { verifyInclusion } from "./inclusion-proof.js";
import { consistencyProofRanges, hashRange, inclusionProofRanges, nodesForRanges } from "./proof-plan.js";
import { emptyRoot, hashLeaf, rootFromLeafHashes } from "./rfc6962.js";
import type { NodeId } from "./tree-math.js";

const MAX = 150;
const leaves = Array.from({ length: MAX }, (_, i) => hashLeaf(hasher, utf8(`leaf ${i}`)));
const lookup = (node: NodeId) => {
  const begin = Number(node.index) * 2 ** node.level;
  return rootFromLeafHashes(hasher, leaves.slice(begin, begin + 2 ** node.level));
};
const root = (size: number) => rootFromLeafHashes(hasher, leaves.slice(0, size));
const flipBit = (proof: Uint8Array[], at: number, bit: number) =>
  proof.map((p, i) => {
    if (i !== at) return p;
    const q = p.slice();
    q[bit >> 3] = (q[bit >> 3] as number) ^ (1 << (bit & 7));
    return q;
  });

function inclusionProof(index: number, size: number): Uint8Array[] {
  return inclusionProofRanges(index, size).map((r) => hashRange(hasher, r, lookup));
}

function consistencyProof(size1: number, size2: number): Uint8Array[] {
  return consistencyProofRanges(size1, size2).map((r) => hashRange(hasher, r, lookup));
}

describe("CompactRange", () => {
  it("matches the reference root at every size and reports completed nodes", () => {
    const range = CompactRange.empty(hasher);
    expect(range.rootHash()).toEqual(emptyRoot(hasher));
    for (let i = 0; i < MAX; i++) {
      const created = range.append(leaves[i] as Uint8Array);
      for (const node of created) expect(node.hash).toEqual(lookup(node));
      expect(range.rootHash()).toEqual(root(i + 1));
    }
  });

  it("resumes from the stored nodes of its size", () => {
    for (const size of [1, 2, 3, 7, 8, 100]) {
      const ids = CompactRange.nodesFor(BigInt(size));
      const resumed = CompactRange.fromNodes(
        hasher,
        BigInt(size),
        ids.map((id) => ({ ...id, hash: lookup(id) })),
      );
      expect(resumed.rootHash()).toEqual(root(size));
      resumed.append(leaves[size] as Uint8Array);
      expect(resumed.rootHash()).toEqual(root(size + 1));
    }
  });
});

describe("inclusion proofs", () => {
  it("verify for every index of every size up to 40", () => {
    for (let size = 1; size <= 40; size++) {
      for (let index = 0; index < size; index++) {
        expect(() =>
          verifyInclusion(hasher, index, size, leaves[index] as Uint8Array, inclusionProof(index, size), root(size)),
        ).not.toThrow();
      }
    }
  });

  it("need O(log n) stored nodes", () => {
    const ranges = inclusionProofRanges(123_456_789n, 10_000_000_000n);
    expect(nodesForRanges(ranges).length).toBeLessThanOrEqual(2 * 34);
  });

  it("fail on any one-bit mutation, a wrong index or a wrong size", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: MAX - 1 }), fc.nat(), fc.nat(), fc.nat(255), (size, i, at, bit) => {
        const index = i % size;
        const proof = inclusionProof(index, size);
        const leaf = leaves[index] as Uint8Array;
        if (proof.length > 0) {
          const mutated = flipBit(proof, at % proof.length, bit);
          expect(() => verifyInclusion(hasher, index, size, leaf, mutated, root(size))).toThrow();
        }
        expect(() => verifyInclusion(hasher, (index + 1) % size, size, leaf, proof, root(size))).toThrow();
        expect(() => verifyInclusion(hasher, index, size + 1, leaf, proof, root(size + 1))).toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it("reject an index at or beyond the tree size with PROOF_INVALID", () => {
    let caught: unknown;
    try {
      verifyInclusion(hasher, 5, 5, leaves[0] as Uint8Array, [], root(5));
    } catch (err) {
      caught = err;
    }
    expect(hasErrorCode(caught, "PROOF_INVALID")).toBe(true);
  });
});

describe("consistency proofs", () => {
  it("verify for every pair of sizes up to 40", () => {
    for (let size2 = 1; size2 <= 40; size2++) {
      for (let size1 = 1; size1 <= size2; size1++) {
        expect(() =>
          verifyConsistency(hasher, size1, size2, consistencyProof(size1, size2), root(size1), root(size2)),
        ).not.toThrow();
      }
    }
  });

  it("fail on any one-bit mutation or a substituted root", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX - 1 }),
        fc.integer({ min: 1, max: MAX - 1 }),
        fc.nat(),
        fc.nat(255),
        (a, b, at, bit) => {
          const [size1, size2] = a < b ? [a, b] : [b, a + 1];
          const proof = consistencyProof(size1, size2);
          if (proof.length > 0) {
            const mutated = flipBit(proof, at % proof.length, bit);
            expect(() => verifyConsistency(hasher, size1, size2, mutated, root(size1), root(size2))).toThrow();
          }
          expect(() => verifyConsistency(hasher, size1, size2, proof, root(size1), root(size2 - 1))).toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});
