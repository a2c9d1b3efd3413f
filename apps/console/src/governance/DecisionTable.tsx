// Policy decisions counted by phase and policy: allow, deny, warn, other.
import type { GovernanceDecisionRow } from "../api/governance-api.js";
import { DataTable } from "../components/DataTable.js";
import { formatNumber } from "../lib/format.js";
import { PhaseBadge } from "./PhaseBadge.js";

export function DecisionTable({ rows }: { rows: readonly GovernanceDecisionRow[] }) {
  return (
    <DataTable
      labelledBy="decisions-title"
      columns={[
        "Phase",
        "Policy",
        { title: "Allow", className: "num" },
        { title: "Deny", className: "num" },
        { title: "Warn", className: "num" },
        { title: "Other", className: "num" },
        { title: "Total", className: "num" },
      ]}
    >
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
    </DataTable>
  );
}
