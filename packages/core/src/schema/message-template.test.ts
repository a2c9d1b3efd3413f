// Message templates: only the closed placeholder set, rendered and bounded.
import { describe, expect, it } from "vitest";
import { renderMessage, templateProblems } from "./message-template.js";

const values = {
  action: "app.update",
  "actor.type": "user",
  "actor.id": "u1",
  "target.type": "app",
  "target.id": "a1",
  "target.name": "CRM",
  outcome: "success",
};

describe("message templates", () => {
  it("accepts known placeholders and renders them", () => {
    expect(templateProblems("{actor.id} updated {target.name}: {outcome}")).toEqual([]);
    expect(renderMessage("{actor.id} updated {target.name}: {outcome}", values, 512)).toBe("u1 updated CRM: success");
  });

  it("refuses unknown placeholders and stray braces", () => {
    expect(templateProblems("{actor.name} logged in")[0]).toContain("unknown placeholder {actor.name}");
    expect(templateProblems("hello {action")).toEqual(["has an unmatched '{' or '}'"]);
  });

  it("cuts the result to the limit in code points", () => {
    expect(renderMessage("😀😀😀 {action}", values, 2)).toBe("😀😀");
  });
});
