// RFC 8785 JSON Canonicalization Scheme (JCS) through the `canonicalize`
// library, guarded: the library recurses, so nesting depth is bounded first,
// and only plain JSON values are accepted (no undefined, NaN, Infinity,
// functions, class instances or cycles), since JCS is only defined for JSON.
import canonicalizeLib from "canonicalize";
import { utf8 } from "./bytes.js";
import { InvalidInputError } from "./errors.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Deeper values are refused; audit payloads have no business nesting further. */
export const MAX_JSON_DEPTH = 64;

const canonicalize = canonicalizeLib as unknown as (value: unknown) => string | undefined;

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

/** RFC 8785 canonical form of `value` as a string. */
export function encodeCanonicalJson(value: unknown): string {
  assertJsonValue(value);
  return canonicalize(value) as string;
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
