export { CompactRange, type StoredNode } from "./compact-range.js";
export { verifyConsistency } from "./consistency-proof.js";
export { rootFromInclusionProof, verifyInclusion } from "./inclusion-proof.js";
export {
  consistencyProofRanges,
  hashRange,
  inclusionProofRanges,
  type LeafRange,
  type NodeLookup,
  nodeKey,
  nodesForRanges,
} from "./proof-plan.js";
export { emptyRoot, HASH_SIZE, hashChildren, hashLeaf, rootFromLeafHashes } from "./rfc6962.js";
export { decomposeRange, isPowerOfTwo, type NodeId, toIndex } from "./tree-math.js";
