// Hashing a run of leaves as the RFC 6962 perfect subtrees that tile it
// (section 2.1), behind an interface so a server can hash on worker threads
// while core stays isomorphic. Whole-log verification spends most of its time
// here: every leaf and every interior node is recomputed.
import { TrailproofError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import type { StoredNode } from "../merkle/compact-range.js";
import { leafCount, type PackedLeaves } from "./packed-leaves.js";

const HASH_SIZE = 32;
const NODE_PREFIX = new Uint8Array([1]);

export interface SubtreeHasher {
  /**
   * Every node of the perfect subtrees that tile leaves [first, first + n)
   * (n = leafCount(leaves); tileLeafRange(first, n) gives them), 32 bytes
   * each, laid out as HashedLeaves reads them. Each leaf hash MUST be
   * SHA-256 of exactly leaves' bytes for it, and each interior node
   * SHA-256(0x01 || left || right) of the nodes computed here: nothing comes
   * from a cache or from the store, or verification would check nothing.
   * MAY move leaves.bytes to another thread: the caller MUST NOT read it
   * after the call, and gets its memory back with the result, to reuse.
   * Rejects (never resolves with partial output) if hashing fails.
   */
  hashSubtrees(first: number, leaves: PackedLeaves): Promise<HashedSubtrees>;
}

export interface HashedSubtrees {
  nodes: Uint8Array;
  /** The leaves' bytes given back (the same memory, moved back if it was moved). */
  bytes: Uint8Array;
}

/** A perfect subtree: leaves [start, start + 2^level). */
export interface Tile {
  level: number;
  start: number;
}

/**
 * The perfect subtrees that tile [first, first + count), left to right: at
 * each step the largest aligned one that fits (RFC 6962's decomposition, as
 * decomposeRange computes in bigint). Requires first + count <= 2^53.
 */
export function tileLeafRange(first: number, count: number): Tile[] {
  const tiles: Tile[] = [];
  const end = first + count;
  let start = first;
  while (start < end) {
    let level = 0;
    let width = 1;
    while (start % (2 * width) === 0 && start + 2 * width <= end) {
      width *= 2;
      level++;
    }
    tiles.push({ level, start });
    start += width;
  }
  return tiles;
}

/** Nodes in a perfect subtree of 2^level leaves: 2^(level + 1) - 1. */
function nodesInTile(level: number): number {
  return 2 ** (level + 1) - 1;
}

/**
 * The output of SubtreeHasher.hashSubtrees, read in place: for each tile left
 * to right, its leaf hashes, then each level above left to right, its root last.
 */
export class HashedLeaves {
  readonly first: number;
  readonly count: number;
  readonly tiles: readonly Tile[];
  readonly #nodes: Uint8Array;
  /** Node offset (in hashes) where each tile's block starts. */
  readonly #tileOffsets: number[] = [];

  /** Throws VERIFY_BATCH_INVALID if `nodes` does not have the size the tiling implies (a broken hasher fails closed). */
  constructor(first: number, count: number, nodes: Uint8Array) {
    this.first = first;
    this.count = count;
    this.tiles = tileLeafRange(first, count);
    let offset = 0;
    for (const t of this.tiles) {
      this.#tileOffsets.push(offset);
      offset += nodesInTile(t.level);
    }
    if (nodes.length !== offset * HASH_SIZE)
      throw new TrailproofError("VERIFY_BATCH_INVALID", "hashed subtrees have the wrong size");
    this.#nodes = nodes;
  }

  /** The leaf hash of leaf first + k. Requires 0 <= k < count. */
  leafHash(k: number): Uint8Array {
    let t = this.tiles.length - 1;
    while ((this.tiles[t] as Tile).start > this.first + k) t--;
    return this.#at(t, 0, this.first + k - (this.tiles[t] as Tile).start);
  }

  /** Every node above the leaves inside the tiles, each level's children before their parents. */
  interiorNodes(): StoredNode[] {
    const out: StoredNode[] = [];
    this.tiles.forEach((tile, t) => {
      for (let level = 1; level <= tile.level; level++) {
        const width = 2 ** (tile.level - level);
        const index = tile.start / 2 ** level;
        for (let p = 0; p < width; p++) out.push({ level, index: BigInt(index + p), hash: this.#at(t, level, p) });
      }
    });
    return out;
  }

  /** Tile t's root. */
  tileRoot(t: number): Uint8Array {
    const tile = this.tiles[t] as Tile;
    return this.#at(t, tile.level, 0);
  }

  /** The hash of the aligned perfect subtree (level, start), which MUST lie inside one tile. */
  subtree(level: number, start: number): Uint8Array {
    for (let t = 0; t < this.tiles.length; t++) {
      const tile = this.tiles[t] as Tile;
      if (start >= tile.start && start + 2 ** level <= tile.start + 2 ** tile.level && level <= tile.level) {
        return this.#at(t, level, (start - tile.start) / 2 ** level);
      }
    }
    throw new TrailproofError("VERIFY_BATCH_INVALID", `no tile holds the subtree at level ${level} from leaf ${start}`);
  }

  #at(t: number, level: number, position: number): Uint8Array {
    const tileLevel = (this.tiles[t] as Tile).level;
    // Levels below `level` hold 2^tileLevel + 2^(tileLevel - 1) + ... hashes.
    const below = 2 ** (tileLevel + 1) - 2 ** (tileLevel - level + 1);
    const at = ((this.#tileOffsets[t] as number) + below + position) * HASH_SIZE;
    return this.#nodes.subarray(at, at + HASH_SIZE);
  }
}

/** SubtreeHasher on the calling thread: the reference, and the choice for small logs and browsers. */
export function inlineSubtreeHasher(hasher: Hasher): SubtreeHasher {
  return {
    async hashSubtrees(first, leaves) {
      return { nodes: hashSubtreesNow(hasher, first, leaves), bytes: leaves.bytes };
    },
  };
}

/** hashSubtrees, synchronously. */
export function hashSubtreesNow(hasher: Hasher, first: number, leaves: PackedLeaves): Uint8Array {
  const { bytes, offsets } = leaves;
  return buildSubtreeNodes(hasher, first, leafCount(leaves), (leaf) =>
    hasher.sha256(bytes.subarray(offsets[leaf] as number, offsets[leaf + 1] as number)),
  );
}

/**
 * The same layout as hashSubtreesNow for leaves whose hashes are given, not
 * computed: pruned entries, whose leaf data is gone (docs/retention.md). Only
 * the interior nodes are computed here; each leaf hash is checked by every
 * signed root above it. Requires every hash to be 32 bytes.
 */
export function hashSubtreesOfLeafHashes(hasher: Hasher, first: number, leafHashes: readonly Uint8Array[]): Uint8Array {
  return buildSubtreeNodes(hasher, first, leafHashes.length, (leaf) => leafHashes[leaf] as Uint8Array);
}

/** The nodes of the tiles of [first, first + count), leaf hash `leafHash(k)` for the k-th leaf. */
function buildSubtreeNodes(
  hasher: Hasher,
  first: number,
  count: number,
  leafHash: (k: number) => Uint8Array,
): Uint8Array {
  const tiles = tileLeafRange(first, count);
  let total = 0;
  for (const t of tiles) total += nodesInTile(t.level);
  const out = new Uint8Array(total * HASH_SIZE);
  let leaf = 0;
  let at = 0;
  for (const t of tiles) {
    let width = 2 ** t.level;
    let level = at;
    for (let k = 0; k < width; k++, leaf++) {
      out.set(leafHash(leaf), at);
      at += HASH_SIZE;
    }
    while (width > 1) {
      for (let k = 0; k < width; k += 2) {
        const left = out.subarray(level + k * HASH_SIZE, level + (k + 1) * HASH_SIZE);
        const right = out.subarray(level + (k + 1) * HASH_SIZE, level + (k + 2) * HASH_SIZE);
        out.set(hasher.sha256(NODE_PREFIX, left, right), at);
        at += HASH_SIZE;
      }
      level += width * HASH_SIZE;
      width /= 2;
    }
  }
  return out;
}
