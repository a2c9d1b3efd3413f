// A report as CSV (RFC 4180, csv-stringify): first the rows stating the
// checkpoint and the queries, then one row per listed event. Every cell that
// a spreadsheet would read as a formula is prefixed with a quote.
import { actorName, type JsonObject, type ReportArtifact } from "@trailproof/core";
import { stringify } from "csv-stringify/sync";

export const REPORT_CSV_COLUMNS = [
  "section",
  "event_id",
  "log_index",
  "occurred_at",
  "actor",
  "action",
  "target",
  "approval",
  "violation",
  "leaf_hash",
] as const;

/** OWASP's CSV-injection rule: a leading =, +, -, @, tab or CR makes a cell a formula in Excel, LibreOffice and Sheets. */
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

const target = (e: JsonObject) => {
  const t = (e.target ?? {}) as JsonObject;
  return `${String(t.type)}:${String(t.id)}`;
};

export function reportCsv(report: ReportArtifact): string {
  const byIndex = new Map(report.events.map((e) => [e.index, e]));
  const sections = new Map<number, string[]>();
  const approvals = new Map<number, number>();
  for (const s of report.sections) {
    for (const r of s.rows) {
      sections.set(r.index, [...(sections.get(r.index) ?? []), s.type]);
      if (r.approval !== null) approvals.set(r.index, r.approval);
    }
  }
  const violations = new Map<number, string[]>();
  for (const c of report.checks) {
    for (const v of c.violations) {
      for (const i of v.indexes) violations.set(i, [...(violations.get(i) ?? []), c.name]);
    }
  }
  const rows: string[][] = [
    ["report", report.definition.name, report.report_id],
    ["period", report.definition.period.from, report.definition.period.to],
    ["checkpoint", report.checkpoint],
    ["range", String(report.range.start), String(report.range.end)],
    ...report.definition.sections.map((s) => ["query", s.type, s.query]),
    ...report.definition.checks.map((c) => ["check", c.name, c.type, JSON.stringify(c)]),
    [
      "summary",
      `${report.summary.entries} entries`,
      `${report.summary.listed} listed`,
      `${report.summary.violations} violations`,
    ],
    [],
    [...REPORT_CSV_COLUMNS],
  ];
  for (const item of report.events) {
    const e = item.event;
    const approval = approvals.get(item.index);
    const approver = approval === undefined ? undefined : byIndex.get(approval)?.event;
    rows.push([
      (sections.get(item.index) ?? []).join(" "),
      String(e.id),
      String(item.index),
      String(e.occurred_at),
      actorName(e),
      String(e.action),
      target(e),
      approver ? `${String(approver.id)} by ${actorName(approver)}` : "",
      (violations.get(item.index) ?? []).join("; "),
      item.leaf_hash,
    ]);
  }
  return stringify(rows.map((r) => r.map(spreadsheetSafe)));
}
