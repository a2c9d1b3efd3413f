// The preview: the alerts a definition would have raised over a past period,
// from a back-test of the unsaved definition, shown before the rule is saved.
import { useState } from "react";
import { MatchedEvents } from "../alerts/MatchedEvents.js";
import { SeverityBadge } from "../alerts/SeverityBadge.js";
import { useApi } from "../api/api-context.js";
import { type BacktestResponse, previewRule, type RuleDefinition } from "../api/rules-api.js";
import { DataTable } from "../components/DataTable.js";
import { SelectField } from "../components/SelectField.js";
import { formatNumber, formatTableTime } from "../lib/format.js";
import { ProblemNotice } from "./ProblemNotice.js";

const HOUR_MS = 3_600_000;

export function RulePreview({ definition }: { definition: () => RuleDefinition }) {
  const { api } = useApi();
  const [hours, setHours] = useState(24);
  const [result, setResult] = useState<BacktestResponse | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const to = new Date();
      const from = new Date(to.getTime() - hours * HOUR_MS);
      setResult(await previewRule(api, definition(), { from: from.toISOString(), to: to.toISOString() }));
    } catch (err) {
      setResult(undefined);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card rule-preview" aria-labelledby="preview-title">
      <h2 id="preview-title" className="card-title">
        Preview
      </h2>
      <p className="muted">Replays the log over a past period with this definition, before anything is saved.</p>
      <div className="row-actions">
        <SelectField inline label="Preview period" value={hours} onChange={(v) => setHours(Number(v))}>
          <option value={1}>Last hour</option>
          <option value={24}>Last 24 hours</option>
          <option value={168}>Last 7 days</option>
          <option value={720}>Last 30 days</option>
        </SelectField>
        <button type="button" className="btn" onClick={() => void run()} disabled={busy}>
          {busy ? "Previewing…" : "Preview"}
        </button>
      </div>
      {error !== undefined && <ProblemNotice error={error} title="Could not preview the rule" />}
      {result && (
        <div role="status" aria-label="Preview result">
          <p>
            Would have raised <strong>{formatNumber(result.alerts.length)}</strong>{" "}
            {result.alerts.length === 1 ? "alert" : "alerts"} over {formatNumber(result.entries_scanned)} events
            {result.truncated && " (the period held more events than a preview reads: the first part only)"}.
          </p>
          {result.alerts.length > 0 && (
            <DataTable
              label="Alerts the rule would have raised"
              columns={["When", "Severity", "Message", "Group", "Matched events"]}
            >
              {result.alerts.map((a) => (
                <tr key={a.id}>
                  <td>{formatTableTime(a.occurred_at)}</td>
                  <td>
                    <SeverityBadge severity={a.severity} />
                  </td>
                  <td>{a.message}</td>
                  <td className="mono">{a.group ?? "—"}</td>
                  <td>
                    <MatchedEvents ids={a.matched_event_ids} />
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </div>
      )}
    </section>
  );
}
