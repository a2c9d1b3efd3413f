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

/**
 * The patterns of one class as a trie of tokens: a path matches when walking
 * its tokens from the root ends on a terminal node, a `*` edge taking any
 * token. Compiled once per rules object (rules are immutable once registered)
 * so each event walks only the keys some pattern names.
 */
interface PatternNode {
  terminal: boolean;
  literal: Map<string, PatternNode>;
  wildcard: PatternNode | undefined;
}

const newNode = (): PatternNode => ({ terminal: false, literal: new Map(), wildcard: undefined });

const compiledTries = new WeakMap<PrivacyRules, Map<PrivacyClass, PatternNode | undefined>>();

/** The trie of `rules`' patterns of class `cls`, or undefined when there are none. */
function patternTrie(rules: PrivacyRules | undefined, cls: PrivacyClass): PatternNode | undefined {
  if (rules === undefined) return undefined;
  let byClass = compiledTries.get(rules);
  if (byClass === undefined) {
    byClass = new Map();
    compiledTries.set(rules, byClass);
  }
  if (byClass.has(cls)) return byClass.get(cls);
  let root: PatternNode | undefined;
  for (const [pattern, c] of Object.entries(rules)) {
    const tokens = parsePointer(pattern);
    if (c !== cls || tokens === undefined) continue;
    root ??= newNode();
    let node = root;
    for (const token of tokens) {
      let next = token === WILDCARD_TOKEN ? node.wildcard : node.literal.get(token);
      if (next === undefined) {
        next = newNode();
        if (token === WILDCARD_TOKEN) node.wildcard = next;
        else node.literal.set(token, next);
      }
      node = next;
    }
    node.terminal = true;
  }
  byClass.set(cls, root);
  return root;
}

/** The trie nodes reached from `states` by one more token. */
function step(states: readonly PatternNode[], token: string): PatternNode[] {
  const next: PatternNode[] = [];
  for (const s of states) {
    const literal = s.literal.get(token);
    if (literal !== undefined) next.push(literal);
    if (s.wildcard !== undefined) next.push(s.wildcard);
  }
  return next;
}

const anyTerminal = (states: readonly PatternNode[]) => states.some((s) => s.terminal);
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/** Tokens that could lead on from `states`: every key of `node` when one has a wildcard edge. */
function candidateKeys(node: JsonValue[] | { [key: string]: JsonValue }, states: readonly PatternNode[]): string[] {
  if (states.some((s) => s.wildcard !== undefined)) {
    return Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node);
  }
  const keys: string[] = [];
  for (const s of states) {
    for (const token of s.literal.keys()) {
      const present = Array.isArray(node)
        ? ARRAY_INDEX.test(token) && Number(token) < node.length
        : Object.hasOwn(node, token);
      if (present && !keys.includes(token)) keys.push(token);
    }
  }
  return keys;
}

/**
 * Where values of class `cls` sit inside `value`, as token paths relative to
 * `value`, in no particular order. `value` itself lives at `base` (e.g. the
 * path of a JSON Patch operation); if `base` or any ancestor of it matches,
 * the whole value is classified and `[[]]` is returned. A matched node is not
 * searched further.
 */
export function findClassified(
  value: JsonValue,
  rules: PrivacyRules | undefined,
  cls: PrivacyClass,
  base: readonly string[] = [],
): string[][] {
  const root = patternTrie(rules, cls);
  if (root === undefined) return [];
  let states: PatternNode[] = [root];
  if (root.terminal) return [[]];
  for (const token of base) {
    states = step(states, token);
    if (states.length === 0) return [];
    if (anyTerminal(states)) return [[]];
  }
  const found: string[][] = [];
  const stack: Array<{ node: JsonValue; rel: string[]; states: PatternNode[] }> = [{ node: value, rel: [], states }];
  while (stack.length > 0) {
    const { node, rel, states: here } = stack.pop() as { node: JsonValue; rel: string[]; states: PatternNode[] };
    if (typeof node !== "object" || node === null) continue;
    for (const key of candidateKeys(node, here)) {
      const next = step(here, key);
      if (next.length === 0) continue;
      const path = [...rel, key];
      if (anyTerminal(next)) found.push(path);
      else stack.push({ node: (node as Record<string, JsonValue>)[key] as JsonValue, rel: path, states: next });
    }
  }
  return found;
}
