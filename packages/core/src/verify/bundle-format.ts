// The export bundle, a self-contained NDJSON file: a header line, then one
// line per signed checkpoint ({"checkpoint": note}), then one line per entry.
// In version 1 each entry line is byte-for-byte the entry's leaf data (RFC
// 8785 JSON contains no raw newline), so SHA-256(0x00 || line) is its leaf
// hash. Version 2 adds one other entry line: a pruned entry, whose leaf data
// is gone, is its stand-in {"pruned": {index, leaf_hash, prune_index}}
// (pruned-entry-line.ts), whose leaf_hash enters the tree as it is.

export const BUNDLE_FORMAT = "trailproof-bundle/v2";
/** Bundles written before pruned entries had stand-ins; every entry line is leaf data. Still verified. */
export const BUNDLE_FORMAT_V1 = "trailproof-bundle/v1";

export interface BundleHeader {
  format: typeof BUNDLE_FORMAT | typeof BUNDLE_FORMAT_V1;
  tenant: string;
  origin: string;
  /** Number of entry lines; equals the largest checkpoint's tree size. */
  tree_size: number;
  /** Number of checkpoint lines that follow the header. */
  checkpoints: number;
  /** Every verifier key the log has used, with validity. */
  verifier_keys: { verifier_key: string; created_at: string; retired_at: string | null }[];
  exported_at: string;
}
