// occurred_at bounds (log format v2): refused outside a plausible range, at
// /occurred_at, listed with every other problem; the range is the caller's.
import { describe, expect, it } from "vitest";
import { hasErrorCode, type Problem } from "../errors.js";
import { type PrepareContext, prepareEvent } from "./prepare-event.js";
import { context, pageEvent, thrown } from "./test-fixtures.js";

// context() receives events at 2026-05-01T08:00:01.500Z.
function problems(occurredAt: string, ctx: PrepareContext = context(), extra = {}): Problem[] {
  const err = thrown(() => prepareEvent(pageEvent({ occurred_at: occurredAt, ...extra }), ctx));
  expect(hasErrorCode(err, "EVENT_INVALID")).toBe(true);
  return [...err.problems];
}

describe("occurred_at bounds", () => {
  it.each([
    "0000-01-01T00:00:00Z",
    "1969-12-31T23:59:59.999Z",
    "2999-01-01T00:00:00Z",
    "2026-05-02T08:00:01.501Z",
    "2026-05-02T10:00:02+02:00",
  ])("by default refuse %s at /occurred_at", (occurredAt) => {
    const found = problems(occurredAt);
    expect(found).toHaveLength(1);
    expect(found[0]?.pointer).toBe("/occurred_at");
  });

  it.each(["1970-01-01T00:00:00Z", "2001-01-01T00:00:00Z", "2026-05-02T08:00:01.500Z", "2026-05-02T09:00:00+01:00"])(
    "by default accept %s (the epoch to a day after received_at)",
    (occurredAt) => {
      expect(prepareEvent(pageEvent({ occurred_at: occurredAt }), context()).committed.occurred_at).toBe(
        new Date(occurredAt).toISOString(),
      );
    },
  );

  it("say which bound and where it lies", () => {
    expect(problems("1900-01-01T00:00:00Z")).toEqual([
      {
        pointer: "/occurred_at",
        message: "is before 1970-01-01T00:00:00.000Z, the earliest occurred_at this service accepts",
      },
    ]);
    expect(problems("2999-01-01T00:00:00Z")[0]?.message).toMatch(/^is after 2026-05-02T08:00:01\.500Z/);
  });

  it("follow the caller's range", () => {
    const ctx = context({ occurredAtBounds: { minMs: Date.UTC(2020, 0, 1), maxAheadMs: 0 } });
    expect(problems("2019-12-31T23:59:59Z", ctx)).toHaveLength(1);
    expect(problems("2026-05-01T08:00:01.501Z", ctx)).toHaveLength(1);
    expect(prepareEvent(pageEvent({ occurred_at: "2026-05-01T08:00:01.500Z" }), ctx).id).toBe("evt-page-1");
    const wide = context({ occurredAtBounds: { minMs: -62167219200000, maxAheadMs: 10_000 * 365 * 86_400_000 } });
    expect(prepareEvent(pageEvent({ occurred_at: "2999-01-01T00:00:00Z" }), wide).committed.occurred_at).toBe(
      "2999-01-01T00:00:00.000Z",
    );
  });

  it("are listed with the event's other problems", () => {
    const found = problems("2999-01-01T00:00:00Z", context(), { target: { type: "Page", id: "p" } });
    expect(found.map((p) => p.pointer)).toEqual(["/target/type", "/occurred_at"]);
  });

  it("must be whole milliseconds with maxAheadMs >= 0", () => {
    const err = thrown(() => prepareEvent(pageEvent(), context({ occurredAtBounds: { minMs: 0, maxAheadMs: -1 } })));
    expect(hasErrorCode(err, "EVENT_CONTEXT_INVALID")).toBe(true);
  });
});
