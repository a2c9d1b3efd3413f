// Privacy pointer patterns: wildcards, ancestors of a patch path, and validity.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../canonical-json.js";
import { parsePointer } from "./json-pointer.js";
import { findClassified, type PrivacyRules, pointerPatternProblem } from "./privacy-patterns.js";

/** The rule as first written: visit every node, test every pattern against its whole path. */
function bruteForce(value: JsonValue, rules: PrivacyRules, cls: string, base: string[]): string[] {
  const patterns = Object.entries(rules)
    .filter(([, c]) => c === cls)
    .map(([p]) => parsePointer(p) as string[]);
  const matches = (tokens: string[]) =>
    patterns.some((p) => p.length === tokens.length && p.every((t, i) => t === "*" || t === tokens[i]));
  for (let n = 0; n <= base.length; n++) if (matches(base.slice(0, n))) return [""];
  const found: string[] = [];
  const visit = (node: JsonValue, rel: string[]) => {
    if (rel.length > 0 && matches([...base, ...rel])) return void found.push(rel.join("/"));
    if (typeof node !== "object" || node === null) return;
    for (const [key, child] of Object.entries(node)) visit(child, [...rel, key]);
  };
  visit(value, []);
  return found.sort();
}

describe("findClassified", () => {
  const rules = { "/email": "personal", "/contacts/*/phone": "personal", "/password": "secret" } as const;

  it("finds exact and wildcard matches without descending into a match", () => {
    const doc: JsonValue = {
      email: { primary: "a@x" },
      contacts: [{ phone: "1" }, { phone: "2", n: 1 }],
      password: "p",
    };
    expect(
      findClassified(doc, rules, "personal")
        .map((t) => t.join("/"))
        .sort(),
    ).toEqual(["contacts/0/phone", "contacts/1/phone", "email"]);
    expect(findClassified(doc, rules, "secret")).toEqual([["password"]]);
  });

  it("classifies a whole value whose base or an ancestor of it matches", () => {
    expect(findClassified("x", rules, "personal", ["email"])).toEqual([[]]);
    expect(findClassified("x", rules, "personal", ["email", "primary"])).toEqual([[]]);
    expect(findClassified({ phone: "1" }, rules, "personal", ["contacts", "3"])).toEqual([["phone"]]);
    expect(findClassified("x", rules, "personal", ["name"])).toEqual([]);
  });

  it("checks pattern syntax", () => {
    expect(pointerPatternProblem("/a/*/b~1c")).toBeUndefined();
    expect(pointerPatternProblem("")).toBeUndefined();
    expect(pointerPatternProblem("a")).toContain("start with '/'");
    expect(pointerPatternProblem("/a~")).toContain("'~'");
  });

  it("finds what visiting every node would find, for any rules and document", () => {
    const token = fc.constantFrom("*", "a", "b", "0", "1", "length", "~", "x/y");
    const pattern = fc
      .array(token, { maxLength: 3 })
      .map((ts) => ts.map((t) => `/${t.replace("~", "~0").replace("/", "~1")}`).join(""));
    const key = fc.constantFrom("a", "b", "0", "1", "*", "~", "x/y", "c");
    const doc = fc.letrec<{ node: JsonValue }>((tie) => ({
      node: fc.oneof(
        { depthSize: "small" },
        fc.constantFrom<JsonValue>(1, "s", null),
        fc.array(tie("node"), { maxLength: 3 }),
        fc.dictionary(key, tie("node"), { maxKeys: 3 }),
      ),
    })).node;
    const rules = fc.dictionary(pattern, fc.constantFrom("personal" as const, "secret" as const), { maxKeys: 4 });
    fc.assert(
      fc.property(doc, rules, fc.array(key, { maxLength: 2 }), (value, r, base) => {
        const got = findClassified(value, r, "personal", base)
          .map((t) => t.join("/"))
          .sort();
        expect(got).toEqual(bruteForce(value, r, "personal", base));
      }),
      { numRuns: 3000 },
    );
  });
});
