// Generates a report artifact (docs/reports.md) against one signed
// checkpoint: finds the entries received in the period by binary search
// over received_at (non-decreasing along a tenant's log, docs/log-format.md),
// reads every leaf of the range, runs core's evaluateReport and attaches the
// inclusion proofs and compact ranges a verifier needs. No wall-clock time
// enters the artifact, so the same definition at the same checkpoint size
// gives the same bytes.
import {
  decomposeRange,
  encodeCanonicalJson,
  evaluateReport,
  fromUtf8,
  type JsonObject,
  listedIndexes,
  MAX_REPORT_ENTRIES,
  REPORT_FORMAT,
  type ReportArtifact,
  type ReportDefinition,
  type ReportEntry,
  type ReportRange,
  reportLookbackSeconds,
  TrailproofError,
  toBase64,
} from "@trailproof/core";
import { type CheckpointRow, hashRangesFromStore, type Ledger, type StoredEntry } from "@trailproof/ledger";
import { reportQueryMatcher } from "@trailproof/protocol";

/** Entries read per store call while collecting a range. */
const READ_CHUNK = 5000;

/** The checkpoint of exactly `treeSize` (a stored report's), or the newest signed one when undefined. */
export async function reportCheckpoint(ledger: Ledger, tenant: string, treeSize?: number): Promise<CheckpointRow> {
  if (treeSize === undefined) return ledger.latestCheckpoint(tenant);
  const found = (await ledger.checkpoints(tenant)).find((c) => c.treeSize === treeSize);
  if (!found) {
    throw new TrailproofError("REPORT_NOT_FOUND", `the report's checkpoint of size ${treeSize} is no longer stored`);
  }
  return found;
}

/** The first index in [0, size) whose entry was received at or after `ms`; size when none. */
async function firstReceivedAtOrAfter(ledger: Ledger, tenant: string, size: number, ms: number): Promise<number> {
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const [entry] = await ledger.readEntries(tenant, mid, mid + 1);
    if ((entry as StoredEntry).receivedMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function readRange(ledger: Ledger, tenant: string, start: number, end: number): Promise<StoredEntry[]> {
  const out: StoredEntry[] = [];
  for (let at = start; at < end; at += READ_CHUNK) {
    out.push(...(await ledger.readEntries(tenant, at, Math.min(end, at + READ_CHUNK))));
  }
  if (out.length !== end - start) throw new TrailproofError("STORE_NODE_MISSING", "the report's range is incomplete");
  return out;
}

/** Hashes of the perfect subtrees tiling [begin, end), from the store. */
async function tiles(ledger: Ledger, tenantId: number, begin: number, end: number): Promise<string[]> {
  const ranges = decomposeRange(BigInt(begin), BigInt(end)).map((n) => ({
    begin: n.index << BigInt(n.level),
    end: (n.index + 1n) << BigInt(n.level),
  }));
  return (await hashRangesFromStore(ledger.store, ledger.hasher, tenantId, ranges)).map(toBase64);
}

/**
 * The artifact of `def` (validated and resolved: every section has its
 * query) at `checkpoint`. Throws REPORT_RANGE_TOO_LARGE when the range holds
 * more than MAX_REPORT_ENTRIES, REPORT_RANGE_PRUNED when a body in it is pruned.
 */
export async function buildReport(
  ledger: Ledger,
  tenant: string,
  reportId: string,
  def: ReportDefinition,
  checkpoint: CheckpointRow,
  /** The bound on the range; MAX_REPORT_ENTRIES, which verifiers also hold a report to (tests lower it). */
  maxEntries = MAX_REPORT_ENTRIES,
): Promise<ReportArtifact> {
  const size = checkpoint.treeSize;
  const fromMs = Date.parse(def.period.from);
  const toMs = Date.parse(def.period.to);
  const lookbackMs = reportLookbackSeconds(def) * 1000;
  const contextStart = await firstReceivedAtOrAfter(ledger, tenant, size, fromMs - lookbackMs);
  const start = await firstReceivedAtOrAfter(ledger, tenant, size, fromMs);
  const end = await firstReceivedAtOrAfter(ledger, tenant, size, toMs);
  if (end - contextStart > Math.min(maxEntries, MAX_REPORT_ENTRIES)) {
    throw new TrailproofError(
      "REPORT_RANGE_TOO_LARGE",
      `the period (with its approval look-back) holds ${end - contextStart} entries; a report holds at most ${Math.min(maxEntries, MAX_REPORT_ENTRIES)}: split the period`,
    );
  }
  const range: ReportRange = {
    span_start: Math.max(0, contextStart - 1),
    context_start: contextStart,
    start,
    end,
    span_end: Math.min(size, end + 1),
  };
  const stored = await readRange(ledger, tenant, range.span_start, range.span_end);
  const pruned = stored.find((e) => e.leafData.length === 0);
  if (pruned) {
    throw new TrailproofError(
      "REPORT_RANGE_PRUNED",
      `entry ${pruned.index} of the period's range was pruned by retention: its leaf can no longer be shown; choose a period after it`,
    );
  }
  const leaves = stored.map((e) => fromUtf8(e.leafData));
  const entries: ReportEntry[] = stored
    .filter((e) => e.index >= contextStart && e.index < end)
    .map((e) => ({ index: e.index, event: JSON.parse(leaves[e.index - range.span_start] as string) as JsonObject }));
  const results = evaluateReport(def, range, entries, reportQueryMatcher);
  const byIndex = new Map(entries.map((e) => [e.index, e]));
  const { tenantId } = await ledger.tenantRecord(tenant);
  const events = [];
  for (const index of listedIndexes(results)) {
    const entry = stored[index - range.span_start] as StoredEntry;
    const proof = await ledger.inclusionProof(tenant, index, size);
    events.push({
      index,
      leaf_hash: toBase64(entry.leafHash),
      event: (byIndex.get(index) as ReportEntry).event,
      inclusion_proof: proof.map(toBase64),
    });
  }
  const violations = results.checks.reduce((n, c) => n + c.violations.length, 0);
  return {
    format: REPORT_FORMAT,
    report_id: reportId,
    definition: def,
    checkpoint: checkpoint.note,
    range,
    completeness: {
      left: await tiles(ledger, tenantId, 0, range.span_start),
      leaves,
      right: await tiles(ledger, tenantId, range.span_end, size),
    },
    sections: results.sections,
    checks: results.checks,
    events,
    summary: { entries: end - start, listed: events.length, violations },
  };
}

/** The artifact's bytes: RFC 8785, so the same report is the same bytes on every run. */
export function encodeReport(report: ReportArtifact): string {
  return encodeCanonicalJson(report as unknown as JsonObject);
}
