// Workflows with their health: runs, success rate, median duration, last
// run and runs missed against their usual interval.
import type { WorkflowSummary } from "../api/types.js";
import { Badge } from "../components/Badge.js";
import { formatDuration, formatNumber, formatPercent, formatRelative } from "../lib/format.js";

export function WorkflowTable({
  workflows,
  selected,
  onSelect,
}: {
  workflows: readonly WorkflowSummary[];
  selected: string;
  onSelect: (id: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="table-caption">Workflows</caption>
        <thead>
          <tr>
            <th scope="col">Workflow</th>
            <th scope="col" className="num">
              Runs
            </th>
            <th scope="col">Success rate</th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col" className="num">
              Median duration
            </th>
            <th scope="col">Last run</th>
            <th scope="col">Missed runs</th>
          </tr>
        </thead>
        <tbody>
          {workflows.map((w) => {
            const rate = w.runs === 0 ? 0 : w.succeeded / w.runs;
            const tone = rate >= 0.99 ? "ok" : rate >= 0.9 ? "warn" : "bad";
            return (
              <tr key={w.workflow_id} className={selected === w.workflow_id ? "row-selected" : undefined}>
                <td>
                  <button
                    type="button"
                    className="link-button mono"
                    onClick={() => onSelect(selected === w.workflow_id ? "" : w.workflow_id)}
                    aria-pressed={selected === w.workflow_id}
                  >
                    {w.workflow_id}
                  </button>
                </td>
                <td className="num">{formatNumber(w.runs)}</td>
                <td>
                  <span className="rate">
                    <meter
                      className={`rate-meter rate-${tone}`}
                      min={0}
                      max={1}
                      low={0.9}
                      high={0.99}
                      optimum={1}
                      value={rate}
                      aria-label={`Success rate of ${w.workflow_id}`}
                    />
                    {formatPercent(w.succeeded, w.runs)}
                  </span>
                </td>
                <td className="num">{w.failed > 0 ? <Badge tone="bad">{w.failed}</Badge> : 0}</td>
                <td className="num">{formatDuration(w.median_duration_ms)}</td>
                <td title={w.last_run_at ?? undefined}>{formatRelative(w.last_run_at)}</td>
                <td>
                  {w.missed_runs > 0 ? (
                    <Badge tone="bad" title={`expected every ${formatDuration(w.expected_interval_ms)}`}>
                      {w.missed_runs} missed
                    </Badge>
                  ) : (
                    <Badge tone="ok">on schedule</Badge>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
