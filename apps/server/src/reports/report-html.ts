// A report as one printable HTML page: self-contained (no script runs, no
// external resource), every value escaped, print CSS, the checkpoint and the
// summary up top, and the JSON artifact embedded in a
// <script type="application/json"> so `trailproof verify --report page.html`
// verifies the page itself.
import { actorName, type JsonObject, REPORT_EMBED_ID, type ReportArtifact } from "@trailproof/core";
import { encodeReport } from "./build-report.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

/** JSON text safe inside <script>: no "<" (so no "</script>" or "<!--"), still the same JSON value. */
const scriptSafe = (json: string) => json.replace(/</g, "\\u003c");

const CSS = `
body{font:13px/1.45 system-ui,sans-serif;margin:2rem;color:#111}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.2rem .4rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}pre{background:#f7f7f7;padding:.5rem;white-space:pre-wrap;word-break:break-all}
.violation{color:#a40000}.muted{color:#555}code{word-break:break-all}
@media print{body{margin:0;font-size:10px}h2{break-after:avoid}tr{break-inside:avoid}a{color:inherit;text-decoration:none}}
`;

export function reportHtml(report: ReportArtifact): string {
  const byIndex = new Map(report.events.map((e) => [e.index, e.event]));
  const who = (i: number | null) => {
    if (i === null) return '<span class="violation">none</span>';
    const e = byIndex.get(i) as JsonObject;
    return `${escapeHtml(actorName(e))} <span class="muted">(entry ${i})</span>`;
  };
  const eventCells = (i: number) => {
    const e = byIndex.get(i) as JsonObject;
    const t = (e.target ?? {}) as JsonObject;
    return `<td>${i}</td><td>${escapeHtml(e.occurred_at)}</td><td>${escapeHtml(actorName(e))}</td><td>${escapeHtml(e.action)}</td><td>${escapeHtml(`${String(t.type)}:${String(t.id)}`)}</td><td><code>${escapeHtml(e.id)}</code></td>`;
  };
  const d = report.definition;
  const sections = report.sections
    .map(
      (s) => `<h2>${escapeHtml(s.type)} <span class="muted">(${s.rows.length})</span></h2>
<p class="muted">Query: <code>${escapeHtml(s.query)}</code></p>
<table><thead><tr><th>Index</th><th>Occurred</th><th>Actor</th><th>Action</th><th>Target</th><th>Event id</th><th>Approved by</th></tr></thead><tbody>
${s.rows.map((r) => `<tr>${eventCells(r.index)}<td>${d.sections.find((x) => x.type === s.type)?.approval ? who(r.approval) : "-"}</td></tr>`).join("\n")}
</tbody></table>`,
    )
    .join("\n");
  const checks = report.checks
    .map(
      (
        c,
      ) => `<h2>Check: ${escapeHtml(c.name)} <span class="muted">(${escapeHtml(c.type)}; ${c.examined} examined, ${c.violations.length} violations)</span></h2>
${
  c.violations.length === 0
    ? "<p>No violations.</p>"
    : `<table><thead><tr><th>Violation</th><th>Entries</th></tr></thead><tbody>
${c.violations.map((v) => `<tr><td class="violation">${escapeHtml(v.message)}</td><td>${v.indexes.map((i) => escapeHtml(`${i}: ${String(byIndex.get(i)?.id)}`)).join("<br>")}</td></tr>`).join("\n")}
</tbody></table>`
}`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(d.name)}: Trailproof report</title>
<style>${CSS}</style></head>
<body>
<h1>${escapeHtml(d.name)}</h1>
<p>Entries received from <strong>${escapeHtml(d.period.from)}</strong> to <strong>${escapeHtml(d.period.to)}</strong> (log indexes ${report.range.start} to ${report.range.end - 1}). Report <code>${escapeHtml(report.report_id)}</code>.</p>
<table><tbody>
<tr><th>Entries in the period</th><td>${report.summary.entries}</td></tr>
<tr><th>Events listed</th><td>${report.summary.listed}</td></tr>
<tr><th>Violations</th><td class="${report.summary.violations > 0 ? "violation" : ""}">${report.summary.violations}</td></tr>
</tbody></table>
<h2>Signed checkpoint</h2>
<pre>${escapeHtml(report.checkpoint)}</pre>
<p class="muted">Verify this page offline: <code>trailproof verify --report this-page.html --key VERIFIER_KEY</code> (the log's verifier key, GET /v1/log/key).</p>
${sections}
${checks}
<script type="application/json" id="${REPORT_EMBED_ID}">${scriptSafe(encodeReport(report))}</script>
</body></html>
`;
}
