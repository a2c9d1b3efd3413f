// The code union is closed: these lines are checked by `tsc` (npm run
// typecheck), where an unknown code is an error the directives expect.
import { describe, expect, it } from "vitest";
import { hasErrorCode, TrailproofError } from "./errors.js";

describe("ErrorCode", () => {
  it("accepts a listed code and carries it", () => {
    const err = new TrailproofError("EVENT_INVALID", "bad event");
    expect(hasErrorCode(err, "EVENT_INVALID")).toBe(true);
  });

  it("refuses an unlisted code at compile time", () => {
    // @ts-expect-error: a typo is not an ErrorCode
    const typo = new TrailproofError("EVENT_INVLAID", "bad event");
    // @ts-expect-error: nor can a check name one
    expect(hasErrorCode(typo, "EVENT_INVLAID")).toBe(true);
  });
});
