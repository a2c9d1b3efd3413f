// The hostile-input fuzzer at CI size (docs/reliability.md): a few hundred
// cases against the compiled service in a child process, on a new seed each
// run (printed, and settable with TRAILPROOF_FUZZ_SEED to replay a failure).
// `npm run test:reliability` runs 10,000.
import { describe, expect, it } from "vitest";
import { formatFuzzSummary, runFuzz } from "./fuzz.js";

const CASES = 800;
const seed = Number(process.env.TRAILPROOF_FUZZ_SEED ?? Date.now() % 2 ** 31);

describe(`hostile-input fuzzer (seed ${seed})`, () => {
  it(`${CASES} cases: no 5xx, hang, crash, non-problem error, write from refused input or leak; the log verifies`, async () => {
    const summary = await runFuzz({ cases: CASES, seed });
    const report = formatFuzzSummary(summary);
    console.log(report);
    expect(summary.cases, report).toBe(CASES);
    expect(summary.failures, report).toEqual([]);
    expect(summary.stale, report).toEqual([]);
    expect(summary.crashed, report).toBe(false);
    expect(summary.stoppedCleanly, report).toBe(true);
    expect(summary.verify?.problems, report).toEqual([]);
    expect(summary.verify?.ok, report).toBe(true);
    // The run reached the service and its refusals: not a run of 400s from a broken client.
    const answered = (from: number) =>
      Object.entries(summary.byStatus)
        .filter(([status]) => Number(status) >= from && Number(status) < from + 100)
        .reduce((n, [, count]) => n + count, 0);
    expect(answered(200), report).toBeGreaterThan(CASES / 10);
    expect(answered(400), report).toBeGreaterThan(CASES / 4);
    expect(summary.strictCases, report).toBeGreaterThan(0);
    expect(summary.nodeLevelCases, report).toBeGreaterThan(0);
  }, 300_000);
});
