// `trailproof verify --data`: recomputes every leaf from the stored events,
// every tree node and every signed root, checks each checkpoint's signature
// against keys kept outside the database, and the consistency of consecutive
// checkpoints through proofs built from the stored hashes. Everything a read
// can return beside the leaf is checked against the leaf it derives from:
// the lookup columns, the personal values (against their commitments), and
// each derived-rows audit the store hands in (the search projection, its
// full-text and tag indexes). Leaves are hashed on worker threads
// (SubtreeHashPool) while the next chunk is read, and signatures checked by
// node:crypto.
import {
  checkpointChainDivergences,
  consistencyProofRanges,
  type Divergence,
  type DivergenceKind,
  equalBytes,
  type HashedLeaves,
  type Hasher,
  HashingQueue,
  inlineSubtreeHasher,
  LeafPacker,
  LogVerifier,
  type NoteVerifier,
  nodeKey,
  parseCheckpointBody,
  parseNote,
  type StoredNode,
  type SubtreeHasher,
  TrailproofError,
} from "@trailproof/core";
import { SubjectVault } from "../privacy/subject-vault.js";
import { hashRangesFromStore } from "../prove.js";
import type { CheckpointRow, LogStore, PrunedRange, StoredLeaf } from "../store/log-store.js";
import { type CommittedEntry, type DerivedRowsAudit, parseLeaf, type ReportDivergence } from "./derived-rows.js";
import { checkContentDigests, checkDisclosures, checkLookupColumns, type DisclosureCounts } from "./entry-columns.js";
import { parseNodeVerifierKey } from "./node-note-verifier.js";
import { checkPruneRecords, PrunedRangeWalk } from "./prune-records.js";
import { SubtreeHashPool } from "./subtree-hash-pool.js";

export interface VerifyOptions {
  /** Verifier keys to trust; default: the tenant's keys from the key directory. */
  verifierKeys: readonly string[];
  /** Entries read per store round trip; default 8192 (a power of two keeps chunks whole subtrees). */
  chunkSize?: number;
  onProgress?: (verified: number, total: number) => void;
  /**
   * Where leaves and nodes are hashed. Default: worker threads for logs of
   * WORKER_THRESHOLD entries or more, started and stopped by this call;
   * this thread below that.
   */
  subtreeHasher?: SubtreeHasher;
  /** Rows the store keeps beside the leaves, each checked against the leaves (openSqliteStores().audits). */
  derived?: readonly DerivedRowsAudit[];
  /**
   * Checkpoint notes the log published earlier, kept elsewhere (files, a
   * witness, a mirror); those of this tenant's origin are used. The log
   * must be consistent with each: CHECKPOINT_ROLLBACK if it is smaller or forked.
   */
  published?: readonly string[];
  /** The tenant's idempotency digest key (keys/<tenant>/digest-key): with it, keyed digests are recomputed. */
  digestKey?: Uint8Array;
  /**
   * Opens the sealed personal values (a SubjectVault with the master key):
   * without one, or with one lacking the master key, sealed values are
   * counted as not opened and only tombstones are checked.
   */
  subjects?: SubjectVault;
}

export interface VerifyReport {
  tenant: string;
  origin: string;
  treeSize: number;
  checkpoints: number;
  ok: boolean;
  divergences: Divergence[];
  /**
   * What retention pruned, reported apart from divergences: entries whose
   * body is gone by a recorded prune, their leaf hashes still checked.
   */
  pruned: { entries: number; ranges: PrunedRange[] };
  /** Personal values erased by recorded erasures, and entries whose digest is not checkable because of one. */
  erasure: DisclosureCounts & { erasures: number };
}

/**
 * The kinds of finding about rows kept beside the leaves, as opposed to the
 * sealed record itself; verify reports them after the sealed record's.
 */
