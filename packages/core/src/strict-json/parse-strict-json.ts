// Strict JSON for untrusted bodies: I-JSON (RFC 7493), which RFC 8785 needs
// to hash what was sent. Refused instead of repaired: bytes that are not UTF-8
// (a lenient decoder turns them into U+FFFD, which would then be sealed), a
// byte order mark, repeated member names (JSON.parse keeps the last), lone
// surrogates, noncharacters, and numbers that overflow to Infinity. JSON.parse parses; a cheap count decides
// whether the slow exact pass (locate-json-problems.ts) has to run.
import type { JsonValue } from "../canonical-json.js";
import { InvalidInputError, type Problem } from "../errors.js";
import { locateJsonProblems, pointerAtEndOf } from "./locate-json-problems.js";
import { hasForbiddenCodePoint, mayHoldForbiddenCodePoint } from "./unicode-scalars.js";
import { findUtf8Error } from "./utf8-error.js";

/** Keeps a leading U+FEFF in the text, so that it is refused rather than skipped. */
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** `\u0022` writes a quote character without a quote byte, which the count below relies on. */
const ESCAPED_QUOTE = /\\u0022/i;

/** One JSON_MALFORMED error carrying every problem. */
export function jsonMalformed(problems: readonly Problem[]): InvalidInputError {
  const first = problems[0];
  const summary = first === undefined ? "" : `; first: ${first.pointer || "(body)"} ${first.message}`;
  return new InvalidInputError("JSON_MALFORMED", `the JSON text has ${problems.length} problem(s)${summary}`, {
    problems,
  });
}

/**
 * The text of a JSON body: `bytes` (untrusted) decoded as UTF-8, or
 * JSON_MALFORMED naming the first byte that is not UTF-8 (offset, and the
 * pointer of the string it falls in) or the byte order mark.
 */
export function decodeJsonText(bytes: Uint8Array): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const error = findUtf8Error(bytes) ?? { offset: 0, reason: "a sequence the decoder refused" };
    const { pointer, where } = pointerAtEndOf(decoder.decode(bytes.subarray(0, error.offset)));
    throw jsonMalformed([
      {
        pointer,
        message: `is not UTF-8 at byte ${error.offset} (${where}): ${error.reason}; JSON text is UTF-8 (RFC 8259 section 8.1)`,
      },
    ]);
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw jsonMalformed([
      { pointer: "", message: "starts with a byte order mark, which RFC 8259 section 8.1 forbids" },
    ]);
  }
  return text;
}

function quoteCharacters(s: string): number {
  let count = 0;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) count++;
  return count;
}

interface Counted {
  strings: number;
  quotes: number;
  /** A string holds a forbidden code point, or a number overflowed to Infinity. */
  wrong: boolean;
}

/**
 * Over every name and string value of `value`: how many, and how many quote
 * characters they hold; and whether one holds a forbidden code point (looked
 * for only when `checkCodePoints`) or a number overflowed. Iterative: a deep
 * body costs memory, never stack. `for...in` is the fastest walk measured; on
 * JSON.parse output it sees exactly the own members (an enumerable property
 * added to Object.prototype would only make the counts disagree, so the exact
 * pass runs).
 */
function countStrings(value: unknown, checkCodePoints: boolean): Counted {
  const counted: Counted = { strings: 0, quotes: 0, wrong: false };
  const containers: object[] = [];
  const see = (v: unknown): void => {
    if (typeof v === "string") {
      counted.strings++;
      if (v.includes('"')) counted.quotes += quoteCharacters(v);
      if (checkCodePoints && hasForbiddenCodePoint(v)) counted.wrong = true;
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) counted.wrong = true;
    } else if (typeof v === "object" && v !== null) containers.push(v);
  };
  see(value);
  while (containers.length > 0 && !counted.wrong) {
    const v = containers.pop() as Record<string, unknown>;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) see(v[i]);
    } else {
      for (const key in v) {
        see(key);
        see(v[key]);
      }
    }
  }
  return counted;
}

/**
 * Every I-JSON problem of `text` that JSON.parse let through, each at its
 * pointer: repeated names, lone surrogates, noncharacters, numbers beyond
 * IEEE 754 double range (JSON.parse turns them into Infinity). `value` MUST be
 * JSON.parse(text), and `text` come from decodeJsonText.
 *
 * The fast path proves names unique by counting. Every quote character of
 * JSON text delimits a string (a name or a value) or is escaped inside one
 * as `\"`; only `\u0022` puts a quote into a string without one in the text.
 * So without `\u0022` the text holds exactly 2 x strings + (quotes inside
 * them) quote characters. JSON.parse drops the earlier of two same-named members,
 * its name and every string in its value with it, so the parsed value then
 * accounts for fewer: equal counts prove every name unique. The exact pass
 * runs only when they differ, or when `\u0022` or a suspect escape appears.
 */
export function strictJsonProblems(text: string, value: unknown): Problem[] {
  const counted = countStrings(value, mayHoldForbiddenCodePoint(text));
  const countsAgree = quoteCharacters(text) === 2 * counted.strings + counted.quotes;
  const escapedQuote = ESCAPED_QUOTE.test(text);
  if (countsAgree && !escapedQuote && !counted.wrong) return [];
  const problems = locateJsonProblems(text);
  // Fail closed: what the fast path proved wrong, the exact pass must have found.
  if (problems.length === 0 && (counted.wrong || (!countsAgree && !escapedQuote))) {
    problems.push({ pointer: "", message: "repeats a member name, or holds a forbidden code point or number" });
  }
  return problems;
}

/** Where JSON.parse says it stopped, without its message (which quotes the body). */
function syntaxProblem(err: SyntaxError): Problem {
  const position = /position (\d+)/.exec(err.message)?.[1];
  return {
    pointer: "",
    message: `is not valid JSON${position === undefined ? "" : ` (near character ${position})`}`,
  };
}

/**
 * `bytes` (untrusted) as I-JSON: UTF-8 without a byte order mark, valid JSON,
 * every name unique, no lone surrogate or noncharacter, every number finite.
 * Throws JSON_MALFORMED listing what is wrong; never a raw SyntaxError.
 * `parse` MUST return what JSON.parse returns for any text it accepts; it may
 * refuse more (secure-json-parse does), and what it throws other than a
 * SyntaxError passes through.
 */
export function parseStrictJson(bytes: Uint8Array, parse: (text: string) => unknown = JSON.parse): JsonValue {
  const text = decodeJsonText(bytes);
  let value: JsonValue;
  try {
    value = parse(text) as JsonValue;
  } catch (err) {
    if (err instanceof SyntaxError) throw jsonMalformed([syntaxProblem(err)]);
    throw err;
  }
  const problems = strictJsonProblems(text, value);
  if (problems.length > 0) throw jsonMalformed(problems);
  return value;
}
