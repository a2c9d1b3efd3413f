// A rule's versions, newest first: who changed it when, and each version's definition.
import type { WireRule } from "../api/rules-api.js";
import { formatTableTime } from "../lib/format.js";

export function RuleVersions({ versions }: { versions: readonly WireRule[] }) {
  const newest = [...versions].sort((a, b) => b.version - a.version);
  return (
    <ol className="rule-versions" aria-label="Versions" reversed>
      {newest.map((v) => (
        <li key={v.version} className="card" data-version={v.version}>
          <p>
            <strong>Version {v.version}</strong> · {formatTableTime(v.updated_at)} by{" "}
            <span className="mono">{v.updated_by}</span>
            {v.deleted && " · deleted"}
          </p>
          <details>
            <summary>Definition</summary>
            <pre className="mono">{JSON.stringify(v.definition, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ol>
  );
}
