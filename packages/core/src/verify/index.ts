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
export { actorName, evaluateReport, listedIndexes, type ReportEntry, tagMatches } from "./report-evaluate.js";
export {
  DEFAULT_SECTION_QUERIES,
  MAX_APPROVAL_WINDOW_SECONDS,
  MAX_REPORT_ENTRIES,
  REPORT_EMBED_ID,
  REPORT_FORMAT,
  REPORT_SECTION_TYPES,
  type ReportApproval,
  type ReportArtifact,
  type ReportCheck,
  type ReportCheckResult,
  type ReportDefinition,
  type ReportListedEvent,
  type ReportQueryMatcher,
  type ReportRange,
  type ReportResults,
  type ReportSection,
  type ReportSectionResult,
  type ReportSectionType,
  type ReportViolation,
  reportLookbackSeconds,
} from "./report-format.js";
export { parseReportFile, type VerifiedReport, verifyReport } from "./report-verifier.js";
export { LEAF_NOT_JSON, type ScannedReceivedAt, scanReceivedAt } from "./scan-leaf.js";
export { verifyCheckpointByAny } from "./signed-by-any.js";
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
export type { TileReader } from "./tile-reader.js";
export { type TileVerifyOptions, type TileVerifyReport, verifyTiles } from "./tile-verifier.js";
export { type TlogProofOptions, type VerifiedTlogProof, verifyTlogProof } from "./tlog-proof-verifier.js";
