export { BUNDLE_FORMAT, BUNDLE_FORMAT_V1, type BundleHeader } from "./bundle-format.js";
export {
  type BundlePrunedEntries,
  type BundleReport,
  type BundleReportOptions,
  bundleReport,
  bundleReportFromBytes,
} from "./bundle-report.js";
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
export { firstUnlisted, rangesOfPruneEvent } from "./prune-listing.js";
export {
  encodePrunedEntryLine,
  hasPrunedEntryPrefix,
  type PrunedEntry,
  parsePrunedEntryLine,
} from "./pruned-entry-line.js";
export { LEAF_NOT_JSON, type ScannedReceivedAt, scanReceivedAt } from "./scan-leaf.js";
export {
  HashedLeaves,
  type HashedSubtrees,
  hashSubtreesNow,
  hashSubtreesOfLeafHashes,
  inlineSubtreeHasher,
  type SubtreeHasher,
  type Tile,
  tileLeafRange,
} from "./subtree-hasher.js";
