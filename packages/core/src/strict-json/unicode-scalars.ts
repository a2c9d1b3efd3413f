// The code points I-JSON (RFC 7493 section 2.1) forbids in names and string
// values: surrogates that do not form a pair (RFC 8785 section 3.2.2.2 refuses
// them too: they have no UTF-8 form to hash), and Unicode noncharacters.

/**
 * A lone surrogate (high not followed by low, low not preceded by high), or a
 * noncharacter: U+FDD0..U+FDEF, and the last two code points of every plane,
 * which in UTF-16 are U+FFFE, U+FFFF and a high surrogate ending in 3F followed
 * by U+DFFE or U+DFFF. No `u` flag: the point is to see unpaired code units.
 */
const FORBIDDEN =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufdd0-\ufdef\ufffe\uffff]|[\ud83f\ud87f\ud8bf\ud8ff\ud93f\ud97f\ud9bf\ud9ff\uda3f\uda7f\udabf\udaff\udb3f\udb7f\udbbf\udbff][\udffe\udfff]/;

/**
 * In JSON text decoded from UTF-8 (so no raw lone surrogate): a `\u` escape of
 * U+D000..U+FFFF (every surrogate and noncharacter escape is one), or a raw
 * noncharacter. Without a match no string of the text can hold a forbidden
 * code point; with one, some may.
 */
const SUSPECT_TEXT =
  /\\u[dDfF]|[\ufdd0-\ufdef\ufffe\uffff]|[\ud83f\ud87f\ud8bf\ud8ff\ud93f\ud97f\ud9bf\ud9ff\uda3f\uda7f\udabf\udaff\udb3f\udb7f\udbbf\udbff][\udffe\udfff]/;

/** False only when no string in `jsonText` (well-formed UTF-16) can hold a forbidden code point. */
export function mayHoldForbiddenCodePoint(jsonText: string): boolean {
  return SUSPECT_TEXT.test(jsonText);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `s` holds a surrogate that is not half of a pair: RFC 8785 has no UTF-8 to hash for it. */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/** True when `s` holds a code point I-JSON forbids. */
export function hasForbiddenCodePoint(s: string): boolean {
  return FORBIDDEN.test(s);
}

/** What is wrong with `s` (the first forbidden code point), or undefined when nothing is. */
export function forbiddenCodePointProblem(s: string): string | undefined {
  const match = FORBIDDEN.exec(s);
  if (match === null) return undefined;
  const codePoint = match[0].codePointAt(0) as number;
  const name = `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
  if (match[0].length === 1 && codePoint >= 0xd800 && codePoint <= 0xdfff) {
    return `holds the lone surrogate ${name} (a \\u escape with no partner), which is not Unicode text; I-JSON (RFC 7493 section 2.1) and RFC 8785 refuse it`;
  }
  return `holds ${name}, a Unicode noncharacter, which I-JSON (RFC 7493 section 2.1) forbids`;
}
