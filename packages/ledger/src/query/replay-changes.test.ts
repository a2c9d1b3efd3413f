// State replay edge cases the ledger's own data cannot reach: withheld values
// in arrays and at the root, and replays that start without any state.
import { utf8 } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import type { QueriedEntry } from "./audit-query.js";
import { replayChanges } from "./replay-changes.js";

const entry = (index: number, event: Record<string, unknown>): QueriedEntry => ({
  index,
  eventId: `evt_${index}`,
  leafData: utf8(JSON.stringify({ kind: "update", ...event })),
  occurredMs: index * 1000,
  receivedMs: index * 1000,
});

describe("replayChanges", () => {
  it("applies a first patch to {} and skips events without a change", () => {
    const result = replayChanges([
      entry(0, {}),
      entry(1, { change: { patch: [{ op: "add", path: "/a", value: 1 }] } }),
      entry(2, {
        change: {
          patch: [
            { op: "test", path: "/a", value: 1 },
            { op: "copy", from: "/a", path: "/b" },
          ],
        },
      }),
    ]);
    expect(result).toEqual({
      state: { a: 1, b: 1 },
      asOf: { index: 2, eventId: "evt_2", occurredAt: "1970-01-01T00:00:02.000Z" },
      appliedEvents: 2,
      gaps: [],
    });
  });

  it("replays withheld values as the committed states show them: member absent, array element null", () => {
    const result = replayChanges([
      entry(0, { change: { after: { tags: ["a", "b"], secret: "x" } } }),
      entry(1, {
        change: {
          patch: [
            { op: "replace", path: "/secret" },
            { op: "replace", path: "/tags/1" },
            { op: "test", path: "/tags/0" },
          ],
        },
      }),
    ]);
    expect(result).toMatchObject({ state: { tags: ["a", null] }, appliedEvents: 2, gaps: [] });
  });

  it("reports a withheld whole state and a failing test as gaps, keeping the state", () => {
    const result = replayChanges([
      entry(0, { change: { after: { a: 1 } } }),
      entry(1, { change: { patch: [{ op: "replace", path: "" }] } }),
      entry(2, { change: { patch: [{ op: "test", path: "/a", value: 2 }] } }),
    ]);
    expect(result.state).toEqual({ a: 1 });
    expect(result.appliedEvents).toBe(1);
    expect(result.gaps).toEqual([
      {
        index: 1,
        eventId: "evt_1",
        occurredAt: "1970-01-01T00:00:01.000Z",
        reason: "patch_failed",
        message: 'operation 0 (replace "") does not apply: withholds the value of the whole state',
      },
      {
        index: 2,
        eventId: "evt_2",
        occurredAt: "1970-01-01T00:00:02.000Z",
        reason: "patch_failed",
        message: 'operation 0 (test "/a") does not apply: TEST_OPERATION_FAILED',
      },
    ]);
  });

  it("refuses to let a patch reach a prototype", () => {
    const result = replayChanges([
      entry(0, { change: { patch: [{ op: "add", path: "/__proto__/polluted", value: true }] } }),
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.gaps).toMatchObject([{ reason: "patch_failed" }]);
  });
});
