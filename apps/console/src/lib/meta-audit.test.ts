import { describe, expect, it } from "vitest";
import { HIDE_META_AUDIT, readShowMetaAudit, withoutMetaAudit } from "./meta-audit.js";

describe("leaving the meta-audit out of a search", () => {
  it("adds the exclusion to an empty or plain query as typed", () => {
    expect(withoutMetaAudit(undefined)).toBe("-action:audit.*");
    expect(withoutMetaAudit("  ")).toBe(HIDE_META_AUDIT);
    expect(withoutMetaAudit("risk:high colour:red")).toBe("risk:high colour:red -action:audit.*");
  });

  it("groups a query with OR, so the exclusion covers every alternative", () => {
    expect(withoutMetaAudit("risk:high OR outcome:denied")).toBe("(risk:high OR outcome:denied) -action:audit.*");
    expect(withoutMetaAudit("(risk:high)OR(risk:critical)")).toBe("((risk:high)OR(risk:critical)) -action:audit.*");
    // Lower-case "or" is a word to search for, not the operator.
    expect(withoutMetaAudit("error or warning")).toBe("error or warning -action:audit.*");
    expect(withoutMetaAudit("actor:ORLANDO")).toBe("actor:ORLANDO -action:audit.*");
  });

  it("reads the choice to show it from the URL", () => {
    expect(readShowMetaAudit(new URLSearchParams("meta_audit=1"))).toBe(true);
    expect(readShowMetaAudit(new URLSearchParams("q=x"))).toBe(false);
  });
});
