// The ingest fast path's first step (log format v1): one walk over an
// untrusted input that checks what assertJsonValue, the reserved-key rule and
// the lone-surrogate rule check, builds the private copy the event is sealed
// from, in canonical key order, and RFC 8785-encodes every container of it on
// the way, so sealing re-encodes only what it changes.
import { canonicalKeys, encodeCanonicalJsonString, type JsonValue } from "../canonical-json.js";
import { hasLoneSurrogate } from "../strict-json/unicode-scalars.js";
import { MAX_EVENT_DEPTH } from "./envelope-schema.js";
import type { JsonRecord } from "./validate-event-input.js";

/** Keys refused anywhere: they reach prototypes in naive consumers downstream. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export interface CopiedEventInput {
  /** A fresh copy sharing nothing with the input; members inserted in sorted order, -0 as 0. */
  copy: JsonRecord;
  /** The RFC 8785 form of every object and array of the copy, the copy itself included. */
  encoded: Map<object, string>;
}

class NotPlain extends Error {}

/** The encoding of the value copyValue last returned (copies are synchronous, so one slot serves). */
let lastEncoding = "";

/**
 * The RFC 8785 form of `s`, or NotPlain when `s` holds a lone surrogate (RFC
 * 8785 refuses it: it has no UTF-8 form to hash). Every surrogate needs
 * escaping, so a string that did not spares the regex.
 */
function encodeText(s: string): string {
  const encoded = encodeCanonicalJsonString(s);
  if (encoded.length !== s.length + 2 && hasLoneSurrogate(s)) throw new NotPlain();
  return encoded;
}

/**
 * The copy of `input` (untrusted), or undefined when it is not a JSON object
 * that assertJsonValue(input, MAX_EVENT_DEPTH) accepts with no reserved key
 * and no lone surrogate anywhere: the caller then runs the exact checks,
 * which say what is wrong.
 * Undefined MUST NOT be returned for an input those checks accept.
 */
export function copyEventInput(input: unknown): CopiedEventInput | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const encoded = new Map<object, string>();
  try {
    const copy = copyValue(input, 0, encoded) as JsonRecord;
    return { copy, encoded };
  } catch (err) {
    if (err instanceof NotPlain) return undefined;
    throw err;
  }
}

function copyValue(v: unknown, depth: number, encoded: Map<object, string>): JsonValue {
  switch (typeof v) {
    case "string":
      lastEncoding = encodeText(v);
      return v;
    case "boolean":
      lastEncoding = v ? "true" : "false";
      return v;
    case "number":
      if (!Number.isFinite(v)) throw new NotPlain();
      // RFC 8785 writes -0 as 0, so the copy holds what the encoding says.
      lastEncoding = JSON.stringify(v);
      return v === 0 ? 0 : v;
    case "object":
      break;
    default:
      throw new NotPlain();
  }
  if (v === null) {
    lastEncoding = "null";
    return null;
  }
  // Same bound as assertJsonValue: containers at depth MAX_EVENT_DEPTH or deeper are refused.
  if (depth >= MAX_EVENT_DEPTH) throw new NotPlain();
  let text: string;
  let out: JsonValue;
  if (Array.isArray(v)) {
    const array: JsonValue[] = new Array(v.length);
    text = "[";
    for (let i = 0; i < v.length; i++) {
      array[i] = copyValue(v[i], depth + 1, encoded);
      text += i === 0 ? lastEncoding : `,${lastEncoding}`;
    }
    text += "]";
    out = array;
  } else {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw new NotPlain();
    const record = v as Record<string, unknown>;
    const keys = canonicalKeys(record);
    const object: JsonRecord = {};
    text = "{";
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      // The length test first: it rules out nearly every key without a lookup.
      if (key.length >= 9 && key.length <= 11 && FORBIDDEN_KEYS.has(key)) throw new NotPlain();
      // No key here is __proto__, so plain assignment creates an own data property.
      object[key] = copyValue(record[key], depth + 1, encoded);
      text += `${i === 0 ? "" : ","}${encodeText(key)}:${lastEncoding}`;
    }
    text += "}";
    out = object;
  }
  encoded.set(out, text);
  lastEncoding = text;
  return out;
}
