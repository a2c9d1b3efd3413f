import { describe, expect, it } from "vitest";
import { readSearchState, toApiQuery, writeSearchState } from "./search-state.js";

describe("search state in the URL", () => {
  it("round-trips the query, facets and range", () => {
    const qs = "q=risk%3Ahigh&actor_id=usr_ada&outcome=denied&range=24h";
    const state = readSearchState(new URLSearchParams(qs));
    expect(state).toEqual({ q: "risk:high", facets: { actor_id: "usr_ada", outcome: "denied" }, range: "24h" });
    expect(writeSearchState(state)).toBe(qs);
  });

  it("resolves a relative range against now and passes custom bounds through", () => {
    const now = Date.UTC(2026, 0, 2);
    expect(toApiQuery(readSearchState(new URLSearchParams("range=24h")), now).from).toBe("2026-01-01T00:00:00.000Z");
    const custom = readSearchState(new URLSearchParams("from=2026-01-01T00:00:00.000Z"));
    expect(custom.range).toBe("custom");
    expect(toApiQuery(custom, now)).toMatchObject({ from: "2026-01-01T00:00:00.000Z", to: undefined });
  });
});
