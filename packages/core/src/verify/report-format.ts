// The compliance / internal-audit report artifact (docs/reports.md): a
// definition (period, sections, checks), the signed checkpoint it was
// computed against, every listed event with its inclusion proof, and the
// completeness proof: every leaf of the contiguous range of entries received
// in the period, plus the compact ranges left and right of it, so a verifier
// recomputes the checkpoint's root and re-runs the stated queries.
import type { JsonObject } from "../canonical-json.js";

export const REPORT_FORMAT = "trailproof-report/v1";

/** The id of the <script type="application/json"> that embeds the artifact in a report's HTML page. */
export const REPORT_EMBED_ID = "trailproof-report";

/**
 * At most this many entries in a report's range (period plus approval
 * look-back). A report holds every leaf of its range, so a bigger one is
 * refused (REPORT_RANGE_TOO_LARGE): split the period.
 */
export const MAX_REPORT_ENTRIES = 200_000;

/** At most this look-back, in seconds, for an approval (30 days). */
export const MAX_APPROVAL_WINDOW_SECONDS = 30 * 86_400;

export const REPORT_SECTION_TYPES = ["access_changes", "config_changes", "automation_changes", "policy"] as const;
export type ReportSectionType = (typeof REPORT_SECTION_TYPES)[number];

/** The search query (docs/search.md syntax) each section lists by default. */
export const DEFAULT_SECTION_QUERIES: Record<ReportSectionType, string> = {
  access_changes: "action:permission.grant OR action:permission.revoke OR action:role.update",
  config_changes:
    "action:template.deploy OR action:package.install OR action:package.uninstall OR action:settings.update OR action:integration.connect",
  automation_changes:
    "action:workflow.update OR action:apikey.create OR action:apikey.revoke OR action:service_account.*",
  policy: "action:policy.update OR (action:policy.evaluate outcome:denied)",
};

/** What counts as the approval of a listed event: a match of `query` on the same target by a different actor, at most `within_seconds` before. */
export interface ReportApproval {
  query: string;
  within_seconds: number;
}

export interface ReportSection {
  type: ReportSectionType;
  /** The query that selects the section's events; the type's default when generated without one. */
  query: string;
  approval?: ReportApproval;
}

export type ReportCheck =
  | { type: "approval_before"; name: string; query: string; approval_query: string; within_seconds: number }
  | { type: "no_grant_and_use"; name: string; grant_query: string; use_query: string }
  | { type: "requires_tag"; name: string; query: string; tag: string };

export interface ReportDefinition {
  name: string;
  /** Entries received at or after `from` and before `to` (RFC 3339, UTC milliseconds). */
  period: { from: string; to: string };
  sections: ReportSection[];
  checks: ReportCheck[];
}

/**
 * Indexes of the log the report covers, all below the checkpoint's size:
 * [context_start, start) were received in the approval look-back before the
 * period, [start, end) in the period. The completeness leaves are
 * [span_start, span_end): the range plus one entry on each side where the
 * log has one, whose received_at proves the range is all of the period.
 */
export interface ReportRange {
  span_start: number;
  context_start: number;
  start: number;
  end: number;
  span_end: number;
}

export interface ReportListedEvent {
  index: number;
  /** Base64 RFC 6962 leaf hash of the RFC 8785 form of `event`. */
  leaf_hash: string;
  /** The committed event: personal values appear only as their commitments. */
  event: JsonObject;
  /** Base64 hashes, RFC 6962 order, against the report's checkpoint. */
  inclusion_proof: string[];
}

export interface ReportSectionResult {
  type: ReportSectionType;
  query: string;
  /** One per matching entry of the period, in log order; `approval` is the approving entry's index or null. */
  rows: { index: number; approval: number | null }[];
}

export interface ReportViolation {
  /** The entry the check is about first, then the entries that make it a violation. */
  indexes: number[];
  message: string;
}

export interface ReportCheckResult {
  name: string;
  type: ReportCheck["type"];
  /** Entries the check examined (matches of its subject query in the period). */
  examined: number;
  violations: ReportViolation[];
}

export interface ReportResults {
  sections: ReportSectionResult[];
  checks: ReportCheckResult[];
}

export interface ReportArtifact extends ReportResults {
  format: typeof REPORT_FORMAT;
  report_id: string;
  definition: ReportDefinition;
  /** The C2SP signed checkpoint note the report was computed against. */
  checkpoint: string;
  range: ReportRange;
  completeness: {
    /** Base64 hashes of the perfect subtrees tiling [0, span_start), largest first. */
    left: string[];
    /** The leaf data (RFC 8785 JSON text) of every entry in [span_start, span_end). */
    leaves: string[];
    /** Base64 hashes of the perfect subtrees tiling [span_end, tree size), left to right. */
    right: string[];
  };
  /** Every entry a section row, an approval or a violation names, by index. */
  events: ReportListedEvent[];
  summary: { entries: number; listed: number; violations: number };
}

/** Compiles a search query into a predicate over committed events; throws on a query it cannot parse. */
export type ReportQueryMatcher = (query: string) => (event: JsonObject) => boolean;

/** The longest approval look-back the definition uses, in seconds. */
export function reportLookbackSeconds(def: ReportDefinition): number {
  let max = 0;
  for (const s of def.sections) if (s.approval) max = Math.max(max, s.approval.within_seconds);
  for (const c of def.checks) if (c.type === "approval_before") max = Math.max(max, c.within_seconds);
  return max;
}
