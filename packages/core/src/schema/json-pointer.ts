// RFC 6901 JSON Pointer: parsing, formatting and the few edits the privacy
// pipeline needs (read, remove, put back). Pointers may come from stored or
// client data, so every function refuses a malformed one instead of guessing.
import type { JsonValue } from "../canonical-json.js";
import { escapePointer } from "../canonical-json.js";

// `/` is excluded inside a token: with it, a long malformed pointer backtracks exponentially.
const wellFormed = /^(\/([^~/]|~[01])*)*$/;

/** The reference tokens of `pointer`, unescaped; undefined when malformed. */
export function parsePointer(pointer: string): string[] | undefined {
  if (!wellFormed.test(pointer)) return undefined;
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}

export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${escapePointer(t)}`).join("");
}

function isContainer(value: JsonValue | undefined): value is JsonValue[] | { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null;
}

function arrayIndex(array: JsonValue[], token: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const index = Number(token);
  return index < array.length ? index : undefined;
}

/** The value at `tokens` inside `doc`, or undefined when there is none. */
export function getAt(doc: JsonValue, tokens: readonly string[]): JsonValue | undefined {
  let node: JsonValue | undefined = doc;
  for (const token of tokens) {
    if (!isContainer(node)) return undefined;
    if (Array.isArray(node)) {
      const index = arrayIndex(node, token);
      node = index === undefined ? undefined : node[index];
    } else {
      node = Object.hasOwn(node, token) ? node[token] : undefined;
    }
  }
  return node;
}

/**
 * Removes the value at `tokens` (non-empty) and returns it. An object member is
 * deleted; an array element is replaced by null so the positions of its
 * siblings, which other pointers may name, stay valid.
 */
export function removeAt(doc: JsonValue, tokens: readonly string[]): JsonValue | undefined {
  const parent = getAt(doc, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (last === undefined || !isContainer(parent)) return undefined;
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, last);
    if (index === undefined) return undefined;
    const removed = parent[index];
    parent[index] = null;
    return removed;
  }
  if (!Object.hasOwn(parent, last)) return undefined;
  const removed = parent[last];
  delete parent[last];
  return removed;
}

/**
 * Writes `value` at `tokens` (non-empty) as an own data property, never through
 * a setter, so a hostile token such as `__proto__` cannot reach a prototype.
 * Returns false when the parent does not exist or the index is out of range.
 */
export function putAt(doc: JsonValue, tokens: readonly string[], value: JsonValue): boolean {
  const parent = getAt(doc, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1];
  if (last === undefined || !isContainer(parent)) return false;
  if (Array.isArray(parent)) {
    const index = arrayIndex(parent, last);
    if (index === undefined) return false;
    parent[index] = value;
    return true;
  }
  Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true });
  return true;
}
