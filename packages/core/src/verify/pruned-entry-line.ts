// The line that stands in for a pruned entry in an export bundle (format v2)
// and in GET /v1/log/entries (docs/log-format.md, "Pruned entries"):
// {"pruned":{"index":I,"leaf_hash":"<base64>","prune_index":P}} in RFC 8785
// form. Leaf data is the RFC 8785 form of a committed event, which always
// has `action` (its first key), so no leaf data starts with `{"pruned":`.
import { fromBase64, fromUtf8, toBase64, utf8 } from "../bytes.js";
import { encodeCanonicalJson } from "../canonical-json.js";

export interface PrunedEntry {
  index: number;
  /** The entry's RFC 6962 leaf hash, kept when its body was pruned. */
  leafHash: Uint8Array;
  /** Index of the retention.prune entry that lists the entry's range. */
  pruneIndex: number;
}

const PREFIX = utf8('{"pruned":');
const HASH_BYTES = 32;

/** The stand-in line for `entry`, without newline. */
export function encodePrunedEntryLine(entry: PrunedEntry): string {
  return encodeCanonicalJson({
    pruned: { index: entry.index, leaf_hash: toBase64(entry.leafHash), prune_index: entry.pruneIndex },
  });
}

/**
 * Whether bytes[start, end) starts as a stand-in does: such a line is never
 * leaf data, so it MUST then parse as a stand-in (parsePrunedEntryLine) or
 * be reported malformed.
 */
export function hasPrunedEntryPrefix(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  if (end - start < PREFIX.length) return false;
  for (let k = 0; k < PREFIX.length; k++) if (bytes[start + k] !== PREFIX[k]) return false;
  return true;
}

/**
 * The stand-in in bytes[start, end), or undefined unless it is exactly
 * {"pruned":{"index", "leaf_hash", "prune_index"}}: non-negative safe
 * integers and a 32-byte hash in canonical base64, nothing else. The line is
 * untrusted; this never throws.
 */
export function parsePrunedEntryLine(bytes: Uint8Array, start = 0, end = bytes.length): PrunedEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(bytes.subarray(start, end)));
  } catch {
    return undefined;
  }
  if (!isPlainObject(parsed) || !onlyKeys(parsed, ["pruned"])) return undefined;
  const inner = parsed.pruned;
  if (!isPlainObject(inner) || !onlyKeys(inner, ["index", "leaf_hash", "prune_index"])) return undefined;
  const { index, leaf_hash: leafHash, prune_index: pruneIndex } = inner;
  if (!isIndex(index) || !isIndex(pruneIndex) || typeof leafHash !== "string") return undefined;
  let hash: Uint8Array;
  try {
    hash = fromBase64(leafHash);
  } catch {
    return undefined;
  }
  if (hash.length !== HASH_BYTES) return undefined;
  return { index, leafHash: hash, pruneIndex };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
}

function isIndex(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
