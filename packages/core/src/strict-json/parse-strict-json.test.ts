// Strict JSON: what I-JSON refuses is refused with its pointer (never
// repaired), and everything else parses exactly as JSON.parse parses it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasErrorCode, type Problem } from "../errors.js";
import { parseStrictJson } from "./parse-strict-json.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Bytes from pieces: strings as UTF-8, numbers as raw bytes. */
function bytesOf(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? utf8(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The problems parseStrictJson reports for `input`; fails the test when it accepts it. */
function problemsOf(input: Uint8Array | string): Problem[] {
  try {
    parseStrictJson(typeof input === "string" ? utf8(input) : input);
  } catch (err) {
    expect(hasErrorCode(err, "JSON_MALFORMED"), String(err)).toBe(true);
    return [...(err as { problems: Problem[] }).problems];
  }
  expect.fail("the input was accepted");
}

const pointers = (input: Uint8Array | string) => problemsOf(input).map((p) => p.pointer);

describe("parseStrictJson refuses bytes that are not UTF-8", () => {
  it.each([
    { label: "a lone continuation byte", bytes: bytesOf('{"a":"x', [0x80], '"}'), reason: /continuation byte/ },
    { label: "an overlong 2-byte /", bytes: bytesOf('{"a":"', [0xc0, 0xaf], '"}'), reason: /overlong/ },
    { label: "an overlong 3-byte /", bytes: bytesOf('{"a":"', [0xe0, 0x80, 0xaf], '"}'), reason: /overlong/ },
    { label: "an overlong 4-byte /", bytes: bytesOf('{"a":"', [0xf0, 0x80, 0x80, 0xaf], '"}'), reason: /overlong/ },
    { label: "a raw surrogate U+D800", bytes: bytesOf('{"a":"', [0xed, 0xa0, 0x80], '"}'), reason: /surrogate/ },
    { label: "a raw surrogate U+DFFF", bytes: bytesOf('{"a":"', [0xed, 0xbf, 0xbf], '"}'), reason: /surrogate/ },
    { label: "U+110000", bytes: bytesOf('{"a":"', [0xf4, 0x90, 0x80, 0x80], '"}'), reason: /above U\+10FFFF/ },
    { label: "an F5 lead byte", bytes: bytesOf('{"a":"', [0xf5, 0x80, 0x80, 0x80], '"}'), reason: /above U\+10FFFF/ },
    { label: "an FF byte", bytes: bytesOf('{"a":"', [0xff], '"}'), reason: /never occurs/ },
    { label: "a sequence cut short", bytes: bytesOf('{"a":"', [0xe2, 0x82], '"}'), reason: /does not continue/ },
  ])("$label, at its byte offset and pointer", ({ bytes, reason }) => {
    const [problem, ...more] = problemsOf(bytes);
    expect(more).toEqual([]);
    expect(problem?.pointer).toBe("/a");
    expect(problem?.message).toMatch(reason);
    expect(problem?.message).toMatch(/at byte \d+ \(in this string\)/);
  });

  it("says the byte offset exactly, in a string nested in arrays and objects", () => {
    const bytes = bytesOf('{"events":[{"id":"ok"},{"actor":{"id":"usr_', [0xc3, 0x28], '"}}]}');
    const [problem] = problemsOf(bytes);
    expect(problem?.pointer).toBe("/events/1/actor/id");
    expect(problem?.message).toContain(`at byte ${'{"events":[{"id":"ok"},{"actor":{"id":"usr_'.length} `);
  });

  it("a bad byte in a member name points at the object holding it", () => {
    const [problem] = problemsOf(bytesOf('{"a":{"k', [0xff], '":1}}'));
    expect(problem).toMatchObject({ pointer: "/a", message: expect.stringContaining("member name") });
  });

  it("a body cut off inside a sequence", () => {
    const [problem] = problemsOf(bytesOf('{"a":"', [0xf0, 0x9f, 0x98]));
    expect(problem?.message).toMatch(/cut off by the end/);
  });

  it("a byte order mark", () => {
    expect(problemsOf(bytesOf([0xef, 0xbb, 0xbf], "{}"))[0]?.message).toMatch(/byte order mark/);
  });
});

describe("parseStrictJson refuses what JSON.parse lets through", () => {
  it.each([
    { label: "an escaped lone high surrogate", text: '{"a":"x\\ud800"}', at: "/a" },
    { label: "an escaped lone low surrogate", text: '{"a":"\\uDC00y"}', at: "/a" },
    { label: "a pair in the wrong order", text: '{"a":"\\udc00\\ud800"}', at: "/a" },
    { label: "a high surrogate then a non-surrogate escape", text: '{"a":"\\ud83d\\u0041"}', at: "/a" },
    { label: "a lone surrogate deep inside", text: '{"a":[1,{"b":["ok","\\ud800"]}]}', at: "/a/1/b/1" },
    { label: "a lone surrogate at the top level", text: '"\\ud800"', at: "" },
    { label: "the noncharacter U+FFFF", text: '{"a":"\\uffff"}', at: "/a" },
    { label: "the noncharacter U+FDD0", text: '{"a":"\\uFDD0"}', at: "/a" },
    { label: "the noncharacter U+1FFFE", text: '{"a":"\\ud83f\\udffe"}', at: "/a" },
    { label: "a raw noncharacter U+FFFE", text: '{"a":"\ufffe"}', at: "/a" },
  ])("$label, at $at", ({ text, at }) => {
    const [problem, ...more] = problemsOf(text);
    expect(more).toEqual([]);
    expect(problem?.pointer).toBe(at);
    expect(problem?.message).toMatch(/lone surrogate|noncharacter/);
  });

  it("a lone surrogate in a member name, at that member", () => {
    const [problem] = problemsOf('{"a":{"k\\ud800":1}}');
    expect(problem?.pointer).toBe("/a/k\ud800");
    expect(problem?.message).toMatch(/^its member name holds the lone surrogate U\+D800/);
  });

  it.each([
    { label: "at the top", text: '{"a":1,"b":2,"a":3}', at: ["/a"] },
    { label: "nested", text: '{"x":{"y":[{"a":1},{"a":1,"a":1}]}}', at: ["/x/y/1/a"] },
    { label: "three times", text: '{"a":1,"a":2,"a":3}', at: ["/a", "/a"] },
    { label: "after a nested object", text: '{"a":{"a":1,"b":2},"a":null}', at: ["/a"] },
    { label: "spelled differently", text: '{"a":1,"\\u0061":2}', at: ["/a"] },
    { label: "with pointer escapes", text: '{"a/b":{"~":1,"~":2}}', at: ["/a~1b/~0"] },
    { label: "hiding behind \\u0022 quotes", text: '{"a":1,"a":"\\u0022\\u0022"}', at: ["/a"] },
    { label: "named with a quote", text: '{"\\u0022":1,"\\"":2}', at: ['/"'] },
    { label: "in two objects", text: '[{"a":1,"a":1},{"b":1,"b":1}]', at: ["/0/a", "/1/b"] },
  ])("a repeated member name $label", ({ text, at }) => {
    const problems = problemsOf(text);
    expect(problems.map((p) => p.pointer)).toEqual(at);
    for (const p of problems) expect(p.message).toMatch(/second member named/);
  });

  it("numbers beyond a double, which JSON.parse turns into Infinity", () => {
    expect(pointers('{"a":[0,1e400]}')).toEqual(["/a/1"]);
    expect(pointers('{"a":-1e309}')).toEqual(["/a"]);
  });

  it("a repeated name under 100,000 levels of arrays, without running out of stack", () => {
    const depth = 100_000;
    expect(pointers(`${"[".repeat(depth)}{"a":1,"a":2}${"]".repeat(depth)}`)).toEqual([`${"/0".repeat(depth)}/a`]);
  });

  it("invalid JSON, saying where but not quoting the body", () => {
    const [problem] = problemsOf('{"secret": "hunter2", }');
    expect(problem?.message).toMatch(/^is not valid JSON/);
    expect(problem?.message).not.toContain("hunter2");
  });
});

describe("parseStrictJson accepts every I-JSON text as JSON.parse reads it", () => {
  it.each([
    { label: "astral characters as an escaped surrogate pair", text: '{"a":"\\ud83d\\ude00 \\uD83D\\uDE00"}' },
    { label: "astral characters raw", text: '{"a":"😀 𝄞"}' },
    { label: "escaped quotes and backslashes", text: '{"a":"say \\"hi\\" \\\\ \\\\\\"","b\\"":"\\u0022"}' },
    { label: "a literal backslash-u0022", text: '{"a":"\\\\u0022","b":"\\\\ud800"}' },
    { label: "numbers", text: "[0,-0,1.5,-2e-3,1E+2,12345678901234567890,1.7976931348623157e308,5e-324]" },
    { label: "the same name in sibling objects", text: '[{"a":1},{"a":2},{"a":{"a":{"a":3}}}]' },
    { label: "empty containers and strings", text: '{"":{},"b":[],"c":"","d":[[],{}]}' },
    {
      label: "escaped controls and BMP characters",
      text: '{"a":"\\u0000\\t\\n\\u00e9\\u4e2d\\uFEFF\\ufffd","é":"中"}',
    },
    { label: "the last noncharacter's neighbours", text: '{"a":"\\ufdcf\\ufdf0\\ufffd\\ud83f\\udffd"}' },
    { label: "whitespace everywhere", text: ' \r\n\t{ "a" : [ 1 , true , null ] } \n' },
    { label: "scalars at the top", text: '"x"' },
  ])("$label", ({ text }) => {
    expect(parseStrictJson(utf8(text))).toEqual(JSON.parse(text));
  });

  it("any JSON value JSON.stringify writes, with any Unicode text", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "grapheme" }), (value) => {
        const text = JSON.stringify(value);
        expect(parseStrictJson(utf8(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("any object with one member repeated is refused at that member", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: "grapheme" }), fc.jsonValue({ stringUnit: "grapheme" }), { minKeys: 1 }),
        fc.jsonValue(),
        (record, repeat) => {
          const name = Object.keys(record)[0] as string;
          const text = `${JSON.stringify(record).slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(repeat)}}`;
          expect(pointers(`{"wrap":${text}}`)).toEqual([`/wrap/${name.replaceAll("~", "~0").replaceAll("/", "~1")}`]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
