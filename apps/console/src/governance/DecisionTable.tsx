// Policy decisions counted by phase and policy: allow, deny, warn, other.
import type { GovernanceDecisionRow } from "../api/governance-api.js";
import { formatNumber } from "../lib/format.js";
import { PhaseBadge } from "./PhaseBadge.js";

export function DecisionTable({ rows }: { rows: readonly GovernanceDecisionRow[] }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-labelledby="decisions-title">
        <thead>
          <tr>
            <th scope="col">Phase</th>
            <th scope="col">Policy</th>
            <th scope="col" className="num">
              Allow
            </th>
            <th scope="col" className="num">
              Deny
            </th>
            <th scope="col" className="num">
              Warn
            </th>
            <th scope="col" className="num">
              Other
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.phase ?? ""}/${r.policy_id}`}>
              <td>
                <PhaseBadge phase={r.phase} />
              </td>
              <td className="mono">{r.policy_id}</td>
              <td className="num">{formatNumber(r.allow)}</td>
              <td className={r.deny > 0 ? "num text-bad" : "num"}>{formatNumber(r.deny)}</td>
              <td className="num">{formatNumber(r.warn)}</td>
              <td className="num">{formatNumber(r.other)}</td>
              <td className="num">{formatNumber(r.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
