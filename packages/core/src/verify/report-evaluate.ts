// Runs a report definition over the entries of its range: the one meaning of
// sections and internal-audit checks (docs/reports.md), used by the server to
// generate a report and by verifyReport to re-run it, so both give the same
// rows and violations for the same leaves.
import type { JsonObject } from "../canonical-json.js";
import type {
  ReportApproval,
  ReportCheck,
  ReportCheckResult,
  ReportDefinition,
  ReportQueryMatcher,
  ReportRange,
  ReportResults,
  ReportSectionResult,
  ReportViolation,
} from "./report-format.js";

/** One committed entry of the range, in log order. */
export interface ReportEntry {
  index: number;
  event: JsonObject;
}

interface Parsed extends ReportEntry {
  occurredMs: number;
  actor: string;
  target: string;
}

const ref = (v: unknown): string => {
  const o = (v ?? {}) as JsonObject;
  return `${String(o.type)}\u0000${String(o.id)}`;
};

/** Who did it, as a report says it: `type:id`. */
export function actorName(event: JsonObject): string {
  const o = (event.actor ?? {}) as JsonObject;
  return `${String(o.type)}:${String(o.id)}`;
}

/** Later in time first by occurred_at, then by log index: a total order the same on every run. */
const after = (a: Parsed, b: Parsed): boolean =>
  a.occurredMs > b.occurredMs || (a.occurredMs === b.occurredMs && a.index > b.index);

/**
 * Sections' rows and checks' violations of `def` over `entries`, which MUST
 * be every entry of [range.context_start, range.end) in log order. Subjects
 * (section rows, checked events) come from the period [range.start,
 * range.end); approvals from the whole range, so one given the day before the
 * period still counts.
 */
export function evaluateReport(
  def: ReportDefinition,
  range: ReportRange,
  entries: readonly ReportEntry[],
  matcher: ReportQueryMatcher,
): ReportResults {
  const all: Parsed[] = entries.map((e) => ({
    ...e,
    occurredMs: Date.parse(String(e.event.occurred_at)),
    actor: ref(e.event.actor),
    target: ref(e.event.target),
  }));
  const period = all.filter((e) => e.index >= range.start && e.index < range.end);
  const compiled = new Map<string, (e: JsonObject) => boolean>();
  const match = (query: string) => {
    let m = compiled.get(query);
    if (!m) {
      m = matcher(query);
      compiled.set(query, m);
    }
    return m;
  };
  const approvalOf = (approval: ReportApproval) => {
    const isApproval = match(approval.query);
    const byTarget = new Map<string, Parsed[]>();
    for (const e of all) {
      if (!isApproval(e.event)) continue;
      const list = byTarget.get(e.target) ?? [];
      list.push(e);
      byTarget.set(e.target, list);
    }
    const windowMs = approval.within_seconds * 1000;
    return (subject: Parsed): Parsed | null => {
      let best: Parsed | null = null;
      for (const a of byTarget.get(subject.target) ?? []) {
        if (a.index === subject.index || a.actor === subject.actor) continue;
        if (a.occurredMs > subject.occurredMs || a.occurredMs < subject.occurredMs - windowMs) continue;
        if (best === null || after(a, best)) best = a;
      }
      return best;
    };
  };

  const sections: ReportSectionResult[] = def.sections.map((s) => {
    const selects = match(s.query);
    const approved = s.approval ? approvalOf(s.approval) : undefined;
    const rows = period
      .filter((e) => selects(e.event))
      .map((e) => ({ index: e.index, approval: approved ? (approved(e)?.index ?? null) : null }));
    return { type: s.type, query: s.query, rows };
  });
  const checks = def.checks.map((c) => runCheck(c, period, match, approvalOf));
  return { sections, checks };
}

function runCheck(
  c: ReportCheck,
  period: readonly Parsed[],
  match: (q: string) => (e: JsonObject) => boolean,
  approvalOf: (a: ReportApproval) => (subject: Parsed) => Parsed | null,
): ReportCheckResult {
  const violations: ReportViolation[] = [];
  let examined = 0;
  switch (c.type) {
    case "approval_before": {
      const subject = match(c.query);
      const approved = approvalOf({ query: c.approval_query, within_seconds: c.within_seconds });
      for (const e of period) {
        if (!subject(e.event)) continue;
        examined++;
        if (approved(e) === null) {
          violations.push({
            indexes: [e.index],
            message: `entry ${e.index} (${String(e.event.action)} by ${actorName(e.event)}) has no approval by a different actor on the same target in the ${c.within_seconds} s before`,
          });
        }
      }
      break;
    }
    case "no_grant_and_use": {
      const isGrant = match(c.grant_query);
      const isUse = match(c.use_query);
      const uses = period.filter((e) => isUse(e.event));
      for (const g of period) {
        if (!isGrant(g.event)) continue;
        examined++;
        let first: Parsed | null = null;
        for (const u of uses) {
          if (u.index === g.index || u.actor !== g.actor || !after(u, g)) continue;
          if (first === null || after(first, u)) first = u;
        }
        if (first !== null) {
          violations.push({
            indexes: [g.index, first.index],
            message: `${actorName(g.event)} granted (entry ${g.index}) and then used (entry ${first.index}) the permission`,
          });
        }
      }
      break;
    }
    case "requires_tag": {
      const subject = match(c.query);
      for (const e of period) {
        if (!subject(e.event)) continue;
        examined++;
        const tags = Array.isArray(e.event.tags) ? (e.event.tags as unknown[]) : [];
        if (!tags.some((t) => typeof t === "string" && tagMatches(t, c.tag))) {
          violations.push({
            indexes: [e.index],
            message: `entry ${e.index} (${String(e.event.action)} by ${actorName(e.event)}) lacks tag ${c.tag}`,
          });
        }
      }
      break;
    }
  }
  return { name: c.name, type: c.type, examined, violations };
}

/** Every index the results name (rows, approvals, violations), ascending. */
export function listedIndexes(results: ReportResults): number[] {
  const set = new Set<number>();
  for (const s of results.sections) {
    for (const r of s.rows) {
      set.add(r.index);
      if (r.approval !== null) set.add(r.approval);
    }
  }
  for (const c of results.checks) for (const v of c.violations) for (const i of v.indexes) set.add(i);
  return [...set].sort((a, b) => a - b);
}

/** `wanted` ending in ":" (e.g. "ticket:") is a prefix any value completes; otherwise the tag exactly. */
export function tagMatches(tag: string, wanted: string): boolean {
  return wanted.endsWith(":") ? tag.startsWith(wanted) && tag.length > wanted.length : tag === wanted;
}
