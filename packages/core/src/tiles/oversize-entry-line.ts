// The stand-in an entry bundle carries for an entry whose leaf data is over
// 65,535 bytes, which the bundle's uint16 length cannot express (events may
// be up to 256 KiB): {"oversize":{"index":I,"leaf_hash":"<base64>"}} in RFC
// 8785 form. Leaf data always starts `{"action":`, so no leaf is mistaken for
// one. Its leaf hash is still checked against the level-0 tile and the root;
// only the body is not in the mirror (docs/mirror.md).
import { fromBase64, fromUtf8, toBase64, utf8 } from "../bytes.js";
import { encodeCanonicalJson } from "../canonical-json.js";

export interface OversizeEntry {
  index: number;
  leafHash: Uint8Array;
}

const PREFIX = utf8('{"oversize":');

export function encodeOversizeEntryLine(entry: OversizeEntry): string {
  return encodeCanonicalJson({ oversize: { index: entry.index, leaf_hash: toBase64(entry.leafHash) } });
}

export function hasOversizeEntryPrefix(bytes: Uint8Array): boolean {
  return bytes.length >= PREFIX.length && PREFIX.every((b, i) => bytes[i] === b);
}

/** The stand-in in `bytes`, or undefined unless it is exactly one (and in RFC 8785 form). Untrusted; never throws. */
export function parseOversizeEntryLine(bytes: Uint8Array): OversizeEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromUtf8(bytes));
  } catch {
    return undefined;
  }
  const inner = (parsed as { oversize?: { index?: unknown; leaf_hash?: unknown } } | null)?.oversize;
  if (typeof inner !== "object" || inner === null) return undefined;
  const { index, leaf_hash: leafHash } = inner;
  if (!Number.isSafeInteger(index) || (index as number) < 0 || typeof leafHash !== "string") return undefined;
  let hash: Uint8Array;
  try {
    hash = fromBase64(leafHash);
  } catch {
    return undefined;
  }
  if (hash.length !== 32) return undefined;
  const entry = { index: index as number, leafHash: hash };
  // Exactly the canonical form: nothing else rides along.
  return encodeOversizeEntryLine(entry) === fromUtf8(bytes) ? entry : undefined;
}
