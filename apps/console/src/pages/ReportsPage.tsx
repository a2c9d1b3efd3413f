// /reports (auditor and admin; docs/reports.md): pick sections, checks and a
// period, generate a report against the newest signed checkpoint, read its
// printable page in a sandboxed frame, download the verifiable JSON (the
// bytes `trailproof verify --report` checks) and the CSV; admins also see
// the report schedules.
import type { WireReportSchedule } from "@trailproof/protocol";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { useApi } from "../api/api-context.js";
import { roleAtLeast } from "../auth/roles.js";
import { DataTable } from "../components/DataTable.js";
import { EmptyState } from "../components/EmptyState.js";
import { ErrorNotice } from "../components/ErrorNotice.js";
import { Loading } from "../components/Loading.js";
import { PageHeader } from "../components/PageHeader.js";
import { formatTableTime } from "../lib/format.js";
import { useAsync } from "../lib/use-async.js";

const SECTIONS = [
  { type: "access_changes", label: "Access changes (grants, revokes, role changes)" },
  { type: "config_changes", label: "Configuration and deployment changes" },
  { type: "automation_changes", label: "Automation changes (workflows, API keys)" },
  { type: "policy", label: "Policy changes and denials" },
] as const;

interface CheckChoice {
  id: string;
  label: string;
  check: Record<string, unknown>;
}

const CHECKS: CheckChoice[] = [
  {
    id: "approval_before",
    label: "Every production deploy was approved by a different person in the 24 hours before",
    check: {
      type: "approval_before",
      name: "production deploys approved by another person",
      query: "action:template.deploy environment:production",
      approval_query: "action:deploy.approve",
      within_seconds: 86_400,
    },
  },
  {
    id: "no_grant_and_use",
    label: "No actor both grants and then uses an elevated permission (grant, then export)",
    check: {
      type: "no_grant_and_use",
      name: "no grant and use",
      grant_query: "action:permission.grant risk:high",
      use_query: "action:record.export",
    },
  },
  {
    id: "requires_tag",
    label: "Every high-risk permission grant carries a ticket: tag",
    check: {
      type: "requires_tag",
      name: "high-risk grants carry a ticket",
      query: "action:permission.grant risk:high",
      tag: "ticket:",
    },
  },
];

interface Generated {
  id: string;
  /** The JSON artifact exactly as the server answered it: what the download holds. */
  json: string;
  html: string;
  summary: { entries: number; listed: number; violations: number };
}

/** The first day of the previous calendar month and of this one, as yyyy-mm-dd (UTC). */
function previousMonth(): { from: string; to: string } {
  const now = new Date();
  const day = (y: number, m: number) => new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return { from: day(now.getUTCFullYear(), now.getUTCMonth() - 1), to: day(now.getUTCFullYear(), now.getUTCMonth()) };
}

/** An object URL for `text` that lives as long as the component shows it. */
function useDownloadUrl(text: string | undefined, type: string): string | undefined {
  const url = useMemo(
    () => (text === undefined ? undefined : URL.createObjectURL(new Blob([text], { type }))),
    [text, type],
  );
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  return url;
}

