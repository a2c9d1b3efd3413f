// The newest denials, each with its rationale and remediation, linked to the event.
import type { GovernanceDenial } from "../api/governance-api.js";
import { DataTable } from "../components/DataTable.js";
import { formatTableTime } from "../lib/format.js";
import { Link } from "../router/router.js";
import { PhaseBadge } from "./PhaseBadge.js";

const who = (p: { type: string; id: string; name?: string }) => (p.name ? `${p.name} (${p.id})` : `${p.type} ${p.id}`);

export function DenialList({ denials }: { denials: readonly GovernanceDenial[] }) {
  return (
    <DataTable
      labelledBy="denials-title"
      columns={["When", "Phase", "Policy", "Target", "Actor", "Rationale", "Remediation"]}
    >
      {denials.map((d) => (
        <tr key={d.event_id} data-event-id={d.event_id}>
          <td>
            <Link to={`/events/${encodeURIComponent(d.event_id)}`}>{formatTableTime(d.occurred_at)}</Link>
          </td>
          <td>
            <PhaseBadge phase={d.phase} />
          </td>
          <td className="mono">
            {d.policy_id}
            {d.policy_version !== null && <span className="muted"> v{d.policy_version}</span>}
          </td>
          <td className="mono">{d.target.name ?? `${d.target.type} ${d.target.id}`}</td>
          <td className="mono">{who(d.actor)}</td>
          <td>{d.rationale ?? <span className="muted">none given</span>}</td>
          <td>{d.remediation ?? <span className="muted">none given</span>}</td>
        </tr>
      ))}
    </DataTable>
  );
}
