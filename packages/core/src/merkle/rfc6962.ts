// RFC 6962 section 2.1 Merkle tree hashing: leaves are SHA-256(0x00 || data),
// interior nodes SHA-256(0x01 || left || right), the empty tree SHA-256("").
import type { Hasher } from "../hasher.js";

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

export const HASH_SIZE = 32;

export function hashLeaf(hasher: Hasher, leafData: Uint8Array): Uint8Array {
  return hasher.sha256(LEAF_PREFIX, leafData);
}

export function hashChildren(hasher: Hasher, left: Uint8Array, right: Uint8Array): Uint8Array {
  return hasher.sha256(NODE_PREFIX, left, right);
}

export function emptyRoot(hasher: Hasher): Uint8Array {
  return hasher.sha256(new Uint8Array(0));
}

/**
 * MTH(D[n]) computed directly from all leaf hashes, as RFC 6962 defines it.
 * O(n) memory: a reference for tests and small trees, not for the ledger.
 */
export function rootFromLeafHashes(hasher: Hasher, leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot(hasher);
  let level = [...leafHashes];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2)
      next.push(hashChildren(hasher, level[i] as Uint8Array, level[i + 1] as Uint8Array));
    // An odd node is promoted unchanged: the same tree shape as RFC 6962's
    // "largest power of two smaller than n" split.
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Uint8Array);
    level = next;
  }
  return level[0] as Uint8Array;
}
