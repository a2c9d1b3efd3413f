// The lexical layer of the search syntax: splits a query into `key:value`
// terms and free-text words, with 1-based columns so every problem can point
// at the character that caused it. The query is untrusted user text.

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

const KEY = /([A-Za-z_][A-Za-z0-9_]*):/y;
const SPACE = /\s/u;

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

function readBare(q: string, start: number): number {
  let i = start;
  while (i < q.length && !SPACE.test(q[i] as string)) i += 1;
  return i;
}

/** The terms of `q` and the lexical problems found on the way (all of them). */
export function scanSearchTerms(q: string): { terms: SearchTerm[]; problems: string[] } {
  const terms: SearchTerm[] = [];
  const problems: string[] = [];
  let i = 0;
  while (i < q.length) {
    if (SPACE.test(q[i] as string)) {
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
      else if (i < q.length && !SPACE.test(q[i] as string)) {
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
      if (!key && term.value.length > 1 && term.value.startsWith("-")) {
        problems.push(
          `${excerpt(term.value)} at column ${termStart + 1}: excluding terms is not supported; quote it to search for the word`,
        );
        continue;
      }
    }
    terms.push(term);
  }
  return { terms, problems };
}

/** `value` quoted for the syntax when it would otherwise read differently. */
export function quoteSearchValue(value: string, asFreeText: boolean): string {
  KEY.lastIndex = 0;
  const needsQuotes =
    value === "" ||
    /[\s"\\]/u.test(value) ||
    (asFreeText && ((value.length > 1 && value.startsWith("-")) || KEY.test(value)));
  return needsQuotes ? `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"` : value;
}
