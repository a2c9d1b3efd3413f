// Workflow health from the log itself: runs are paired from
// workflow.run.start and workflow.run.finish by run_id; a workflow that runs
// on a schedule has an expected interval (the median gap between its
// scheduled starts), and gaps well beyond it count as missed runs.
import type { RunSummary, WorkflowSummary } from "@trailproof/protocol";

interface RunEvent {
  id: string;
  action: string;
  occurred_at: string;
  outcome?: { status?: string };
  automation?: { run_id?: string; workflow_id?: string; origin?: string };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

export function summarizeRuns(
  events: readonly RunEvent[],
  nowMs: number,
): { workflows: WorkflowSummary[]; runs: RunSummary[] } {
  const runs = new Map<string, RunSummary>();
  const ordered = [...events].sort((a, b) =>
    a.occurred_at < b.occurred_at ? -1 : a.occurred_at > b.occurred_at ? 1 : 0,
  );
  for (const e of ordered) {
    const runId = e.automation?.run_id;
    const workflowId = e.automation?.workflow_id;
    if (!runId || !workflowId) continue;
    if (e.action === "workflow.run.start" && !runs.has(runId)) {
      runs.set(runId, {
        run_id: runId,
        workflow_id: workflowId,
        origin: e.automation?.origin ?? null,
        status: "running",
        started_at: e.occurred_at,
        finished_at: null,
        duration_ms: null,
        start_event_id: e.id,
      });
    } else if (e.action === "workflow.run.finish") {
      const run = runs.get(runId);
      if (!run) continue;
      run.finished_at = e.occurred_at;
      run.duration_ms = Date.parse(e.occurred_at) - Date.parse(run.started_at);
      run.status = e.outcome?.status === "failure" || e.outcome?.status === "denied" ? "failed" : "succeeded";
    }
  }
  const byWorkflow = new Map<string, RunSummary[]>();
  for (const run of runs.values()) byWorkflow.set(run.workflow_id, [...(byWorkflow.get(run.workflow_id) ?? []), run]);
  const workflows = [...byWorkflow.entries()].map(([workflowId, list]): WorkflowSummary => {
    const scheduled = list.filter((r) => r.origin === "schedule").map((r) => Date.parse(r.started_at));
    const gaps = scheduled.slice(1).map((t, i) => t - (scheduled[i] as number));
    const expected = scheduled.length >= 3 ? median(gaps) : null;
    let missed = 0;
    if (expected && expected > 0) {
      // A gap of more than 1.5 expected intervals hides at least one missed run.
      const edges = [...scheduled, nowMs];
      for (let i = 1; i < edges.length; i++) {
        const gap = (edges[i] as number) - (edges[i - 1] as number);
        if (gap > 1.5 * expected) missed += Math.round(gap / expected) - 1;
      }
    }
    const last = list[list.length - 1] as RunSummary;
    return {
      workflow_id: workflowId,
      runs: list.length,
      succeeded: list.filter((r) => r.status === "succeeded").length,
      failed: list.filter((r) => r.status === "failed").length,
      last_run_at: last.started_at,
      median_duration_ms: median(list.flatMap((r) => (r.duration_ms === null ? [] : [r.duration_ms]))),
      expected_interval_ms: expected,
      missed_runs: missed,
    };
  });
  workflows.sort((a, b) => (a.workflow_id < b.workflow_id ? -1 : 1));
  return { workflows, runs: [...runs.values()].reverse() };
}
