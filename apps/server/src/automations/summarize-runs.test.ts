import { describe, expect, it } from "vitest";
import { summarizeRuns } from "./summarize-runs.js";

const HOUR = 3600_000;
const t0 = Date.UTC(2026, 10, 1);
const at = (ms: number) => new Date(ms).toISOString();

function run(id: string, startMs: number, durationMs: number | null, status = "success", origin = "schedule") {
  const automation = { run_id: id, workflow_id: "wf_sync", origin };
  const start = { id: `${id}_s`, action: "workflow.run.start", occurred_at: at(startMs), automation };
  if (durationMs === null) return [start];
  return [
    start,
    {
      id: `${id}_f`,
      action: "workflow.run.finish",
      occurred_at: at(startMs + durationMs),
      outcome: { status },
      automation,
    },
  ];
}

describe("summarizeRuns", () => {
  it("pairs starts and finishes, counts outcomes and durations", () => {
    const events = [
      ...run("r1", t0, 1000),
      ...run("r2", t0 + HOUR, 3000, "failure"),
      ...run("r3", t0 + 2 * HOUR, null),
    ];
    const { workflows, runs } = summarizeRuns(events, t0 + 2 * HOUR + 1000);
    expect(runs.map((r) => [r.run_id, r.status, r.duration_ms])).toEqual([
      ["r3", "running", null],
      ["r2", "failed", 3000],
      ["r1", "succeeded", 1000],
    ]);
    expect(workflows).toEqual([
      expect.objectContaining({ workflow_id: "wf_sync", runs: 3, succeeded: 1, failed: 1, median_duration_ms: 2000 }),
    ]);
  });

  it("finds scheduled runs that did not happen", () => {
    // Hourly, then nothing for five hours (four missed), then the check at the hour after.
    const starts = [0, 1, 2, 3, 8].map((h) => t0 + h * HOUR);
    const events = starts.flatMap((s, i) => run(`r${i}`, s, 500));
    const { workflows } = summarizeRuns(events, t0 + 8 * HOUR + 10 * 60_000);
    expect(workflows[0]).toMatchObject({ expected_interval_ms: HOUR, missed_runs: 4 });
    // Still on time: nothing missed.
    const onTime = summarizeRuns(
      starts.slice(0, 4).flatMap((s, i) => run(`q${i}`, s, 500)),
      t0 + 3.5 * HOUR,
    );
    expect(onTime.workflows[0]?.missed_runs).toBe(0);
  });

  it("has no expectation for runs that are not scheduled", () => {
    const events = [0, 1, 2, 9].flatMap((h, i) => run(`w${i}`, t0 + h * HOUR, 100, "success", "webhook"));
    expect(summarizeRuns(events, t0 + 10 * HOUR).workflows[0]).toMatchObject({
      expected_interval_ms: null,
      missed_runs: 0,
    });
  });
});
