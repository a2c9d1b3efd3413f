// The scheduled self-check: every interval, each tenant's log is checked
// again where it grew, and a random sample of older entries is proven
// against the newest signed checkpoint. New entries are hashed into the
// tree's right edge (a compact range) carried from the previous check, so
// a check reads each entry once and ends with the same root the signed
// checkpoint names, or fails. The result is an `integrity.check` event in
// the tenant's own log, which also carries the next check's starting point
// (size, root and right edge): the log itself is the durable cursor. A
// failure is logged as an error, counted in /metrics, and recorded as a
// critical event. `trailproof verify` remains the whole check.
import { randomInt } from "node:crypto";
import {
  CompactRange,
  fromBase64,
  hashLeaf,
  parseVerifierKey,
  type StoredNode,
  toBase64,
  verifyCheckpoint,
  verifyInclusion,
} from "@trailproof/core";
import { type Ledger, nodeHasher } from "@trailproof/ledger";
import { META_AUDIT_APPENDER } from "../audit/meta-audit.js";

/** Older entries proven against the newest checkpoint, per tenant and check. */
export const SAMPLE_SIZE = 32;
/** Entries read per store round trip. */
const CHUNK = 2048;

/** Where the previous check ended: the size it checked, that tree's root, and its right edge. */
export interface CheckPoint {
  size: number;
  rootHash: string;
  range: { level: number; index: string; hash: string }[];
}

export interface SelfCheckResult {
  tenant: string;
  ok: boolean;
  /** The signed checkpoint checked against. */
  checkpointSize: number;
  /** Entries hashed for the first time by the self-check. */
  newEntries: number;
  sampled: number;
  failures: string[];
  next: CheckPoint;
}

/** Checks one tenant from `from` (the previous check's end, or none) to its newest signed checkpoint. */
export async function selfCheckTenant(
  ledger: Ledger,
  tenant: string,
  from: CheckPoint | undefined,
  sampleSize = SAMPLE_SIZE,
): Promise<SelfCheckResult> {
  const failures: string[] = [];
  const record = await ledger.tenantRecord(tenant);
  const latest = await ledger.latestCheckpoint(tenant);
  const verifiers = (await ledger.verifierKeys(tenant)).map((k) => parseVerifierKey(nodeHasher, k.verifier_key));
  const signed = verifiers.some((v) => {
    try {
      verifyCheckpoint(latest.note, v, record.origin);
      return true;
    } catch {
      return false;
    }
  });
  if (!signed) failures.push(`the checkpoint at size ${latest.treeSize} is not signed by any of the log's keys`);
  const size = latest.treeSize;

  let range = CompactRange.empty(nodeHasher);
  if (from !== undefined && from.size <= size) {
    range = CompactRange.fromNodes(
      nodeHasher,
      BigInt(from.size),
      from.range.map((n) => ({ level: n.level, index: BigInt(n.index), hash: fromBase64(n.hash) })),
    );
    if (toBase64(range.rootHash()) !== from.rootHash)
      failures.push(`the carried right edge at ${from.size} is not its root`);
  } else if (from !== undefined) {
    failures.push(`the log's newest checkpoint (${size}) is smaller than the ${from.size} entries checked before`);
  }
  const start = Number(range.size);
  for (let lo = start; lo < size; lo += CHUNK) {
    const entries = await ledger.readEntries(tenant, lo, Math.min(size, lo + CHUNK));
    for (const entry of entries) range.append(leafHashOf(entry));
  }
  if (Number(range.size) === size && toBase64(range.rootHash()) !== toBase64(latest.rootHash)) {
    failures.push(`entries ${start}..${size - 1} do not hash to the root of the checkpoint at size ${size}`);
  }

  let sampled = 0;
  if (start > 0) {
    for (let i = 0; i < Math.min(sampleSize, start); i++) {
      const index = randomInt(start);
      const [entry] = await ledger.readEntries(tenant, index, index + 1);
      if (entry === undefined) {
        failures.push(`entry ${index} is missing`);
        continue;
      }
      try {
        const proof = await ledger.inclusionProof(tenant, index, size);
        verifyInclusion(nodeHasher, index, size, leafHashOf(entry), proof, latest.rootHash);
      } catch {
        failures.push(`entry ${index} is not proven in the checkpoint at size ${size}`);
      }
      sampled += 1;
    }
  }
  const next: CheckPoint = {
    size: Number(range.size),
    rootHash: toBase64(range.rootHash()),
    range: range.nodes().map((n: StoredNode) => ({ level: n.level, index: String(n.index), hash: toBase64(n.hash) })),
  };
  return { tenant, ok: failures.length === 0, checkpointSize: size, newEntries: size - start, sampled, failures, next };
}

/**
 * The leaf hash an entry is checked by: recomputed from its body, or, for a
 * body retention pruned (zero bytes), the stored hash, which the root of the
 * signed checkpoint still checks.
 */
function leafHashOf(entry: { leafData: Uint8Array; leafHash: Uint8Array }): Uint8Array {
  return entry.leafData.length === 0 ? entry.leafHash : hashLeaf(nodeHasher, entry.leafData);
}

/** The starting point an `integrity.check` entry's leaf (as a search returned it) recorded. */
export function checkPointOf(leafData: Uint8Array): CheckPoint | undefined {
  const event = JSON.parse(new TextDecoder().decode(leafData)) as {
    action?: string;
    metadata?: { next?: CheckPoint };
  };
  return event.action === "integrity.check" ? event.metadata?.next : undefined;
}

/**
 * Records a check in the tenant's log: `integrity.check`, critical when it
 * failed, with the first 20 failures and their total, and the interval (so a
 * reader can tell a check is overdue).
 */
export async function recordSelfCheck(
  ledger: Ledger,
  result: SelfCheckResult,
  intervalMs: number,
): Promise<number | undefined> {
  const [appended] = await ledger.append(
    result.tenant,
    [
      {
        action: "integrity.check",
        occurred_at: new Date().toISOString(),
        actor: { type: "system", id: "self-check" },
        target: { type: "log", id: result.tenant },
        outcome: { status: result.ok ? "success" : "failure" },
        ...(result.ok ? {} : { risk: "critical" }),
        metadata: {
          checkpoint_size: result.checkpointSize,
          new_entries: result.newEntries,
          sampled: result.sampled,
          failures: result.failures.slice(0, 20),
          failures_total: result.failures.length,
          interval_ms: intervalMs,
          next: result.next as unknown as Record<string, unknown>,
        },
      },
    ],
    { appendedBy: META_AUDIT_APPENDER, serviceRecord: true },
  );
  return appended?.status === "created" ? appended.index : undefined;
}
