export { BUNDLE_FORMAT, type BundleHeader } from "./bundle-format.js";
export { HashingQueue } from "./hashing-queue.js";
export {
  type Divergence,
  type DivergenceKind,
  LogVerifier,
  type LogVerifierOptions,
  type VerifiedCheckpoint,
  verifyCheckpointChain,
} from "./log-verifier.js";
export { LeafPacker, leafCount, type PackedLeaves, packLeaves } from "./packed-leaves.js";
export { LEAF_NOT_JSON, type ScannedReceivedAt, scanReceivedAt } from "./scan-leaf.js";
export {
  HashedLeaves,
  type HashedSubtrees,
  hashSubtreesNow,
  inlineSubtreeHasher,
  type SubtreeHasher,
  type Tile,
  tileLeafRange,
} from "./subtree-hasher.js";
export { type BundleReport, type VerifyBundleOptions, verifyBundle, verifyBundleBytes } from "./verify-bundle.js";