export const DERIVED_DIVERGENCE_KINDS: ReadonlySet<DivergenceKind> = new Set<DivergenceKind>([
  "LOOKUP_MISMATCH",
  "DISCLOSURE_MISMATCH",
  "PROJECTION_MISMATCH",
  "TAG_INDEX_MISMATCH",
  "TEXT_INDEX_MISMATCH",
  "AGGREGATE_MISMATCH",
]);

/** Findings about rows beside the leaves kept at most; the first say what happened. */
const MAX_DERIVED_DIVERGENCES = 100;

/** Below this many entries, starting worker threads costs more than it saves. */
const WORKER_THRESHOLD = 16_384;
/** Leaves per hashing batch: a power of two, so aligned batches are whole subtrees; small buffers fault in cheaply. */
const BATCH_LEAVES = 1024;
const BATCH_BYTES = 2 * 2 ** 20;

export async function tenantLogReport(
  store: LogStore,
  hasher: Hasher,
  tenant: string,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const record = await store.getTenant(tenant);
  if (!record) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant named ${tenant}`);
  const verifiers: NoteVerifier[] = options.verifierKeys.map((k) => parseNodeVerifierKey(hasher, k));
  const stored = await store.listCheckpoints(record.tenantId);
  const verifier = new LogVerifier(hasher, {
    origin: record.origin,
    verifiers,
    checkpoints: stored.map((c) => c.note),
    published: (options.published ?? []).filter((note) => noteOrigin(note) === record.origin),
  });
  // Rows beside the leaves are reported apart, with their own bound, so a
  // flood of them never crowds out the sealed record's findings.
  const besides: Divergence[] = [];
  const report: ReportDivergence = (kind, index, message) => {
    if (besides.length < MAX_DERIVED_DIVERGENCES) besides.push({ kind, index, message });
  };
  checkCheckpointColumns(stored, report);
  const derived = options.derived ?? [];
  // Before the size is read: what the rows cover then is within the log verified.
  for (const audit of derived) await audit.begin(record.tenantId, report);
  const total = await store.treeSize(record.tenantId);
  const subjects = options.subjects ?? new SubjectVault(store, undefined, undefined);
  const counts: DisclosureCounts = { erased: 0, sealed: 0, digestsErased: 0 };
  // erasure.complete events in the log, by erasure id: each recorded erasure must have one.
  const logged = new Set<string>();
  const chunk = options.chunkSize ?? 8192;
  // A pruned entry has no event: derived-row checks expect nothing of it.
  const parse = (leaves: readonly StoredLeaf[]): CommittedEntry[] =>
    leaves.map((l) => ({ index: l.index, event: l.leafData.length === 0 ? null : parseLeaf(l.leafData) }));
  const pool = options.subtreeHasher === undefined && total >= WORKER_THRESHOLD ? new SubtreeHashPool() : undefined;
  const subtreeHasher = options.subtreeHasher ?? pool ?? inlineSubtreeHasher(hasher);

  // Each batch's entries wait beside it: their claimed indexes, content and
  // stored leaf hashes are checked, in log order, once its nodes come back.
  const packer = new LeafPacker(BATCH_LEAVES, BATCH_BYTES);
  const queue = new HashingQueue<StoredLeaf[]>(
    subtreeHasher,
    2,
    async (batch, entries) => {
      checkEntries(verifier, batch, entries);
      const nodes = batch.interiorNodes();
      for (const n of verifier.addHashedLeaves(batch)) nodes.push(n);
      await compareStoredNodes(store, record.tenantId, nodes, verifier);
      options.onProgress?.(Math.min(batch.first + batch.count, total), total);
    },
    (bytes) => packer.recycle(bytes),
  );
  const prunes = new PrunedRangeWalk(await store.readPrunedRanges(record.tenantId));
  // Nodes above a run of pruned leaves, compared once the run ends.
  const prunedNodes: StoredNode[] = [];
  const comparePrunedNodes = async () => {
    if (prunedNodes.length === 0) return;
    await compareStoredNodes(store, record.tenantId, prunedNodes.splice(0), verifier);
  };
  try {
    let position = 0;
    for (let start = 0; start < total; start += chunk) {
      const end = Math.min(start + chunk, total);
      const entries = await store.readLeaves(record.tenantId, start, end);
      const committed = parse(entries);
      checkLookupColumns(entries, committed, report);
      const disclosures = await subjects.open(record, await store.readDisclosureRange(record.tenantId, start, end));
      checkDisclosures(hasher, committed, disclosures, report, counts);
      if (options.digestKey) checkContentDigests(hasher, options.digestKey, entries, disclosures, report, counts);
      for (const { event } of committed) {
        const id = erasureIdOf(event);
        if (id !== undefined) logged.add(id);
      }
      for (const audit of derived) await audit.checkEntries(record.tenantId, committed, report);
      let from = 0;
      const flush = async () => {
        await comparePrunedNodes();
        const count = packer.count;
        if (count === 0) return;
        await queue.push(position, packer.take(), entries.slice(from, from + count));
        position += count;
        from += count;
      };
      for (const e of entries) {
        if (e.leafData.length === 0) {
          // A pruned body: its stored leaf hash goes into the tree as it is,
          // checked by the stored nodes above it and every signed root.
          await flush();
          await queue.drain();
          if (!prunes.covers(e.index)) {
            verifier.report(
              "BODY_REMOVED",
              e.index,
              `entry ${e.index}'s body was removed outside pruning: no recorded prune covers it`,
            );
          }
          for (const n of verifier.addPrunedLeaf(e.index, e.leafHash)) prunedNodes.push(n);
          position += 1;
          from += 1;
          continue;
        }
        if (prunes.covers(e.index)) {
          verifier.report(
            "PRUNE_RECORD_FORGED",
            e.index,
            `entry ${e.index} lies in a recorded pruned range but still has its body`,
          );
        }
        if (!packer.fits(e.leafData.length) && packer.count > 0) await flush();
        packer.add(e.leafData);
      }
      await flush();
    }
    await queue.drain();
    await checkPruneRecords(store, record.tenantId, prunes.ranges, total, verifier);
    for (const audit of derived) {
      await audit.finish(
        record.tenantId,
        async (start, end) => parse(await store.readLeaves(record.tenantId, start, end)),
        report,
      );
    }
  } finally {
    await pool?.close();
  }

  const erasures = await store.listErasures(record.tenantId);
  // A key destroyed with no erasure recorded for it: its tombstones are values removed outside erasure.
  const recorded = new Set(erasures.map((e) => `${e.subject}\n${e.erasureId}`));
  for (const k of await store.listSubjectKeys(record.tenantId)) {
    if (k.wrappedKey === null && !recorded.has(`${k.subject}\n${k.erasureId}`)) {
      report(
        "DISCLOSURE_MISMATCH",
        null,
        `the data key of ${k.subject} is destroyed without a recorded erasure: disclosure removed outside erasure`,
      );
    }
  }
  for (const e of erasures) {
    if (!logged.has(e.erasureId)) {
      report(
        "DISCLOSURE_MISMATCH",
        null,
        `erasure ${e.erasureId} (${e.valuesErased} values) has no erasure.complete event in the log: disclosure removed outside erasure`,
      );
    }
  }
  const sealed = verifier.finish();
  const provable = verifier.checkpoints.filter((c) => c.treeSize <= BigInt(total));
  const chain = await checkpointChainDivergences(hasher, provable, (a, b) =>
    hashRangesFromStore(store, hasher, record.tenantId, consistencyProofRanges(a, b)).catch(() => []),
  );
  sealed.push(...chain);
  // The sealed record's findings first: a derived row that differs from a
  // tampered leaf is a consequence, and the first line should be the cause.
  const byIndex = (a: Divergence, b: Divergence) =>
    (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER);
  const divergences = [...sealed.sort(byIndex), ...besides.sort(byIndex)];
  return {
    tenant,
    origin: record.origin,
    treeSize: total,
    checkpoints: verifier.checkpoints.length,
    ok: divergences.length === 0 && verifier.checkpoints.length > 0,
    divergences,
    pruned: {
      entries: prunes.ranges.reduce((n, r) => n + (Math.min(r.end, total) - Math.min(r.start, total)), 0),
      ranges: prunes.ranges,
    },
    erasure: { ...counts, erasures: erasures.length },
  };
}

