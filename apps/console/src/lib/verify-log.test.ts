import { utf8 } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { splitLines } from "./verify-log.js";

describe("splitLines", () => {
  it("splits NDJSON bytes without re-encoding them", () => {
    const lines = splitLines(utf8('{"a":"é"}\n{"b":1}\n'));
    expect(lines.map((l) => new TextDecoder().decode(l))).toEqual(['{"a":"é"}', '{"b":1}']);
    expect(splitLines(utf8("x\ny")).length).toBe(2);
    expect(splitLines(new Uint8Array())).toEqual([]);
  });
});
