// The fast path's copy: it accepts exactly what the exact checks accept, holds
// what a parse of the canonical form would hold, and encodes every container.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertJsonValue, encodeCanonicalJson, type JsonValue } from "../canonical-json.js";
import { copyEventInput } from "./copy-event-input.js";
import { MAX_EVENT_DEPTH } from "./envelope-schema.js";

/** What the exact checks accept: a plain JSON object within MAX_EVENT_DEPTH, no reserved key anywhere. */
function exactChecksAccept(input: unknown): boolean {
  try {
    assertJsonValue(input, MAX_EVENT_DEPTH);
  } catch {
    return false;
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return false;
  return !/"(__proto__|constructor|prototype)":/.test(encodeCanonicalJson(input));
}

function containers(value: JsonValue, out: object[] = []): object[] {
  if (typeof value === "object" && value !== null) {
    out.push(value);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

function nested(depth: number): JsonValue {
  let v: JsonValue = 1;
  for (let i = 0; i < depth; i++) v = { n: v };
  return v;
}

describe("copyEventInput", () => {
  it("copies like a parse of the canonical form, sharing nothing, with every container encoded", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (input) => {
        const copied = copyEventInput(input);
        expect(copied !== undefined).toBe(exactChecksAccept(input));
        if (copied === undefined) return;
        const parsed = JSON.parse(encodeCanonicalJson(input));
        expect(copied.copy).toStrictEqual(parsed);
        expect(JSON.stringify(copied.copy)).toBe(JSON.stringify(parsed));
        for (const c of containers(copied.copy)) expect(copied.encoded.get(c)).toBe(encodeCanonicalJson(c));
        for (const c of containers(input as JsonValue)) expect(copied.encoded.has(c)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("writes -0 as 0, as the canonical form does", () => {
    expect(Object.is(copyEventInput({ n: -0 })?.copy.n, 0)).toBe(true);
  });

  it("refuses what the exact checks refuse, and only that", () => {
    const refused: unknown[] = [
      null,
      [1],
      "event",
      { a: undefined },
      { a: Number.NaN },
      { a: () => 1 },
      { a: new Date(0) },
      // biome-ignore lint/suspicious/noSparseArray: a hole is not JSON
      { a: [1, , 2] },
      JSON.parse('{"a": {"__proto__": 1}}'),
      { a: [{ constructor: 1 }] },
      { prototype: 1 },
      { a: nested(MAX_EVENT_DEPTH) },
    ];
    for (const input of refused) {
      expect(exactChecksAccept(input)).toBe(false);
      expect(copyEventInput(input)).toBeUndefined();
    }
    const accepted: unknown[] = [{}, Object.create(null), { a: nested(MAX_EVENT_DEPTH - 1) }, { constructors: 1 }];
    for (const input of accepted) {
      expect(exactChecksAccept(input)).toBe(true);
      expect(copyEventInput(input)).toBeDefined();
    }
  });
});
