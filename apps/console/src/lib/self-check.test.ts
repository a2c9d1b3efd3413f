import { describe, expect, it } from "vitest";
import { toSelfCheck } from "./self-check.js";

const passed = {
  id: "evt_1",
  action: "integrity.check",
  occurred_at: "2026-12-04T16:00:00.000Z",
  actor: { type: "system", id: "self-check" },
  outcome: { status: "success" },
  metadata: { checkpoint_size: 42, new_entries: 10, sampled: 32, failures: [], next: { size: 42 } },
};

describe("toSelfCheck", () => {
  it("reads a passed check's counts", () => {
    expect(toSelfCheck(passed)).toEqual({
      id: "evt_1",
      ranAt: "2026-12-04T16:00:00.000Z",
      passed: true,
      checkpointSize: 42,
      newEntries: 10,
      sampled: 32,
      failures: [],
    });
  });

  it("reads a failed check with its failures", () => {
    const failures = ["entries 32..41 do not hash to the root of the checkpoint at size 42"];
    const check = toSelfCheck({
      ...passed,
      outcome: { status: "failure" },
      risk: "critical",
      metadata: { ...passed.metadata, failures },
    });
    expect(check.passed).toBe(false);
    expect(check.failures).toEqual(failures);
  });

  it("never shows a check as passed that lists failures or lacks a success outcome", () => {
    expect(toSelfCheck({ ...passed, metadata: { ...passed.metadata, failures: ["x"] } }).passed).toBe(false);
    expect(toSelfCheck({ ...passed, outcome: undefined }).passed).toBe(false);
  });

  it("drops metadata of the wrong type rather than showing it", () => {
    const check = toSelfCheck({
      ...passed,
      metadata: { checkpoint_size: "42", new_entries: -1, sampled: 1.5, failures: ["a", 7, null] },
    });
    expect([check.checkpointSize, check.newEntries, check.sampled]).toEqual([undefined, undefined, undefined]);
    expect(check.failures).toEqual(["a"]);
  });
});
