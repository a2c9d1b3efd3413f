// The right edge of a growing RFC 6962 tree: the perfect subtrees that tile
// [0, size), largest first. Appending a leaf merges equal-sized neighbours and
// reports every newly completed subtree so a store can persist it.
import { TrailproofError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { emptyRoot, hashChildren } from "./rfc6962.js";
import { decomposeRange, type NodeId } from "./tree-math.js";

export interface StoredNode extends NodeId {
  hash: Uint8Array;
}

export class CompactRange {
  #size: bigint;
  readonly #hasher: Hasher;
  /** Perfect subtrees tiling [0, size), largest (leftmost) first. */
  readonly #nodes: StoredNode[];

  private constructor(hasher: Hasher, size: bigint, nodes: StoredNode[]) {
    this.#hasher = hasher;
    this.#size = size;
    this.#nodes = nodes;
  }

  static empty(hasher: Hasher): CompactRange {
    return new CompactRange(hasher, 0n, []);
  }

  /** The node ids a store must read to resume a tree of `size`. */
  static nodesFor(size: bigint): NodeId[] {
    return decomposeRange(0n, size);
  }

  /** Resumes from stored hashes of CompactRange.nodesFor(size), in that order; MERKLE_RANGE_INVALID for any other nodes. */
  static fromNodes(hasher: Hasher, size: bigint, nodes: readonly StoredNode[]): CompactRange {
    const expected = decomposeRange(0n, size);
    if (expected.length !== nodes.length) throw rangeInvalid("wrong number of nodes for this tree size");
    expected.forEach((id, i) => {
      const n = nodes[i] as StoredNode;
      if (n.level !== id.level || n.index !== id.index)
        throw rangeInvalid("nodes are not the compact range of this size");
    });
    return new CompactRange(
      hasher,
      size,
      nodes.map((n) => ({ ...n })),
    );
  }

  get size(): bigint {
    return this.#size;
  }

  /** The perfect subtrees tiling [0, size), largest first: what fromNodes resumes from. */
  nodes(): StoredNode[] {
    return this.#nodes.map((n) => ({ ...n }));
  }

  /**
   * Appends one leaf hash. Returns every node it completes, the leaf itself
   * (level 0) first, in the order a store should write them.
   */
  append(leafHash: Uint8Array): StoredNode[] {
    const created: StoredNode[] = [{ level: 0, index: this.#size, hash: leafHash }];
    this.#size += 1n;
    return this.#merge(created);
  }

  /**
   * Appends a perfect subtree of 2^level leaves by its root hash, as if its
   * leaves had been appended one by one. Requires size to be a multiple of
   * 2^level (MERKLE_RANGE_INVALID otherwise). Returns the subtree's root node first, then every node the
   * append completes above it, bottom-up.
   */
  appendSubtree(level: number, hash: Uint8Array): StoredNode[] {
    const width = 1n << BigInt(level);
    if (this.#size % width !== 0n) throw rangeInvalid("a subtree must start at a multiple of its width");
    const created: StoredNode[] = [{ level, index: this.#size / width, hash }];
    this.#size += width;
    return this.#merge(created);
  }

  /** Merges the node just appended (created[0]) with equal-sized neighbours, recording each new node. */
  #merge(created: StoredNode[]): StoredNode[] {
    let node = created[0] as StoredNode;
    for (;;) {
      const left = this.#nodes[this.#nodes.length - 1];
      if (left === undefined || left.level !== node.level) break;
      this.#nodes.pop();
      node = { level: node.level + 1, index: left.index >> 1n, hash: hashChildren(this.#hasher, left.hash, node.hash) };
      created.push(node);
    }
    this.#nodes.push(node);
    return created;
  }

  /** MTH(D[size]). */
  rootHash(): Uint8Array {
    if (this.#nodes.length === 0) return emptyRoot(this.#hasher);
    let acc = (this.#nodes[this.#nodes.length - 1] as StoredNode).hash;
    for (let i = this.#nodes.length - 2; i >= 0; i--)
      acc = hashChildren(this.#hasher, (this.#nodes[i] as StoredNode).hash, acc);
    return acc;
  }

  clone(): CompactRange {
    return new CompactRange(
      this.#hasher,
      this.#size,
      this.#nodes.map((n) => ({ ...n })),
    );
  }
}

/** Nodes that do not tile the tree they claim to: a damaged store or a broken hasher, never fixed by retrying. */
function rangeInvalid(message: string): TrailproofError {
  return new TrailproofError("MERKLE_RANGE_INVALID", message);
}
