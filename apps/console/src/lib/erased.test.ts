import { describe, expect, it } from "vitest";
import type { EventItem } from "../api/types.js";
import { erasedMarker, erasureAt, personalText } from "./erased.js";
import { jsonLines } from "./json-lines.js";

const MARKER = { $erased: { erasure_id: "ers_1", erased_at: "2026-12-04T19:00:00.000Z" } };

describe("erased markers", () => {
  it("reads the erased marker, and nothing else as one", () => {
    expect(erasedMarker(MARKER)).toEqual({ erasure_id: "ers_1", erased_at: "2026-12-04T19:00:00.000Z" });
    // The event is untrusted JSON: a look-alike with another key, a missing field or a wrong type is a value.
    expect(erasedMarker({ ...MARKER, other: 1 })).toBeUndefined();
    expect(erasedMarker({ $erased: { erasure_id: "ers_1" } })).toBeUndefined();
    expect(erasedMarker({ $erased: { erasure_id: 1, erased_at: "x" } })).toBeUndefined();
    expect(erasedMarker({ $erased: null })).toBeUndefined();
    expect(erasedMarker([MARKER])).toBeUndefined();
    expect(erasedMarker("Grace Hopper")).toBeUndefined();
    expect(erasedMarker(null)).toBeUndefined();
  });

  it("finds an item's erasure by pointer", () => {
    const item: EventItem = {
      index: 3,
      redacted: false,
      event: { actor: { type: "user", id: "usr_ada", name: MARKER } },
      erased: [{ pointer: "/actor/name", erasure_id: "ers_1", erased_at: "2026-12-04T19:00:00.000Z" }],
    };
    expect(erasureAt(item, "/actor/name")).toEqual({ erasure_id: "ers_1", erased_at: "2026-12-04T19:00:00.000Z" });
    expect(erasureAt(item, "/context/ip")).toBeUndefined();
    expect(erasureAt({ ...item, erased: undefined }, "/actor/name")).toBeUndefined();
  });

  it("treats only a string as a personal value's text", () => {
    expect(personalText("Grace Hopper")).toBe("Grace Hopper");
    expect(personalText(MARKER)).toBeUndefined();
    expect(personalText(undefined)).toBeUndefined();
  });

  it("gives an erased value in JSON one line of its own, never the raw object", () => {
    const lines = jsonLines({ email: MARKER, plan: "pro" });
    expect(lines.map((l) => [l.pointer, l.key, l.text, l.erased?.erasure_id])).toEqual([
      ["", "", "{", undefined],
      ["/email", '"email": ', "", "ers_1"],
      ["/plan", '"plan": ', '"pro"', undefined],
      ["", "", "}", undefined],
    ]);
  });
});
