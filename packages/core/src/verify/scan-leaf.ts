// The top-level received_at of a leaf without JSON.parse, which built each
// entry's whole object tree (most of verification's time) for one field.
// Leaf data is RFC 8785 JSON: no whitespace, keys sorted, and a quote inside
// a string always escaped. So the last `"received_at":"` in a leaf is the
// top-level key exactly when the bytes after its value close one object and
// end the leaf; that tail (a few short top-level fields, sorted after
// received_at) is all that is read. Whatever this cannot settle goes to
// JSON.parse, the reference semantics.
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
 * Read without parsing only when the leaf is `{...}`, its last
 * `"received_at":"` follows `{` or `,`, the value is plain ASCII with no
 * escape, and what follows the value closes exactly the outermost object at
 * the leaf's last byte. For a JSON leaf that is the value JSON.parse gives
 * (the last duplicate wins there too). The bytes before the key are not
 * otherwise checked to be JSON: any change to them is still caught by the
 * leaf hash and the signed roots, so only a signer could put a non-JSON leaf
 * in the log without ENTRY_MALFORMED naming it.
 */
export function scanReceivedAt(bytes: Uint8Array, start: number, end: number): ScannedReceivedAt {
  return readReceivedAt(bytes, start, end) ?? parseReceivedAt(bytes.subarray(start, end));
}

const KEY = [0x22, 0x72, 0x65, 0x63, 0x65, 0x69, 0x76, 0x65, 0x64, 0x5f, 0x61, 0x74, 0x22, 0x3a, 0x22]; // "received_at":"
/** Reverse Horspool shifts: how far the key may move left when the byte under its first position is c. */
const SHIFT = new Uint8Array(256).fill(KEY.length);
for (let k = KEY.length - 1; k >= 1; k--) SHIFT[KEY[k] as number] = k;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** The value when the fast path can read it for certain; null when JSON.parse must decide. */
function readReceivedAt(b: Uint8Array, start: number, end: number): string | null {
  if (end - start < 2 || b[start] !== OPEN || b[end - 1] !== CLOSE) return null;
  const at = findLastKey(b, start, end);
  if (at < 0) return null;
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
  if (!closesOutermost(b, i + 1, end)) return null;
  return String.fromCharCode.apply(null, b.subarray(from, i) as unknown as number[]);
}

/** Last position of KEY in b[from, end), or -1. */
function findLastKey(b: Uint8Array, from: number, end: number): number {
  for (let i = end - KEY.length; i >= from; ) {
    const c = b[i] as number;
    if (c === QUOTE) {
      let k = 1;
      while (k < KEY.length && b[i + k] === KEY[k]) k++;
      if (k === KEY.length) return i;
    }
    i -= SHIFT[c] as number;
  }
  return -1;
}

/**
 * Whether b[from, end), what follows a value inside an object, is `,` or
 * `}` and then closes that object, and every container opened after it, at
 * exactly the last byte: so the object was the outermost one.
 */
function closesOutermost(b: Uint8Array, from: number, end: number): boolean {
  const next = b[from];
  if (from >= end || (next !== COMMA && next !== CLOSE)) return false;
  let depth = 1;
  for (let i = from; i < end; i++) {
    const c = b[i];
    if (c === QUOTE) {
      for (i++; i < end && b[i] !== QUOTE; i++) if (b[i] === BACKSLASH) i++;
    } else if (c === OPEN || c === OPEN_ARRAY) {
      depth++;
    } else if (c === CLOSE || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return i === end - 1;
    }
  }
  return false;
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
