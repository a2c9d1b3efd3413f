// Privacy pointer patterns: wildcards, ancestors of a patch path, and validity.
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../canonical-json.js";
import { findClassified, pointerPatternProblem } from "./privacy-patterns.js";

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
});
