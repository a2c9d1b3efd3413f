// The export bundle, a self-contained NDJSON file: a header line, then one
// line per signed checkpoint ({"checkpoint": note}), then one line per entry,
// each line byte-for-byte the entry's leaf data (RFC 8785 JSON contains no
// raw newline), so SHA-256(0x00 || line) is its leaf hash.

export const BUNDLE_FORMAT = "trailproof-bundle/v1";

export interface BundleHeader {
  format: typeof BUNDLE_FORMAT;
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
