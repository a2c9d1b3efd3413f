// Offline verification of a report artifact (report-format.ts,
// docs/reports.md): the checkpoint is signed by the pinned key, every listed
// event is its leaf and included in that checkpoint, the range's leaves and
// the compact ranges beside them rebuild the checkpoint's root, the range is
// exactly the entries received in the period, and re-running the stated
// queries and checks over it gives exactly the listed rows and violations.
import { fromBase64, toBase64, utf8 } from "../bytes.js";
import { encodeCanonicalJson, type JsonObject } from "../canonical-json.js";
import { TrailproofError, VerificationError } from "../errors.js";
import { type Hasher, portableHasher } from "../hasher.js";
import { CompactRange } from "../merkle/compact-range.js";
import { verifyInclusion } from "../merkle/inclusion-proof.js";
import { hashLeaf } from "../merkle/rfc6962.js";
import { decomposeRange } from "../merkle/tree-math.js";
import { verifyCheckpoint } from "../note/checkpoint.js";
import { parseVerifierKey } from "../note/verifier-key.js";
import { evaluateReport, listedIndexes, type ReportEntry } from "./report-evaluate.js";
import {
  MAX_REPORT_ENTRIES,
  REPORT_EMBED_ID,
  REPORT_FORMAT,
  type ReportArtifact,
  type ReportQueryMatcher,
  reportLookbackSeconds,
} from "./report-format.js";

export interface VerifiedReport {
  origin: string;
  treeSize: bigint;
  /** Entries in the period. */
  entries: number;
  listed: number;
  violations: number;
  /**
   * True when the checkpoint holds an entry received at or after the
   * period's end: the period is complete in the log. False when the period
   * runs past the checkpoint's newest entry: complete up to the checkpoint only.
   */
  periodClosed: boolean;
}

function fail(message: string): VerificationError {
  return new VerificationError("REPORT_MISMATCH", message);
}

const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Throws VerificationError (REPORT_MISMATCH, or a PROOF_* / NOTE_* code from
 * the proof and signature checks) unless `report` (untrusted) holds: see the
 * module comment. `verifierKey` is the log's key pinned out of band;
 * `matcher` compiles the report's stated search queries (protocol's
 * parseSearchQuery + eventMatchesFilter).
 */
