// Which stored hashes make an RFC 6962 proof (section 2.1.1 PATH and 2.1.2
// PROOF), expressed as leaf ranges, and how a range's hash is rebuilt from the
// perfect subtrees that tile it. Lets a store answer any proof for any tree
// size in O(log n) point reads without keeping every historical tree.
import { InvalidInputError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { emptyRoot, hashChildren } from "./rfc6962.js";
import { decomposeRange, largestPowerOfTwoBelow, type NodeId, toIndex } from "./tree-math.js";

/** The leaves [begin, end) of one subtree whose MTH is one proof element. */
export interface LeafRange {
  begin: bigint;
  end: bigint;
}

/** Ranges whose hashes form the inclusion proof of `index` in a tree of `treeSize`. Throws PROOF_SIZE_OUT_OF_RANGE unless index < treeSize. */
export function inclusionProofRanges(index: number | bigint, treeSize: number | bigint): LeafRange[] {
  const m = toIndex(index);
  const n = toIndex(treeSize);
  if (m >= n) throw new InvalidInputError("PROOF_SIZE_OUT_OF_RANGE", `index ${m} is not below tree size ${n}`);
  const out: LeafRange[] = [];
  // PATH(m, D[b:e]) unrolled from the root down; elements are collected
  // top-down, so reverse at the end to get RFC order (leaf level first).
  let b = 0n;
  let e = n;
  while (e - b > 1n) {
    const k = largestPowerOfTwoBelow(e - b);
    if (m < b + k) {
      out.push({ begin: b + k, end: e });
      e = b + k;
    } else {
      out.push({ begin: b, end: b + k });
      b = b + k;
    }
  }
  return out.reverse();
}

/** Ranges whose hashes form the consistency proof from size1 to size2. Throws PROOF_SIZE_OUT_OF_RANGE unless 0 < size1 <= size2. */
export function consistencyProofRanges(size1: number | bigint, size2: number | bigint): LeafRange[] {
  const m = toIndex(size1);
  const n = toIndex(size2);
  if (m === 0n || m > n)
    throw new InvalidInputError("PROOF_SIZE_OUT_OF_RANGE", `no consistency proof from ${m} to ${n}`);
  if (m === n) return [];
  const out: LeafRange[] = [];
  // SUBPROOF(m, D[b:e], startFromOldRoot) unrolled from the root down.
  let b = 0n;
  let e = n;
  let startFromOldRoot = true;
  for (;;) {
    if (m === e) {
      if (!startFromOldRoot) out.push({ begin: b, end: e });
      break;
    }
    const k = largestPowerOfTwoBelow(e - b);
    if (m - b <= k) {
      out.push({ begin: b + k, end: e });
      e = b + k;
    } else {
      out.push({ begin: b, end: b + k });
      b = b + k;
      startFromOldRoot = false;
    }
  }
  return out.reverse();
}

/** Every stored node needed to hash `ranges`, deduplicated. */
export function nodesForRanges(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const r of ranges) {
    for (const node of decomposeRange(r.begin, r.end)) seen.set(`${node.level}:${node.index}`, node);
  }
  return [...seen.values()];
}

/** Looks up a perfect subtree's stored hash; MUST throw if it is absent. */
export type NodeLookup = (node: NodeId) => Uint8Array;

/** MTH of the leaves [begin, end), folded right-to-left from its perfect subtrees. */
export function hashRange(hasher: Hasher, range: LeafRange, lookup: NodeLookup): Uint8Array {
  if (range.begin === range.end) return emptyRoot(hasher);
  const nodes = decomposeRange(range.begin, range.end);
  let acc = lookup(nodes[nodes.length - 1] as NodeId);
  for (let i = nodes.length - 2; i >= 0; i--) acc = hashChildren(hasher, lookup(nodes[i] as NodeId), acc);
  return acc;
}

/** Key for maps of node hashes. */
export function nodeKey(node: NodeId): string {
  return `${node.level}:${node.index}`;
}
