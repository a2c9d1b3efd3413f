// Policy changes, newest first: who changed which policy, from which version
// to which, why, and the policy before and after.
import type { GovernancePolicyChange } from "../api/governance-api.js";
import { OutcomeBadge } from "../components/Badge.js";
import { formatTableTime } from "../lib/format.js";
import { Link } from "../router/router.js";
import { PhaseBadge } from "./PhaseBadge.js";

const show = (value: unknown) => (value === undefined ? "—" : JSON.stringify(value, null, 2));

export function PolicyChangeList({ changes }: { changes: readonly GovernancePolicyChange[] }) {
  return (
    <ul className="governance-changes">
      {changes.map((c) => (
        <li key={c.event_id} className="card" data-event-id={c.event_id}>
          <p>
            <Link to={`/events/${encodeURIComponent(c.event_id)}`}>{formatTableTime(c.occurred_at)}</Link>{" "}
            <span className="mono">
              {c.actor.name ? `${c.actor.name} (${c.actor.id})` : `${c.actor.type} ${c.actor.id}`}
            </span>{" "}
            changed <strong>{c.policy_name ?? c.policy_id}</strong>{" "}
            <span className="muted">
              {c.previous_version !== null ? `v${c.previous_version} → ` : ""}
              {c.policy_version !== null ? `v${c.policy_version}` : ""}
            </span>{" "}
            <PhaseBadge phase={c.phase} /> <OutcomeBadge status={c.outcome} />
          </p>
          {c.reason !== null && <p className="muted">Reason: {c.reason}</p>}
          <div className="governance-diff">
            <figure>
              <figcaption>Before</figcaption>
              <pre className="mono">{show(c.before)}</pre>
            </figure>
            <figure>
              <figcaption>After</figcaption>
              <pre className="mono">{show(c.after)}</pre>
            </figure>
          </div>
        </li>
      ))}
    </ul>
  );
}
