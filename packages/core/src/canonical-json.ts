// RFC 8785 JSON Canonicalization Scheme (JCS), written here rather than taken
// from the `canonicalize` package: one pass both checks that the value is
// plain JSON within the depth bound and encodes it, about twice as fast as
// checking then calling the (recursive, unbounded) library; and on the ingest
// hot path an event's parts are encoded once and shared by the documents that
// contain them (encodeCanonicalJsonShared). The library stays as the test
// oracle (canonical-json.test.ts). Numbers use ECMAScript
// Number-to-String and strings JSON.stringify, exactly as RFC 8785 section
// 3.2.2 prescribes (a string with nothing to escape is only quoted); members
// are sorted by UTF-16 code units.
import { utf8 } from "./bytes.js";
import { InvalidInputError } from "./errors.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Deeper values are refused; audit payloads have no business nesting further. */
export const MAX_JSON_DEPTH = 64;

interface Frame {
  v: unknown;
  depth: number;
  parent: Frame | undefined;
  key: string;
}

/**
 * Throws CANONICAL_UNSUPPORTED_VALUE unless `value` is a plain JSON value no
 * deeper than `maxDepth`. `value` may be untrusted. Pointers are built only
 * for the failing value: this runs on every event, on the ingest hot path.
 */
export function assertJsonValue(value: unknown, maxDepth = MAX_JSON_DEPTH, pointer = ""): asserts value is JsonValue {
  const stack: Frame[] = [{ v: value, depth: 0, parent: undefined, key: "" }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const v = frame.v;
    if (v === null || typeof v === "string" || typeof v === "boolean") continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw unsupported(pointerOf(frame, pointer), "numbers must be finite");
      continue;
    }
    if (typeof v !== "object") throw unsupported(pointerOf(frame, pointer), `${typeof v} is not a JSON value`);
    if (frame.depth >= maxDepth) throw unsupported(pointerOf(frame, pointer), `nesting deeper than ${maxDepth} levels`);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: frame.depth + 1, parent: frame, key: String(i) });
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      throw unsupported(pointerOf(frame, pointer), "only plain objects are JSON values");
    }
    for (const key of Object.keys(v)) {
      stack.push({ v: (v as Record<string, unknown>)[key], depth: frame.depth + 1, parent: frame, key });
    }
  }
}

function pointerOf(frame: Frame, base: string): string {
  const tokens: string[] = [];
  for (let f: Frame | undefined = frame; f?.parent; f = f.parent) tokens.push(escapePointer(f.key));
  return (
    base +
    tokens
      .reverse()
      .map((t) => `/${t}`)
      .join("")
  );
}

/** Characters JSON.stringify would escape: without any, quoting is enough (and about twice as fast). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function encodeString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/**
 * RFC 8785 canonical form of `value` as a string. Throws
 * CANONICAL_UNSUPPORTED_VALUE unless `value` is plain JSON no deeper than
 * MAX_JSON_DEPTH (same rules as assertJsonValue).
 */
export function encodeCanonicalJson(value: unknown): string {
  return encodeValue(value, 0, undefined, "");
}

function encodeValue(v: unknown, depth: number, parent: Frame | undefined, key: string): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return encodeString(v);
    case "boolean":
      return v ? "true" : "false";
    case "number":
      if (!Number.isFinite(v)) throw unsupported(pointerAt(parent, key), "numbers must be finite");
      return JSON.stringify(v);
    case "object":
      break;
    default:
      throw unsupported(pointerAt(parent, key), `${typeof v} is not a JSON value`);
  }
  const frame: Frame = { v, depth, parent, key };
  if (depth >= MAX_JSON_DEPTH) throw unsupported(pointerOf(frame, ""), `nesting deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(v)) {
    let out = "[";
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ",";
      out += encodeValue(v[i], depth + 1, frame, String(i));
    }
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null)
    throw unsupported(pointerOf(frame, ""), "only plain objects are JSON values");
  const record = v as Record<string, unknown>;
  const keys = canonicalKeys(record);
  let out = "{";
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    if (i > 0) out += ",";
    out += `${encodeString(k)}:${encodeValue(record[k], depth + 1, frame, k)}`;
  }
  return `${out}}`;
}

function pointerAt(parent: Frame | undefined, key: string): string {
  return parent === undefined ? "" : `${pointerOf(parent, "")}/${escapePointer(key)}`;
}

/** Up to this many members, insertion sort: about 3x faster than Array.prototype.sort on typical objects. */
const INSERTION_SORT_MAX = 16;

/** Own enumerable keys of `value` in RFC 8785 member order (UTF-16 code units, as the default sort compares). */
export function canonicalKeys(value: object): string[] {
  const keys = Object.keys(value);
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

/** RFC 8785 form of one string, e.g. a member name. */
export function encodeCanonicalJsonString(s: string): string {
  return encodeString(s);
}

/**
 * RFC 8785 canonical form of `value`, which MUST already be plain JSON within
 * MAX_JSON_DEPTH (e.g. a copy that passed assertJsonValue's rules): unlike
 * encodeCanonicalJson it builds no pointers and checks only types. Every
 * object and array is looked up in `memo` by identity and added to it, so
 * parts shared by several documents (an event's leaf, its content digest's
 * basis, its state hashes) are encoded once. A container MUST NOT change while
 * `memo` holds it: delete its entry (and its ancestors') before changing it.
 */
export function encodeCanonicalJsonShared(value: JsonValue, memo: Map<object, string>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return encodeString(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw unsupported("", "numbers must be finite");
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw unsupported("", `${typeof value} is not a JSON value`);
  }
  const known = memo.get(value);
  if (known !== undefined) return known;
  let out: string;
  if (Array.isArray(value)) {
    out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      out += encodeCanonicalJsonShared(value[i] as JsonValue, memo);
    }
    out += "]";
  } else {
    const keys = canonicalKeys(value);
    out = "{";
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      if (i > 0) out += ",";
      out += `${encodeString(k)}:${encodeCanonicalJsonShared(value[k] as JsonValue, memo)}`;
    }
    out += "}";
  }
  memo.set(value, out);
  return out;
}

/** RFC 8785 canonical form of `value` as UTF-8 bytes: what gets hashed. */
export function encodeCanonicalJsonBytes(value: unknown): Uint8Array {
  return utf8(encodeCanonicalJson(value));
}

/** RFC 6901 escaping of one reference token. */
export function escapePointer(token: string): string {
  return token.replaceAll("~", "~0").replaceAll("/", "~1");
}

function unsupported(pointer: string, message: string): InvalidInputError {
  return new InvalidInputError("CANONICAL_UNSUPPORTED_VALUE", `${pointer || "/"}: ${message}`, {
    problems: [{ pointer, message }],
  });
}
