// Formula injection (OWASP CSV Injection): every cell a spreadsheet would run
// gets a leading quote, and nothing else changes.
import { describe, expect, it } from "vitest";
import { toCsvRow } from "./csv-columns.js";
import { isFormulaLike, toSpreadsheetSafe } from "./spreadsheet-safe.js";

describe("toSpreadsheetSafe", () => {
  it("prefixes a cell starting with = + - @ tab or carriage return with a single quote", () => {
    for (const cell of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")']) {
      expect(isFormulaLike(cell), JSON.stringify(cell)).toBe(true);
      expect(toSpreadsheetSafe(cell)).toBe(`'${cell}`);
    }
  });

  it("leaves every other cell as it is", () => {
    for (const cell of ["", "a=1", " =1", "'=1", "1-2", '{"a":1}', "user.login", "\n=1"]) {
      expect(isFormulaLike(cell), JSON.stringify(cell)).toBe(false);
      expect(toSpreadsheetSafe(cell)).toBe(cell);
    }
  });
});

describe("toCsvRow", () => {
  it("flattens nested fields by path and writes objects and arrays as JSON text", () => {
    const row = toCsvRow({
      index: 3,
      redacted: false,
      event: {
        id: "e1",
        actor: { type: "user", id: "u1", on_behalf_of: { type: "user", id: "u2" } },
        target: { type: "page", id: "p1", path: ["app:crm"] },
        change: { before: { a: 1 }, after: null },
        action_version: 1,
      },
      withheld: [{ pointer: "/actor/name", reason: "commitment_mismatch" }],
    });
    expect(row.slice(0, 5)).toEqual(["3", "false", "", '["/actor/name"]', "e1"]);
    expect(row).toContain('["app:crm"]');
    expect(row).toContain('{"a":1}');
    expect(row).toContain("u2");
  });
});
