// Alerts with their lifecycle: raised, acknowledged by whom, resolved by whom
// with a note; the events each matched link to their detail pages.
import type { WireAlert } from "../api/alerts-api.js";
import { Badge } from "../components/Badge.js";
import { DataTable } from "../components/DataTable.js";
import { formatTableTime } from "../lib/format.js";
import { Link } from "../router/router.js";
import { MatchedEvents } from "./MatchedEvents.js";
import { ResolveForm } from "./ResolveForm.js";
import { SeverityBadge } from "./SeverityBadge.js";

function StatusBadge({ status }: { status: string }) {
  return <Badge tone={status === "open" ? "bad" : status === "acknowledged" ? "warn" : "ok"}>{status}</Badge>;
}

export function AlertTable({
  alerts,
  canAct,
  onAcknowledge,
  onResolve,
}: {
  alerts: readonly WireAlert[];
  canAct: boolean;
  onAcknowledge: (id: string) => Promise<void>;
  onResolve: (id: string, note: string) => Promise<void>;
}) {
  return (
    <DataTable
      label="Alerts"
      columns={["Raised", "Severity", "Rule", "Message", "Matched events", "Status", canAct && "Action"]}
    >
      {alerts.map((a) => (
        <tr key={a.id} data-alert-id={a.id}>
          <td>{formatTableTime(a.occurred_at)}</td>
          <td>
            <SeverityBadge severity={a.severity} />
          </td>
          <td>
            <Link to={`/rules/${encodeURIComponent(a.rule_id)}`} className="mono">
              {a.rule_id}
            </Link>{" "}
            <span className="muted">v{a.rule_version}</span>
          </td>
          <td>
            {a.message}
            {a.group !== null && <span className="muted mono"> · {a.group}</span>}
          </td>
          <td>
            <MatchedEvents ids={a.matched_event_ids} />
          </td>
          <td>
            <StatusBadge status={a.status} />
            {a.acknowledged_by !== null && (
              <div className="muted">
                acknowledged by <span className="mono">{a.acknowledged_by}</span> {formatTableTime(a.acknowledged_at)}
              </div>
            )}
            {a.resolved_by !== null && (
              <div className="muted">
                resolved by <span className="mono">{a.resolved_by}</span> {formatTableTime(a.resolved_at)}
              </div>
            )}
            {a.resolution_note !== null && <div className="alert-note">“{a.resolution_note}”</div>}
          </td>
          {canAct && (
            <td>
              {a.status === "open" && (
                <button type="button" className="btn btn-small" onClick={() => void onAcknowledge(a.id)}>
                  Acknowledge
                </button>
              )}
              {a.status !== "resolved" && <ResolveForm alertId={a.id} onResolve={(note) => onResolve(a.id, note)} />}
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
