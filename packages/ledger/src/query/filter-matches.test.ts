// The read check on a condition: sure answers for fields, "cannot tell" for
// free text the lenient check finds, so a true match is never left out.
import { parseSearchQuery } from "@trailproof/protocol";
import { describe, expect, it } from "vitest";
import { filterMismatch } from "./filter-matches.js";
import type { SearchFields } from "./search-fields.js";

const fields: SearchFields = {
  eventId: "e1",
  occurredMs: Date.parse("2026-01-01T00:00:00Z"),
  action: "app.page.update",
  kind: "update",
  category: "configuration",
  outcome: "success",
  risk: "low",
  actorType: "user",
  actorId: "usr_ada",
  targetType: "page",
  targetId: "p1",
  sessionId: null,
  runId: null,
  workflowId: null,
  causedBy: null,
  environment: null,
  triggerId: null,
  message: "Ada changed the category list",
  tags: ["module:builder"],
};
const mismatch = (q: string) => filterMismatch(fields, parseSearchQuery(q));

describe("filterMismatch with a condition", () => {
  it("names the condition when a field term decides it false", () => {
    expect(mismatch("-actor:usr_ada")).toBe("where");
    expect(mismatch("risk:high OR tag:other")).toBe("where");
    expect(mismatch("-tag:module:builder")).toBe("where");
    expect(mismatch("-session:ses_1 (risk:low OR risk:high)")).toBeUndefined();
    expect(mismatch("-(after:2025-12-31 before:2026-01-02)")).toBe("where");
  });

  it("never leaves out an entry whose text the index may not match", () => {
    // "cat" is inside "category" but is not one of its words: the index
    // finds no "cat", so the entry matches -cat; the lenient check cannot tell.
    expect(mismatch("-cat")).toBeUndefined();
    expect(mismatch("-list")).toBeUndefined();
    // A word the message lacks entirely is a sure answer either way.
    expect(mismatch("-zebra")).toBeUndefined();
    expect(mismatch("zebra OR risk:high")).toBe("where");
  });
});
