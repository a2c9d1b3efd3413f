// Outcome words and reason codes, pinned to what the sources stored when they shipped.
import { describe, expect, it } from "vitest";
import { outcomeStatusOf, toReasonCode } from "./outcome-status.js";

describe("outcomes", () => {
  it("reads outcome words, keeping an unknown one for validation to name", () => {
    expect(outcomeStatusOf("Succeeded")).toBe("success");
    expect(outcomeStatusOf("forbidden")).toBe("denied");
    expect(outcomeStatusOf("maybe")).toBe("maybe");
  });

  it("makes reason codes, splitting camelCase only when asked", () => {
    expect(toReasonCode("NotFound", true)).toBe("not_found");
    expect(toReasonCode("NotFound", false)).toBe("notfound");
    expect(toReasonCode("rego_type_error", false)).toBe("rego_type_error");
    expect(toReasonCode("  ", false)).toBeUndefined();
    expect(toReasonCode("", true)).toBeUndefined();
  });
});
