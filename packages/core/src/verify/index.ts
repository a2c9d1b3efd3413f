export { BUNDLE_FORMAT, type BundleHeader } from "./bundle-format.js";
export { type BundleReport, type BundleReportOptions, bundleReport, bundleReportFromBytes } from "./bundle-report.js";
export { ERASURE_RECEIPT_FORMAT, type ErasureReceipt, verifyErasureReceipt } from "./erasure-receipt.js";
export { HashingQueue } from "./hashing-queue.js";
export {
  checkpointChainDivergences,
  type Divergence,
  type DivergenceKind,
  LogVerifier,
  type LogVerifierOptions,
  type VerifiedCheckpoint,
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
