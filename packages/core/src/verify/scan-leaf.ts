// The top-level received_at of a leaf without JSON.parse, which built each
// entry's whole object tree (most of verification's time) for one field.
// Leaf data is RFC 8785 JSON: no whitespace, and a quote inside a string is
// always escaped, so the bytes `"received_at":"` appear once in a leaf that
// has the field, unless a nested key spells it too. Whatever this fast path
// cannot read for certain goes to JSON.parse, the reference semantics.
import { fromUtf8 } from "../bytes.js";

/** The leaf is not JSON text (or not UTF-8): LogVerifier reports ENTRY_MALFORMED. */
export const LEAF_NOT_JSON: unique symbol = Symbol("LEAF_NOT_JSON");

export type ScannedReceivedAt = string | undefined | typeof LEAF_NOT_JSON;

/**
 * received_at of the leaf in bytes[start, end): the top-level string value,
 * `undefined` when there is none or it is not a string, LEAF_NOT_JSON when
 * JSON.parse(fromUtf8(...)) rejects the leaf. Requires 0 <= start <= end <=
 * bytes.length. Leaf data is untrusted.
 *
 * Read without parsing only when the leaf is `{...}` holding exactly one
 * `"received_at":"`, right after `{` or `,`, whose value is plain ASCII with
 * no escape and closes before `,` or `}`. For a leaf that has a top-level
 * string received_at (every leaf the sequencer writes) that is exactly the
 * value JSON.parse gives. Such a leaf is not otherwise checked to be JSON:
 * any change to its bytes is still caught by its leaf hash and the signed
 * roots, so only a signer could put a non-JSON leaf there unnamed.
 */
export function scanReceivedAt(bytes: Uint8Array, start: number, end: number): ScannedReceivedAt {
  return readReceivedAt(bytes, start, end) ?? parseReceivedAt(bytes.subarray(start, end));
}

const KEY = [0x22, 0x72, 0x65, 0x63, 0x65, 0x69, 0x76, 0x65, 0x64, 0x5f, 0x61, 0x74, 0x22, 0x3a, 0x22]; // "received_at":"
const LAST = KEY.length - 1;
/** Horspool shifts: how far the key may move when the byte under its last position is c. */
const SHIFT = new Uint8Array(256).fill(KEY.length);
for (let k = 0; k < LAST; k++) SHIFT[KEY[k] as number] = LAST - k;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** The value when the fast path can read it for certain; null when JSON.parse must decide. */
function readReceivedAt(b: Uint8Array, start: number, end: number): string | null {
  if (end - start < 2 || b[start] !== OPEN || b[end - 1] !== CLOSE) return null;
  const at = findKey(b, start, end);
  if (at < 0 || findKey(b, at + 1, end) >= 0) return null;
  const before = b[at - 1];
  if (before !== OPEN && before !== COMMA) return null;
  const from = at + KEY.length;
  let i = from;
  for (; i < end; i++) {
    const c = b[i] as number;
    if (c === QUOTE) break;
    // Escapes and non-ASCII are what JSON.parse decodes; a timestamp has neither.
    if (c < 0x20 || c > 0x7e || c === BACKSLASH) return null;
  }
  if (i + 1 >= end) return null;
  const after = b[i + 1];
  if (after !== COMMA && after !== CLOSE) return null;
  return String.fromCharCode.apply(null, b.subarray(from, i) as unknown as number[]);
}

/** First position of KEY in b[from, end), or -1. */
function findKey(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i + LAST < end; ) {
    const c = b[i + LAST] as number;
    if (c === QUOTE) {
      let k = LAST - 1;
      while (k >= 0 && b[i + k] === KEY[k]) k--;
      if (k < 0) return i;
    }
    i += SHIFT[c] as number;
  }
  return -1;
}

/** What verification did for every entry before: JSON.parse. */
function parseReceivedAt(leaf: Uint8Array): ScannedReceivedAt {
  let event: unknown;
  try {
    event = JSON.parse(fromUtf8(leaf));
  } catch {
    return LEAF_NOT_JSON;
  }
  if (typeof event !== "object" || event === null) return undefined;
  const receivedAt = (event as { received_at?: unknown }).received_at;
  return typeof receivedAt === "string" ? receivedAt : undefined;
}