/**
 * A checkpoint row keeps its size and root beside the signed note, and reads
 * serve them: each MUST say what its note says (the note itself is checked
 * by the LogVerifier).
 */
function checkCheckpointColumns(rows: readonly CheckpointRow[], report: ReportDivergence): void {
  for (const row of rows) {
    let body: { treeSize: bigint; rootHash: Uint8Array };
    try {
      body = parseCheckpointBody(parseNote(row.note).text);
    } catch {
      continue; // an unparsable note is the LogVerifier's CHECKPOINT_INVALID
    }
    if (body.treeSize !== BigInt(row.treeSize) || !equalBytes(body.rootHash, row.rootHash)) {
      report(
        "LOOKUP_MISMATCH",
        null,
        `the checkpoint row of size ${row.treeSize} stores ${body.treeSize !== BigInt(row.treeSize) ? "another size" : "another root"} than its signed note (size ${body.treeSize}): reads serve the row`,
      );
    }
  }
}

/** Per entry, in log order: its claimed index, its content, and the leaf hash sealed for it. */
function checkEntries(verifier: LogVerifier, batch: HashedLeaves, entries: readonly StoredLeaf[]): void {
  entries.forEach((e, k) => {
    const position = batch.first + k;
    verifier.checkSequence(e.index, position);
    verifier.checkLeafData(position, e.leafData, 0, e.leafData.length);
    if (!equalBytes(batch.leafHash(k), e.leafHash)) {
      verifier.report("LEAF_MISMATCH", e.index, `entry ${e.index} does not hash to the leaf hash sealed for it`);
    }
  });
}

