// Runs of workflows, newest first, each linking to its events and trace.
import type { RunSummary } from "../api/types.js";
import { RunStatusBadge } from "../components/Badge.js";
import { DataTable } from "../components/DataTable.js";
import { formatDuration, formatTime } from "../lib/format.js";
import { Link } from "../router/router.js";

export function RunTable({ runs }: { runs: readonly RunSummary[] }) {
  return (
    <DataTable
      caption="Runs"
      columns={["Run", "Workflow", "Origin", "Status", "Started", { title: "Duration", className: "num" }, "Trace"]}
    >
      {runs.map((r) => (
        <tr key={r.run_id}>
          <td>
            <Link to={`/automations/runs/${encodeURIComponent(r.run_id)}`} className="mono">
              {r.run_id}
            </Link>
          </td>
          <td className="mono small">{r.workflow_id}</td>
          <td>{r.origin ?? "—"}</td>
          <td>
            <RunStatusBadge status={r.status} />
          </td>
          <td className="nowrap">{formatTime(r.started_at)}</td>
          <td className="num">{formatDuration(r.duration_ms)}</td>
          <td>
            {r.start_event_id ? <Link to={`/events/${encodeURIComponent(r.start_event_id)}/trace`}>Trace</Link> : "—"}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
