// Every rule of the tenant: name, type, severity, state and latest version.

import { SeverityBadge } from "../alerts/SeverityBadge.js";
import type { WireRule } from "../api/rules-api.js";
import { Badge } from "../components/Badge.js";
import { DataTable } from "../components/DataTable.js";
import { formatTableTime } from "../lib/format.js";
import { Link } from "../router/router.js";

export function RuleTable({ rules }: { rules: readonly WireRule[] }) {
  return (
    <DataTable
      label="Rules"
      columns={["Rule", "Type", "Severity", "State", { title: "Version", className: "num" }, "Changed"]}
    >
      {rules.map((r) => (
        <tr key={r.id} data-rule-id={r.id}>
          <td>
            <Link to={`/rules/${encodeURIComponent(r.id)}`}>{r.definition.name}</Link>
          </td>
          <td>{r.definition.condition.type}</td>
          <td>
            <SeverityBadge severity={r.definition.severity} />
          </td>
          <td>
            {r.deleted ? (
              <Badge tone="neutral">deleted</Badge>
            ) : r.definition.enabled === false ? (
              <Badge tone="neutral">disabled</Badge>
            ) : (
              <Badge tone="ok">enabled</Badge>
            )}
          </td>
          <td className="num">{r.version}</td>
          <td>
            {formatTableTime(r.updated_at)} <span className="muted">by {r.updated_by}</span>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
