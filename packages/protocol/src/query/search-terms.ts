// The lexical layer of the search syntax: splits a query into `key:value`
// terms, free-text words, parentheses, `-` (negating what follows it) and
// the upper-case operators OR, AND and NOT, with 1-based columns so every
// problem can point at the character that caused it. The query is
// untrusted user text.

/** One term of a query; `column` is where its value starts (1-based, in UTF-16 units). */
export interface SearchTerm {
  /** Lower-cased key, absent for free text. */
  key?: string;
  keyColumn: number;
  value: string;
  column: number;
  /** True when the value was written in double quotes (then it is never a wildcard). */
  quoted: boolean;
}

/** A token of a query; `column` is 1-based, in UTF-16 units. */
export type SearchToken =
  | { type: "term"; term: SearchTerm }
  | { type: "open" | "close" | "minus" | "or" | "and" | "not"; column: number };

const KEY = /([A-Za-z_][A-Za-z0-9_]*):/y;
const SPACE = /\s/u;
const OPERATORS: Record<string, "or" | "and" | "not"> = { OR: "or", AND: "and", NOT: "not" };

/** Shortens untrusted text quoted in a message. */
export function excerpt(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * Reads a double-quoted string starting at `start` (the opening quote).
 * A backslash takes the next character literally, so `\"` is a quote.
 */
function readQuoted(q: string, start: number): { value: string; end: number; closed: boolean } {
  let value = "";
  let i = start + 1;
  while (i < q.length) {
    const c = q[i] as string;
    if (c === "\\" && i + 1 < q.length) {
      value += q[i + 1];
      i += 2;
    } else if (c === '"') {
      return { value, end: i + 1, closed: true };
    } else {
      value += c;
      i += 1;
    }
  }
  return { value, end: q.length, closed: false };
}

/** The end of a bare value: the next space, or a `)` that closes a group. */
function readBare(q: string, start: number): number {
  let i = start;
  while (i < q.length && !SPACE.test(q[i] as string) && q[i] !== ")") i += 1;
  return i;
}

/** True when position `i` ends a token: the end, a space or a `)`. */
const tokenEnds = (q: string, i: number) => i >= q.length || SPACE.test(q[i] as string) || q[i] === ")";

/** The tokens of `q` and the lexical problems found on the way (all of them). */
export function scanSearchTokens(q: string): { tokens: SearchToken[]; problems: string[] } {
  const tokens: SearchToken[] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (SPACE.test(c)) {
      i += 1;
      continue;
    }
    if (c === "(" || c === ")") {
      tokens.push({ type: c === "(" ? "open" : "close", column: i + 1 });
      i += 1;
      continue;
    }
    if (c === "-" && !tokenEnds(q, i + 1)) {
      tokens.push({ type: "minus", column: i + 1 });
      i += 1;
      continue;
    }
    const termStart = i;
    KEY.lastIndex = i;
    const key = KEY.exec(q);
    const valueStart = key ? i + key[0].length : i;
    const term: SearchTerm = { keyColumn: termStart + 1, value: "", column: valueStart + 1, quoted: false };
    if (key) term.key = (key[1] as string).toLowerCase();
    if (q[valueStart] === '"') {
      const read = readQuoted(q, valueStart);
      term.value = read.value;
      term.quoted = true;
      i = read.end;
      if (!read.closed) problems.push(`unterminated quote at column ${valueStart + 1}`);
      else if (!tokenEnds(q, i)) {
        const end = readBare(q, i);
        problems.push(`${excerpt(q.slice(i, end))} at column ${i + 1} follows a closing quote without a space`);
        i = end;
      }
    } else {
      i = readBare(q, valueStart);
      term.value = q.slice(valueStart, i);
      const quote = term.value.indexOf('"');
      if (quote >= 0) {
        problems.push(
          `stray quote at column ${valueStart + quote + 1} in ${excerpt(q.slice(termStart, i))}: quote the whole value`,
        );
        continue;
      }
      if (key && term.value === "") {
        problems.push(`"${key[0]}" at column ${termStart + 1} has no value`);
        continue;
      }
      if (key && term.value.startsWith("(")) {
        problems.push(
          `"${key[0]}(" at column ${termStart + 1}: a key takes one value; group whole terms, e.g. (${key[1]}:a OR ${key[1]}:b)`,
        );
        continue;
      }
      const operator = key || !Object.hasOwn(OPERATORS, term.value) ? undefined : OPERATORS[term.value];
      if (operator !== undefined) {
        tokens.push({ type: operator, column: termStart + 1 });
        continue;
      }
    }
    tokens.push({ type: "term", term });
  }
  return { tokens, problems };
}

/** `value` quoted for the syntax when it would otherwise read differently. */
export function quoteSearchValue(value: string, asFreeText: boolean): string {
  KEY.lastIndex = 0;
  const needsQuotes =
    value === "" ||
    /[\s"\\]/u.test(value) ||
    /[()]/u.test(value) ||
    value.startsWith("-") ||
    (asFreeText && (Object.hasOwn(OPERATORS, value) || KEY.test(value)));
  return needsQuotes ? `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"` : value;
}
