// Proof elements from stored hashes: every element is the hash of a leaf
// range, rebuilt from the perfect subtrees that tile it (O(log n) reads).
import {
  type Hasher,
  hashRange,
  type LeafRange,
  type NodeId,
  nodeKey,
  nodesForRanges,
  TrailproofError,
} from "@trailproof/core";
import type { LogStore } from "./store/log-store.js";

export async function hashRangesFromStore(
  store: LogStore,
  hasher: Hasher,
  tenantId: number,
  ranges: readonly LeafRange[],
): Promise<Uint8Array[]> {
  const hashes = await store.readNodes(tenantId, nodesForRanges(ranges));
  const lookup = (id: NodeId) => {
    const h = hashes.get(nodeKey(id));
    if (!h) throw new TrailproofError("STORE_NODE_MISSING", `stored tree lacks node ${nodeKey(id)}`);
    return h;
  };
  return ranges.map((r) => hashRange(hasher, r, lookup));
}
