import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utf8 } from "../bytes.js";
import { encodeCanonicalJson } from "../canonical-json.js";
import { LEAF_NOT_JSON, scanReceivedAt } from "./scan-leaf.js";

const scan = (text: string | Uint8Array) => {
  const bytes = typeof text === "string" ? utf8(text) : text;
  return scanReceivedAt(bytes, 0, bytes.length);
};
const parsed = (text: string) => {
  const v = JSON.parse(text) as { received_at?: unknown } | null;
  return typeof v?.received_at === "string" ? v.received_at : undefined;
};

describe("scanReceivedAt", () => {
  it("reads the top-level value of a canonical leaf", () => {
    const leaf = encodeCanonicalJson({ action: "x", received_at: "2026-01-01T00:00:00.000Z", target: { id: "t" } });
    expect(scan(leaf)).toBe("2026-01-01T00:00:00.000Z");
  });

  it("reads only the leaf's own bytes inside a larger buffer", () => {
    const a = '{"received_at":"2026-01-02T00:00:00.000Z"}';
    const bytes = utf8(`${a}\n{"received_at":"2026-01-03T00:00:00.000Z"}`);
    expect(scanReceivedAt(bytes, 0, a.length)).toBe("2026-01-02T00:00:00.000Z");
    expect(scanReceivedAt(bytes, a.length + 1, bytes.length)).toBe("2026-01-03T00:00:00.000Z");
  });

  it("leaves a nested received_at, a duplicate key, an escape or a non-string value to JSON.parse", () => {
    for (const text of [
      '{"metadata":{"received_at":"2020-01-01T00:00:00.000Z"},"received_at":"2026-01-01T00:00:00.000Z"}',
      '{"received_at":"2026-01-01T00:00:00.000Z","target":{"received_at":"1999"}}',
      '{"received_at":"2026-01-01T00:00:00.000Z","received_at":"2027-01-01T00:00:00.000Z"}',
      '{"received_at":"2026-01-01T00:00:00.000Z\\u0041"}',
      '{"received_at":5}',
      '{"received_at":"é"}',
      '{"a\\"received_at":"x","received_at":"y"}',
      "[1,2]",
      "null",
      '"received_at"',
    ]) {
      expect(scan(text)).toBe(parsed(text));
    }
  });

  it("names a leaf that is not JSON, and invalid UTF-8, when it has no readable received_at", () => {
    expect(scan("")).toBe(LEAF_NOT_JSON);
    expect(scan('{"received_at":2026-01-01}')).toBe(LEAF_NOT_JSON);
    expect(scan('{"a":')).toBe(LEAF_NOT_JSON);
    expect(scan(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toBe(LEAF_NOT_JSON);
  });

  it("agrees with JSON.parse on every canonical leaf with a top-level string received_at", () => {
    const value = fc.jsonValue({ maxDepth: 3 });
    const receivedAt = fc.oneof(fc.string(), fc.constant("2026-05-01T08:00:01.500Z"));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), value), receivedAt, fc.dictionary(fc.string(), value), (a, r, nested) => {
        const leaf = encodeCanonicalJson({ ...a, nested: { ...nested, received_at: r }, received_at: r });
        expect(scan(leaf)).toBe(r);
      }),
    );
  });

  it("agrees with JSON.parse on arbitrary JSON, nested received_at keys included", () => {
    const withKey = fc.dictionary(fc.oneof(fc.constant("received_at"), fc.string()), fc.jsonValue({ maxDepth: 3 }));
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), withKey, fc.dictionary(fc.string(), withKey)), (v) => {
        const leaf = encodeCanonicalJson(v);
        expect(scan(leaf)).toBe(parsed(leaf));
      }),
    );
  });
});