/** A fieldset of checkboxes choosing some of `options`, in the order they were ticked. */
function Checkboxes({
  legend,
  options,
  chosen,
  onChange,
}: {
  legend: string;
  options: readonly { id: string; label: string }[];
  chosen: readonly string[];
  onChange: (chosen: string[]) => void;
}) {
  return (
    <fieldset>
      <legend className="field-label">{legend}</legend>
      {options.map((o) => (
        <label key={o.id} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(o.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, o.id] : chosen.filter((x) => x !== o.id))}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function ReportsPage() {
  const { api, role } = useApi();
  const initial = previousMonth();
  const [name, setName] = useState("Access and change review");
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [sections, setSections] = useState<string[]>(["access_changes", "config_changes"]);
  const [checks, setChecks] = useState<string[]>(CHECKS.map((c) => c.id));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [report, setReport] = useState<Generated | undefined>(undefined);
  const [csv, setCsv] = useState<string | undefined>(undefined);
  const jsonUrl = useDownloadUrl(report?.json, "application/json");
  const csvUrl = useDownloadUrl(csv, "text/csv");
  const htmlUrl = useDownloadUrl(report?.html, "text/html");

  const generate = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    setCsv(undefined);
    try {
      const body = {
        name,
        period: { from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z` },
        sections: sections.map((type) => ({ type })),
        checks: CHECKS.filter((c) => checks.includes(c.id)).map((c) => c.check),
      };
      const json = await (await api.request("POST", "/v1/reports", { query: { format: "json" }, body })).text();
      const parsed = JSON.parse(json) as { report_id: string; summary: Generated["summary"] };
      const path = `/v1/reports/${encodeURIComponent(parsed.report_id)}`;
      const html = await api.text(path, { format: "html" });
      setReport({ id: parsed.report_id, json, html, summary: parsed.summary });
      setCsv(await api.text(path, { format: "csv" }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Reports"
        subtitle="Compliance and internal-audit reports with proofs: every listed event included in a signed checkpoint, and nothing that matches left out."
      />
      <section className="card" aria-labelledby="new-report-title">
        <h2 id="new-report-title" className="card-title">
          New report
        </h2>
        <form className="stack-form" onSubmit={(e) => void generate(e)}>
          <label className="field">
            <span className="field-label">Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
          </label>
          <div className="inline-form">
            <label className="field">
              <span className="field-label">Received from (UTC)</span>
              <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
            </label>
            <label className="field">
              <span className="field-label">Received before (UTC)</span>
              <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
            </label>
          </div>
          <Checkboxes
            legend="Sections"
            options={SECTIONS.map((s) => ({ id: s.type, label: s.label }))}
            chosen={sections}
            onChange={setSections}
          />
          <Checkboxes legend="Internal-audit checks" options={CHECKS} chosen={checks} onChange={setChecks} />
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? "Generating…" : "Generate report"}
            </button>
          </div>
        </form>
        {error !== undefined && <ErrorNotice error={error} title="The report was not generated" />}
      </section>
      {busy && <Loading label="Generating the report" />}
      {report && (
        <section className="card" aria-labelledby="report-title">
          <h2 id="report-title" className="card-title">
            Report {report.id}
          </h2>
          <p data-testid="report-summary">
            {report.summary.entries} entries in the period, {report.summary.listed} events listed,{" "}
            <strong className={report.summary.violations > 0 ? "text-bad" : undefined}>
              {report.summary.violations} violations
            </strong>
            .
          </p>
          <div className="button-row">
            {jsonUrl && (
              <a className="btn" href={jsonUrl} download={`report-${report.id}.json`}>
                Download JSON (verifiable)
              </a>
            )}
            {csvUrl && (
              <a className="btn" href={csvUrl} download={`report-${report.id}.csv`}>
                Download CSV
              </a>
            )}
            {htmlUrl && (
              <a className="btn" href={htmlUrl} download={`report-${report.id}.html`}>
                Download HTML (printable)
              </a>
            )}
          </div>
          <p className="muted small">
            Verify it offline: <code>trailproof verify --report report-{report.id}.json --key VERIFIER_KEY</code>
          </p>
          {api.usesCookie ? (
            // The server's page, with its own policy (no script, inline styles only), framed same-origin.
            <iframe
              title="Printable report"
              className="report-frame"
              sandbox="allow-same-origin allow-modals"
              src={`/v1/reports/${encodeURIComponent(report.id)}?format=html`}
            />
          ) : (
            <p className="muted small">
              Signed in with an API key, the page cannot be shown here: download it as HTML and open it.
            </p>
          )}
        </section>
      )}
      {roleAtLeast(role, "admin") && <SchedulesCard />}
    </>
  );
}

function SchedulesCard() {
  const { api } = useApi();
  const schedules = useAsync(() => api.get<{ schedules: WireReportSchedule[] }>("/v1/report-schedules"), [api]);
  return (
    <section className="card" aria-labelledby="schedules-title">
      <h2 id="schedules-title" className="card-title">
        Scheduled reports
      </h2>
      {schedules.loading && <Loading label="Loading the schedules" />}
      {schedules.error !== undefined && <ErrorNotice error={schedules.error} title="Could not load the schedules" />}
      {schedules.data &&
        (schedules.data.schedules.length === 0 ? (
          <EmptyState title="No scheduled reports">
            Schedule one with POST /v1/report-schedules (docs/reports.md): a cron, a period rule and the channels to
            deliver it to.
          </EmptyState>
        ) : (
          <DataTable
            caption="Scheduled reports"
            columns={["Name", "Cron (UTC)", "Period", "Channels", "Enabled", "Last report"]}
          >
            {schedules.data.schedules.map((s) => (
              <tr key={s.id} data-schedule={s.id}>
                <td>{s.name}</td>
                <td className="mono small">{s.cron}</td>
                <td className="small">{s.period.replaceAll("_", " ")}</td>
                <td className="mono small">{s.channel_ids.join(", ") || "—"}</td>
                <td>{s.enabled ? "yes" : "no"}</td>
                <td className="small" title={s.last_report_id ?? undefined}>
                  {s.last_fired_at ? formatTableTime(s.last_fired_at) : "never"}
                </td>
              </tr>
            ))}
          </DataTable>
        ))}
    </section>
  );
}
