import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next.js";

describe("safeNext", () => {
  it("keeps paths on this origin and refuses everything else", () => {
    expect(safeNext("/events?q=risk%3Ahigh")).toBe("/events?q=risk%3Ahigh");
    for (const bad of [null, "", "https://evil.example/", "//evil.example/x", "/\\evil.example", "/sign-in"]) {
      expect(safeNext(bad)).toBe("/events");
    }
  });
});
