// Change sections: computed patches always turn before into after (property
// test), whole-document replaces across types, given patches verified.
import fc from "fast-check";
import jsonPatch, { type Operation } from "fast-json-patch";
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../canonical-json.js";
import { FORBIDDEN_KEYS } from "./copy-event-input.js";
import { computePatch, patchProblems } from "./event-change.js";

const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as JsonValue);
// States as events carry them: validation refuses __proto__, constructor and
// prototype keys anywhere (FORBIDDEN_KEYS), so no state holds one.
const reserved = new RegExp(`"(${[...FORBIDDEN_KEYS].join("|")})":`);
const state = fc
  .oneof(fc.dictionary(fc.string({ maxLength: 4 }), json, { maxKeys: 6 }), fc.array(json, { maxLength: 5 }), json)
  .filter((v) => !reserved.test(JSON.stringify(v)));

describe("computePatch", () => {
  it("yields a patch that turns before into after", () => {
    fc.assert(
      fc.property(fc.option(state, { nil: undefined }), fc.option(state, { nil: undefined }), (before, after) => {
        const from = before === undefined ? {} : before;
        const to = after === undefined ? {} : after;
        const patch = computePatch(before, after);
        const result = jsonPatch.applyPatch(structuredClone(from), patch as Operation[], true, false).newDocument;
        expect(result).toEqual(to);
        expect(patchProblems(from, to, patch)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("replaces the whole document across types", () => {
    expect(computePatch({ a: 1 }, [1])).toEqual([{ op: "replace", path: "", value: [1] }]);
    expect(computePatch("x", "y")).toEqual([{ op: "replace", path: "", value: "y" }]);
    expect(computePatch(undefined, null)).toEqual([{ op: "replace", path: "", value: null }]);
    expect(computePatch([1], [1])).toEqual([]);
  });
});

describe("patchProblems", () => {
  it("only judges a patch when both states are given", () => {
    expect(patchProblems(undefined, { a: 1 }, [{ op: "remove", path: "/zzz" }])).toEqual([]);
    expect(patchProblems({ a: 1 }, { a: 1 }, [{ op: "remove", path: "/zzz" }])).toEqual([
      { pointer: "/change/patch/0", message: "cannot be applied: its path does not exist in change.before" },
    ]);
  });
});
