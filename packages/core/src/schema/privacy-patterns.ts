// Privacy pointer patterns (log format v1): an RFC 6901 pointer, relative to
// the metadata or to a state, in which the token `*` matches any one object
// key or array index. A key literally named `*` is therefore always matched.
import type { JsonValue } from "../canonical-json.js";
import type { PrivacyClass } from "./action-taxonomy.js";
import { parsePointer } from "./json-pointer.js";

export const WILDCARD_TOKEN = "*";

/** Pattern text -> class, as written in an action definition. */
export type PrivacyRules = Readonly<Record<string, PrivacyClass>>;

/** Why `pattern` is not a usable pointer pattern, or undefined when it is. */
export function pointerPatternProblem(pattern: string): string | undefined {
  if (pattern !== "" && !pattern.startsWith("/")) return "must be empty or start with '/' (an RFC 6901 pointer)";
  if (parsePointer(pattern) === undefined) return "has a '~' not followed by 0 or 1 (RFC 6901 escaping)";
  return undefined;
}

function matches(pattern: readonly string[], tokens: readonly string[]): boolean {
  if (pattern.length !== tokens.length) return false;
  return pattern.every((p, i) => p === WILDCARD_TOKEN || p === tokens[i]);
}

/** Parsed patterns per rules object and class: rules are immutable once registered, and this runs per event. */
const parsedPatterns = new WeakMap<PrivacyRules, Map<PrivacyClass, string[][]>>();

function patternsOf(rules: PrivacyRules | undefined, cls: PrivacyClass): string[][] {
  if (rules === undefined) return [];
  let byClass = parsedPatterns.get(rules);
  if (byClass === undefined) {
    byClass = new Map();
    parsedPatterns.set(rules, byClass);
  }
  let out = byClass.get(cls);
  if (out === undefined) {
    out = [];
    for (const [pattern, c] of Object.entries(rules)) {
      const tokens = parsePointer(pattern);
      if (c === cls && tokens !== undefined) out.push(tokens);
    }
    byClass.set(cls, out);
  }
  return out;
}

/**
 * Where values of class `cls` sit inside `value`, as token paths relative to
 * `value`. `value` itself lives at `base` (e.g. the path of a JSON Patch
 * operation); if `base` or any ancestor of it matches, the whole value is
 * classified and `[[]]` is returned. A matched node is not searched further.
 */
export function findClassified(
  value: JsonValue,
  rules: PrivacyRules | undefined,
  cls: PrivacyClass,
  base: readonly string[] = [],
): string[][] {
  const patterns = patternsOf(rules, cls);
  if (patterns.length === 0) return [];
  for (let n = 0; n <= base.length; n++) {
    const prefix = base.slice(0, n);
    if (patterns.some((p) => matches(p, prefix))) return [[]];
  }
  const found: string[][] = [];
  const stack: Array<{ node: JsonValue; rel: string[] }> = [{ node: value, rel: [] }];
  while (stack.length > 0) {
    const { node, rel } = stack.pop() as { node: JsonValue; rel: string[] };
    if (rel.length > 0 && patterns.some((p) => matches(p, [...base, ...rel]))) {
      found.push(rel);
      continue;
    }
    if (typeof node !== "object" || node === null) continue;
    const entries: Array<[string, JsonValue]> = Array.isArray(node)
      ? node.map((v, i) => [String(i), v])
      : Object.entries(node);
    for (const [key, child] of entries) stack.push({ node: child, rel: [...rel, key] });
  }
  return found;
}