export function verifyReport(
  report: ReportArtifact,
  verifierKey: string,
  matcher: ReportQueryMatcher,
  hasher: Hasher = portableHasher,
): VerifiedReport {
  try {
    return verifyReportUnchecked(report, verifierKey, matcher, hasher);
  } catch (err) {
    // A report of the wrong shape fails closed with a typed code, never a raw TypeError.
    if (err instanceof TrailproofError) throw err;
    throw fail(`the report is malformed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function verifyReportUnchecked(
  report: ReportArtifact,
  verifierKey: string,
  matcher: ReportQueryMatcher,
  hasher: Hasher,
): VerifiedReport {
  if (report?.format !== REPORT_FORMAT) throw fail(`not a ${REPORT_FORMAT} report`);
  const def = report.definition;
  if (!Array.isArray(def?.sections) || !Array.isArray(def?.checks) || typeof def?.period !== "object")
    throw fail("the report's definition is not {name, period, sections, checks}");
  const verifier = parseVerifierKey(hasher, verifierKey);
  const cp = verifyCheckpoint(report.checkpoint, verifier, verifier.name);
  const size = Number(cp.treeSize);
  const { range, completeness, definition } = report;
  const { span_start, context_start, start, end, span_end } = range ?? {};
  if (![span_start, context_start, start, end, span_end].every(isIndex)) throw fail("the range is not five indexes");
  if (!(span_start <= context_start && context_start <= start && start <= end && end <= span_end && span_end <= size))
    throw fail(`the range is not ordered within the checkpoint's size ${size}`);
  if (span_start !== Math.max(0, context_start - 1) || span_end !== Math.min(size, end + 1))
    throw fail("the range does not hold one entry beside it on each side where the log has one");
  if (end - context_start > MAX_REPORT_ENTRIES) throw fail(`the range holds more than ${MAX_REPORT_ENTRIES} entries`);
  const leaves = completeness?.leaves;
  if (!Array.isArray(leaves) || leaves.length !== span_end - span_start)
    throw fail(`the report holds ${leaves?.length} leaves for a range of ${span_end - span_start}`);

  // Completeness: the left tiles, every leaf of the span and the right tiles rebuild the signed root.
  const leftIds = decomposeRange(0n, BigInt(span_start));
  const rightIds = decomposeRange(BigInt(span_end), cp.treeSize);
  if (completeness.left?.length !== leftIds.length || completeness.right?.length !== rightIds.length)
    throw fail("the compact ranges beside the leaves have the wrong number of hashes");
  const tree = CompactRange.fromNodes(
    hasher,
    BigInt(span_start),
    leftIds.map((id, i) => ({ ...id, hash: fromBase64(completeness.left[i] as string) })),
  );
  const leafHashes = leaves.map((text) => {
    const h = hashLeaf(hasher, utf8(String(text)));
    tree.append(h);
    return h;
  });
  rightIds.forEach((id, i) => {
    tree.appendSubtree(id.level, fromBase64(completeness.right[i] as string));
  });
  if (toBase64(tree.rootHash()) !== toBase64(cp.rootHash))
    throw fail("the range's leaves do not rebuild the checkpoint's root hash");

  // The span is exactly what was received in the period (and its look-back): received_at never decreases along a log.
  const events: JsonObject[] = leaves.map((text, i) => parseLeaf(String(text), span_start + i));
  const fromMs = parseTime(definition?.period?.from, "period.from");
  const toMs = parseTime(definition?.period?.to, "period.to");
  const lookbackMs = reportLookbackSeconds(definition) * 1000;
  let previous = Number.NEGATIVE_INFINITY;
  events.forEach((e, i) => {
    const index = span_start + i;
    const received = parseTime(e.received_at, `entry ${index}'s received_at`);
    if (received < previous) throw fail(`entry ${index}'s received_at is before its predecessor's`);
    previous = received;
    const inContext = index >= context_start && index < start;
    const inPeriod = index >= start && index < end;
    const expected = inPeriod
      ? received >= fromMs && received < toMs
      : inContext
        ? received >= fromMs - lookbackMs && received < fromMs
        : index < context_start
          ? received < fromMs - lookbackMs
          : received >= toMs;
    if (!expected) throw fail(`entry ${index} was received at ${String(e.received_at)}, outside its part of the range`);
  });

  // Listed events: each its leaf, included in the checkpoint, and the span's leaf at that index.
  const listed = new Map<number, string>();
  for (const item of report.events ?? []) {
    if (!isIndex(item?.index) || listed.has(item.index)) throw fail("a listed event has a bad or repeated index");
    const leafHash = hashLeaf(hasher, utf8(encodeCanonicalJson(item.event)));
    if (toBase64(leafHash) !== item.leaf_hash)
      throw fail(`listed event at index ${item.index} does not hash to its leaf hash`);
    verifyInclusion(
      hasher,
      item.index,
      cp.treeSize,
      leafHash,
      (item.inclusion_proof ?? []).map((p) => fromBase64(p)),
      cp.rootHash,
    );
    const inSpan = leafHashes[item.index - span_start];
    if (inSpan === undefined || toBase64(inSpan) !== item.leaf_hash)
      throw fail(`listed event at index ${item.index} is not the range's entry there`);
    listed.set(item.index, item.leaf_hash);
  }

  // Re-run: the same definition over the same leaves gives exactly what the report lists.
  const entries: ReportEntry[] = events
    .map((event, i) => ({ index: span_start + i, event }))
    .filter((e) => e.index >= context_start && e.index < end);
  const results = evaluateReport(definition, range, entries, matcher);
  const claimed = encodeCanonicalJson({ sections: report.sections, checks: report.checks } as unknown as JsonObject);
  if (encodeCanonicalJson(results as unknown as JsonObject) !== claimed)
    throw fail("re-running the report's queries and checks over its range gives other rows or violations");
  const indexes = listedIndexes(results);
  if (indexes.length !== listed.size || indexes.some((i) => !listed.has(i)))
    throw fail("the listed events are not exactly the entries the rows and violations name");
  const violations = results.checks.reduce((n, c) => n + c.violations.length, 0);
  const summary = { entries: end - start, listed: indexes.length, violations };
  if (encodeCanonicalJson(summary) !== encodeCanonicalJson(report.summary ?? null))
    throw fail("the report's summary does not match its contents");
  return { origin: cp.origin, treeSize: cp.treeSize, ...summary, periodClosed: end < size };
}

function parseLeaf(text: string, index: number): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw fail(`entry ${index}'s leaf is not JSON`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw fail(`entry ${index}'s leaf is not an object`);
  return value as JsonObject;
}

function parseTime(value: unknown, what: string): number {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw fail(`${what} is not a timestamp`);
  return ms;
}

/**
 * The artifact in a report file (untrusted): the JSON artifact itself, or
 * an HTML page embedding it in <script type="application/json"
 * id="trailproof-report">. Throws REPORT_MISMATCH when it holds neither.
 */
export function parseReportFile(text: string): ReportArtifact {
  let json = text;
  if (!text.trimStart().startsWith("{")) {
    const open = `<script type="application/json" id="${REPORT_EMBED_ID}">`;
    const at = text.indexOf(open);
    const close = at < 0 ? -1 : text.indexOf("</script>", at);
    if (close < 0) throw fail("the file is neither a JSON report nor an HTML page embedding one");
    json = text.slice(at + open.length, close);
  }
  try {
    return JSON.parse(json) as ReportArtifact;
  } catch {
    throw fail("the report is not JSON");
  }
}
