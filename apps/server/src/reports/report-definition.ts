// A report definition as the API takes it (protocol's ReportDefinitionBody),
// checked beyond its schema and resolved into the form the artifact states:
// every section with its query, the period in UTC milliseconds. Bad input is
// REPORT_INVALID listing every problem.
import {
  DEFAULT_SECTION_QUERIES,
  type Problem,
  type ReportCheck,
  type ReportDefinition,
  type ReportSection,
  TrailproofError,
} from "@trailproof/core";
import { parseSearchQuery, type WireReportDefinitionBody } from "@trailproof/protocol";

function queryProblem(query: string, pointer: string, problems: Problem[]): void {
  try {
    parseSearchQuery(query);
  } catch (err) {
    const inner = err instanceof TrailproofError ? err.problems.map((p) => p.message) : [];
    problems.push({ pointer, message: inner.length > 0 ? inner.join("; ") : "is not a search query" });
  }
}

/** The resolved definition of `body` (untrusted, schema-checked); REPORT_INVALID listing every problem. */
export function resolveReportDefinition(body: WireReportDefinitionBody): ReportDefinition {
  const problems: Problem[] = [];
  const fromMs = Date.parse(body.period.from);
  const toMs = Date.parse(body.period.to);
  if (Number.isNaN(fromMs)) problems.push({ pointer: "/period/from", message: "is not a timestamp" });
  if (Number.isNaN(toMs)) problems.push({ pointer: "/period/to", message: "is not a timestamp" });
  if (!Number.isNaN(fromMs) && !Number.isNaN(toMs) && fromMs >= toMs)
    problems.push({ pointer: "/period/to", message: "must be after period.from" });
  const bodySections = body.sections ?? [];
  const bodyChecks = body.checks ?? [];
  if (bodySections.length === 0 && bodyChecks.length === 0)
    problems.push({ pointer: "/sections", message: "a report needs at least one section or check" });
  const sections: ReportSection[] = bodySections.map((s, i) => {
    const query = s.query ?? DEFAULT_SECTION_QUERIES[s.type];
    if (s.query !== undefined) queryProblem(s.query, `/sections/${i}/query`, problems);
    if (s.approval) queryProblem(s.approval.query, `/sections/${i}/approval/query`, problems);
    return {
      type: s.type,
      query,
      ...(s.approval ? { approval: { query: s.approval.query, within_seconds: s.approval.within_seconds } } : {}),
    };
  });
  const names = new Set<string>();
  const checks: ReportCheck[] = bodyChecks.map((c, i) => {
    if (names.has(c.name)) problems.push({ pointer: `/checks/${i}/name`, message: "repeats another check's name" });
    names.add(c.name);
    switch (c.type) {
      case "approval_before":
        queryProblem(c.query, `/checks/${i}/query`, problems);
        queryProblem(c.approval_query, `/checks/${i}/approval_query`, problems);
        return { ...c };
      case "no_grant_and_use":
        queryProblem(c.grant_query, `/checks/${i}/grant_query`, problems);
        queryProblem(c.use_query, `/checks/${i}/use_query`, problems);
        return { ...c };
      default:
        queryProblem(c.query, `/checks/${i}/query`, problems);
        return { ...c };
    }
  });
  if (problems.length > 0) {
    throw new TrailproofError("REPORT_INVALID", `the report definition has ${problems.length} problem(s)`, {
      problems,
    });
  }
  return {
    name: body.name,
    period: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
    sections,
    checks,
  };
}
