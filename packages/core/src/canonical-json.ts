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

/**
 * Throws CANONICAL_UNSUPPORTED_VALUE unless `value` is a plain JSON value no
 * deeper than `maxDepth`. `value` may be untrusted.
 */
export function assertJsonValue(value: unknown, maxDepth = MAX_JSON_DEPTH, pointer = ""): asserts value is JsonValue {
  const stack: Array<{ v: unknown; depth: number; path: string }> = [{ v: value, depth: 0, path: pointer }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop() as { v: unknown; depth: number; path: string };
    if (v === null || typeof v === "string" || typeof v === "boolean") continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw unsupported(path, "numbers must be finite");
      continue;
    }
    if (typeof v !== "object") throw unsupported(path, `${typeof v} is not a JSON value`);
    if (depth >= maxDepth) throw unsupported(path, `nesting deeper than ${maxDepth} levels`);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: depth + 1, path: `${path}/${i}` });
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw unsupported(path, "only plain objects are JSON values");
    for (const key of Object.keys(v)) {
      stack.push({ v: (v as Record<string, unknown>)[key], depth: depth + 1, path: `${path}/${escapePointer(key)}` });
    }
  }
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
