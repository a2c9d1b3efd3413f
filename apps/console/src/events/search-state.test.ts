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

  it("leaves the meta-audit out unless the URL asks for it, and keeps that choice in the URL", () => {
    const hidden = readSearchState(new URLSearchParams("q=risk%3Ahigh"));
    expect(toApiQuery(hidden).q).toBe("risk:high -action:audit.*");
    expect(toApiQuery(readSearchState(new URLSearchParams(""))).q).toBe("-action:audit.*");
    const shown = readSearchState(new URLSearchParams("q=risk%3Ahigh&meta_audit=1"));
    expect(shown.metaAudit).toBe(true);
    expect(toApiQuery(shown).q).toBe("risk:high");
    expect(toApiQuery({ ...shown, q: "" }).q).toBeUndefined();
    expect(writeSearchState(shown)).toBe("q=risk%3Ahigh&meta_audit=1");
  });
});
