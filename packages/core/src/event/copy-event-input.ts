// The ingest fast path's first step (log format v1): one walk over an
// untrusted input that checks what assertJsonValue and the reserved-key rule
// check and builds the private copy the event is sealed from, in canonical
// key order, with an upper bound on its RFC 8785 size in place of encoding it.
import type { JsonValue } from "../canonical-json.js";
import { MAX_EVENT_DEPTH } from "./envelope-schema.js";
import type { JsonRecord } from "./validate-event-input.js";

/** Keys refused anywhere: they reach prototypes in naive consumers downstream. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Longest ECMAScript Number-to-String form of a finite number, e.g. -1.2345678901234567e-308. */
const MAX_NUMBER_CHARS = 25;
/** One UTF-16 code unit takes at most 6 bytes in RFC 8785 form (a \u00XX escape; 3 in UTF-8 otherwise). */
const MAX_BYTES_PER_CODE_UNIT = 6;

export interface CopiedEventInput {
  /** A fresh copy sharing nothing with the input; members inserted in sorted order, -0 as 0. */
  copy: JsonRecord;
  /** At least the byte length of the copy's RFC 8785 form. */
  maxBytes: number;
}

class NotPlain extends Error {}

/**
 * The copy of `input` (untrusted), or undefined when it is not a JSON object
 * that assertJsonValue(input, MAX_EVENT_DEPTH) accepts with no reserved key
 * anywhere: the caller then runs the exact checks, which say what is wrong.
 * Undefined MUST NOT be returned for an input those checks accept.
 */
export function copyEventInput(input: unknown): CopiedEventInput | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const size = { bytes: 0 };
  try {
    const copy = copyValue(input, 0, size) as JsonRecord;
    return { copy, maxBytes: size.bytes };
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
}

function copyValue(v: unknown, depth: number, size: { bytes: number }): JsonValue {
  switch (typeof v) {
    case "string":
      size.bytes += 2 + MAX_BYTES_PER_CODE_UNIT * v.length;
      return v;
    case "boolean":
      size.bytes += 5;
      return v;
    case "number":
      if (!Number.isFinite(v)) throw new NotPlain();
      size.bytes += MAX_NUMBER_CHARS;
      // RFC 8785 writes -0 as 0, so the copy holds what the encoding says.
      return v === 0 ? 0 : v;
    case "object":
      break;
    default:
      throw new NotPlain();
  }
  if (v === null) {
    size.bytes += 4;
    return null;
  }
  // Same bound as assertJsonValue: containers at depth MAX_EVENT_DEPTH or deeper are refused.
  if (depth >= MAX_EVENT_DEPTH) throw new NotPlain();
  if (Array.isArray(v)) {
    const out: JsonValue[] = new Array(v.length);
    size.bytes += 2 + v.length;
    for (let i = 0; i < v.length; i++) out[i] = copyValue(v[i], depth + 1, size);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new NotPlain();
  const record = v as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const out: JsonRecord = {};
  size.bytes += 2;
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) throw new NotPlain();
    size.bytes += 4 + MAX_BYTES_PER_CODE_UNIT * key.length;
    // No key here is __proto__, so plain assignment creates an own data property.
    out[key] = copyValue(record[key], depth + 1, size);
  }
  return out;
}