/**
 * Interior nodes are what proofs are served from: each must equal its
 * recomputed value. `nodes` come children before parents, so the smallest
 * differing subtree is seen first; its ancestors, or a node above an entry
 * already reported, are consequences rather than news and are not reported
 * again.
 */
async function compareStoredNodes(store: LogStore, tenantId: number, nodes: StoredNode[], verifier: LogVerifier) {
  if (nodes.length === 0) return;
  const stored = await store.readNodes(tenantId, nodes);
  // Entries the sealed record already failed at (derived-row findings are kept apart, in `besides`).
  const suspects = verifier.divergences.flatMap((d) => (d.index === null ? [] : [d.index]));
  const broken = verifier.brokenFrom;
  for (const n of nodes) {
    const h = stored.get(nodeKey(n));
    if (!h || !equalBytes(h, n.hash)) {
      const first = Number(n.index << BigInt(n.level));
      const end = first + 2 ** n.level;
      // Past a missing or repeated entry every position is shifted: not news.
      if (broken !== null && end > broken) continue;
      if (suspects.some((i) => i >= first && i < end)) continue;
      suspects.push(first);
      verifier.report(
        "NODE_MISMATCH",
        first,
        `stored tree node ${nodeKey(n)} (entries from ${first}) differs from the recomputed one`,
      );
    }
  }
}

/** The origin line of a checkpoint note (its first line). */
export function noteOrigin(note: string): string {
  return note.slice(0, Math.max(0, note.indexOf("\n")));
}

/** The erasure id an erasure.complete event records, if `event` is one. */
function erasureIdOf(event: Record<string, unknown> | null): string | undefined {
  if (event?.action !== "erasure.complete") return undefined;
  const metadata = event.metadata as Record<string, unknown> | undefined;
  return typeof metadata?.erasure_id === "string" ? metadata.erasure_id : undefined;
}
