import canonicalizeLib from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertJsonValue,
  encodeCanonicalJson,
  encodeCanonicalJsonBytes,
  encodeCanonicalJsonShared,
  type JsonValue,
  MAX_JSON_DEPTH,
} from "./canonical-json.js";
import { hasErrorCode } from "./errors.js";

const oracle = canonicalizeLib as unknown as (value: unknown) => string;

function codeAndPointer(fn: () => unknown): { code?: string; pointer?: string } {
  try {
    fn();
    return {};
  } catch (err) {
    if (!hasErrorCode(err, "CANONICAL_UNSUPPORTED_VALUE")) throw err;
    return { code: err.code, pointer: err.problems[0]?.pointer };
  }
}

describe("RFC 8785 canonical JSON", () => {
  it("matches the RFC's section 3.2.4 example", () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(encodeCanonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it("sorts members by UTF-16 code units, not code points", () => {
    expect(encodeCanonicalJson({ "\u{1F600}": 1, "\uFB33": 2, a: 3 })).toBe('{"a":3,"\u{1F600}":1,"\uFB33":2}');
  });

  it("agrees with the canonicalize library on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(encodeCanonicalJson(value)).toBe(oracle(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses what is not plain JSON, naming where", () => {
    expect(codeAndPointer(() => encodeCanonicalJson({ a: [1, Number.NaN] }))).toEqual({
      code: "CANONICAL_UNSUPPORTED_VALUE",
      pointer: "/a/1",
    });
    expect(codeAndPointer(() => encodeCanonicalJson({ "x/y": { d: new Date(0) } }))).toEqual({
      code: "CANONICAL_UNSUPPORTED_VALUE",
      pointer: "/x~1y/d",
    });
    expect(codeAndPointer(() => encodeCanonicalJson({ u: undefined })).code).toBe("CANONICAL_UNSUPPORTED_VALUE");
    expect(codeAndPointer(() => assertJsonValue({ f: () => 1 })).pointer).toBe("/f");
  });

  it("bounds nesting instead of overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH + 1; i++) deep = [deep];
    expect(codeAndPointer(() => encodeCanonicalJson(deep)).code).toBe("CANONICAL_UNSUPPORTED_VALUE");
    expect(codeAndPointer(() => assertJsonValue(deep)).code).toBe("CANONICAL_UNSUPPORTED_VALUE");
    let ok: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) ok = [ok];
    expect(encodeCanonicalJson(ok)).toHaveLength(2 * MAX_JSON_DEPTH + 1);
  });

  it("encodes the same with a memo, and reuses what the memo holds", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(encodeCanonicalJsonShared(value as JsonValue, new Map())).toBe(oracle(value));
      }),
      { numRuns: 1000 },
    );
    const part = { b: [1, "x"], a: null };
    const memo = new Map<object, string>();
    const whole = { part, other: part } as JsonValue;
    expect(encodeCanonicalJsonShared(whole, memo)).toBe(oracle(whole));
    expect(memo.get(part)).toBe('{"a":null,"b":[1,"x"]}');
    // A remembered encoding is taken as is: the caller forgets what it changes.
    memo.set(part, '"stale"');
    expect(encodeCanonicalJsonShared({ part } as JsonValue, memo)).toBe('{"part":"stale"}');
  });

  it("writes UTF-8 bytes for short and long, ASCII and non-ASCII text alike", () => {
    for (const value of ["Ada", "Zoë 😀", "x".repeat(500), `${"y".repeat(300)}é`, "\ud800"]) {
      expect(encodeCanonicalJsonBytes(value)).toEqual(new TextEncoder().encode(encodeCanonicalJson(value)));
    }
  });
});
