// Copies one tenant's sealed log between stores (SQLite to PostgreSQL): the
// entries with their personal values and the tree nodes as stored, the
// signed checkpoints, the action schemas and the recorded pruned ranges
// (a pruned entry's blank leaf data is copied blank). Runs again to catch up: only
// what lies beyond the target's common prefix is copied.
import {
  CompactRange,
  type Hasher,
  type NodeId,
  nodeKey,
  type StoredNode,
  TrailproofError,
  toHex,
} from "@trailproof/core";
import type {
  ActionSchemaRow,
  AppendBatch,
  CheckpointRow,
  EntryRow,
  LogStore,
  PrunedRange,
} from "../store/log-store.js";

export interface CopyLogOptions {
  /** Entries per appendBatch (one transaction on the target); default 1,000. */
  batchEntries?: number;
  onProgress?: (copied: number, total: number) => void;
  /**
   * Rewraps a subject's data key for the target (the source's master key
   * to the target's): without it wrapped keys are copied as they are, for
   * a target that will run with the same master key.
   */
  rewrapKey?: (subject: string, wrappedKey: Uint8Array) => Uint8Array;
}

export interface CopiedLog {
  /** Entries the target held before. */
  fromSize: number;
  /** Entries it holds now: the source's size when the copy started. */
  toSize: number;
  checkpointsCopied: number;
  /** Checkpoints the target holds that the source does not (a PostgreSQL node signed them): kept. */
  checkpointsOnlyInTarget: number;
  actionSchemasCopied: number;
  /** Recorded pruned ranges copied (their bodies were already blank in the source). */
  prunedRangesCopied: number;
  /** MTH of the first toSize entries, the same on both sides (checked). */
  rootHash: Uint8Array;
}

/**
 * Copies source tenant `sourceId`'s log into target tenant `targetId`.
 * Requires the target to be a prefix of the source: a target that holds
 * more entries, whose root at its own size differs from the source's, or
 * that holds another note at a checkpoint's size or another definition of
 * an action schema throws MIGRATE_DIVERGED before anything is written.
 * Entries go through the target's appendBatch, so its sequencing rules
 * hold; tree nodes are the source's stored hashes (verification on the
 * target checks them against the leaves). Never writes to the source.
 */
export async function copyTenantLog(
  source: LogStore,
  sourceId: number,
  target: LogStore,
  targetId: number,
  hasher: Hasher,
  options: CopyLogOptions = {},
): Promise<CopiedLog> {
  const batchEntries = options.batchEntries ?? 1000;
  // The source may be a live service's: everything below stops at this size.
  const toSize = await source.treeSize(sourceId);
  const fromSize = await target.treeSize(targetId);
  if (fromSize > toSize) throw diverged(`PostgreSQL holds ${fromSize} entries, the data directory ${toSize}`);
  if (fromSize > 0) {
    const [ours, theirs] = await Promise.all([
      rootAt(source, sourceId, fromSize, hasher),
      rootAt(target, targetId, fromSize, hasher),
    ]);
    if (toHex(ours) !== toHex(theirs)) {
      throw diverged(
        `the first ${fromSize} entries have root ${toHex(theirs)} in PostgreSQL, ${toHex(ours)} in SQLite`,
      );
    }
  }
  const checkpoints = await missingCheckpoints(source, sourceId, target, targetId, toSize);
  const schemas = await missingSchemas(source, sourceId, target, targetId);

  for (let start = fromSize; start < toSize; start += batchEntries) {
    const end = Math.min(toSize, start + batchEntries);
    await target.appendBatch(await readBatch(source, target, sourceId, targetId, start, end, options.rewrapKey));
    options.onProgress?.(end - fromSize, toSize - fromSize);
  }
  const [rootHash, copiedRoot] = await Promise.all([
    rootAt(source, sourceId, toSize, hasher),
    rootAt(target, targetId, toSize, hasher),
  ]);
  if (toHex(rootHash) !== toHex(copiedRoot)) {
    throw new TrailproofError(
      "MIGRATE_ROOT_MISMATCH",
      `after the copy the root at ${toSize} is ${toHex(copiedRoot)} in PostgreSQL, ${toHex(rootHash)} in SQLite`,
    );
  }
  // Checkpoints after the entries they sign, so a reader never sees one beyond the log.
  for (const cp of checkpoints.missing) await target.putCheckpoint(targetId, cp);
  for (const row of schemas) await target.putActionSchema(targetId, row);
  const pruned = await missingPrunedRanges(source, sourceId, target, targetId, toSize);
  // One call per retention.prune entry, as the prune run recorded them: on
  // the target too the ranges are recorded and what is left of their bodies
  // (copied before the source pruned them) goes in one transaction.
  for (const group of pruned.values()) await target.pruneBodies(targetId, group);
  return {
    fromSize,
    toSize,
    checkpointsCopied: checkpoints.missing.length,
    checkpointsOnlyInTarget: checkpoints.onlyInTarget,
    actionSchemasCopied: schemas.length,
    prunedRangesCopied: [...pruned.values()].reduce((n, g) => n + g.length, 0),
    rootHash,
  };
}

/** MTH(D[size]) from the stored nodes of the compact range (size 0: the empty root). */
export async function rootAt(store: LogStore, tenantId: number, size: number, hasher: Hasher): Promise<Uint8Array> {
  const ids = CompactRange.nodesFor(BigInt(size));
  const stored = await store.readNodes(tenantId, ids);
  return CompactRange.fromNodes(
    hasher,
    BigInt(size),
    ids.map((id) => storedNode(stored, id)),
  ).rootHash();
}

/** Entries start..end-1 with their personal values and every node they complete, as the source stores them. */
async function readBatch(
  source: LogStore,
  target: LogStore,
  sourceId: number,
  targetId: number,
  start: number,
  end: number,
  rewrapKey: CopyLogOptions["rewrapKey"],
): Promise<AppendBatch> {
  const [entries, disclosures] = await Promise.all([
    source.readEntries(sourceId, start, end),
    source.readDisclosureRange(sourceId, start, end),
  ]);
  if (entries.length !== end - start) {
    throw new TrailproofError("MIGRATE_SOURCE_INVALID", `entries ${start}..${end - 1} are not all in the source`);
  }
  // Sealed values are copied as they are (their AAD names the tenant and
  // index, which the copy keeps), with the keys of their subjects that the
  // target does not hold yet. An erased subject's tombstones need no key.
  const byIndex = new Map<number, EntryRow["disclosures"]>();
  for (const d of disclosures) {
    const list = byIndex.get(d.index) ?? [];
    list.push({ pointer: d.pointer, subject: d.subject, sealed: d.sealed });
    byIndex.set(d.index, list);
  }
  const subjects = [...new Set(disclosures.filter((d) => d.sealed !== null).map((d) => d.subject))];
  const [sourceKeys, targetKeys] = await Promise.all([
    source.readSubjectKeys(sourceId, subjects),
    target.readSubjectKeys(targetId, subjects),
  ]);
  const subjectKeys = [...sourceKeys.values()]
    .filter((k) => k.wrappedKey !== null && !targetKeys.has(k.subject))
    .map((k) => {
      const wrapped = k.wrappedKey as Uint8Array;
      return {
        subject: k.subject,
        wrappedKey: rewrapKey ? rewrapKey(k.subject, wrapped) : wrapped,
        createdMs: k.createdMs,
      };
    });
  const ids = completedNodes(start, end);
  const stored = await source.readNodes(sourceId, ids);
  return {
    tenantId: targetId,
    firstIndex: start,
    entries: entries.map((e) => ({ ...e, disclosures: byIndex.get(e.index) ?? [] })),
    nodes: ids.map((id) => storedNode(stored, id)),
    subjectKeys,
  };
}

/**
 * The nodes appending leaves start..end-1 completes, level 0 included: at
 * level L, the subtrees whose last leaf lies in the range.
 */
export function completedNodes(start: number, end: number): NodeId[] {
  const ids: NodeId[] = [];
  for (let level = 0; 2 ** level <= end; level++) {
    const width = 2 ** level;
    for (let i = Math.floor(start / width); i < Math.floor(end / width); i++) ids.push({ level, index: BigInt(i) });
  }
  return ids;
}

function storedNode(stored: Map<string, Uint8Array>, id: NodeId): StoredNode {
  const hash = stored.get(nodeKey(id));
  if (hash === undefined) {
    throw new TrailproofError("MIGRATE_SOURCE_INVALID", `tree node ${id.level}:${id.index} is missing from the store`);
  }
  return { ...id, hash };
}

/**
 * The source's checkpoints up to `size` the target lacks. A checkpoint
 * signed after the size was read waits for the next run; one only the
 * target holds was signed by a PostgreSQL node over the checked prefix.
 */
async function missingCheckpoints(
  source: LogStore,
  sourceId: number,
  target: LogStore,
  targetId: number,
  size: number,
): Promise<{ missing: CheckpointRow[]; onlyInTarget: number }> {
  const have = new Map((await target.listCheckpoints(targetId)).map((c) => [c.treeSize, c.note]));
  const ours = (await source.listCheckpoints(sourceId)).filter((c) => c.treeSize <= size);
  for (const cp of ours) {
    const note = have.get(cp.treeSize);
    if (note !== undefined && note !== cp.note) {
      throw diverged(`PostgreSQL holds another checkpoint note at tree size ${cp.treeSize}`);
    }
  }
  const sizes = new Set(ours.map((c) => c.treeSize));
  return {
    missing: ours.filter((c) => !have.has(c.treeSize)),
    onlyInTarget: [...have.keys()].filter((s) => !sizes.has(s)).length,
  };
}

async function missingSchemas(
  source: LogStore,
  sourceId: number,
  target: LogStore,
  targetId: number,
): Promise<ActionSchemaRow[]> {
  const key = (r: ActionSchemaRow) => `${r.action}@${r.version}`;
  const have = new Map((await target.listActionSchemas(targetId)).map((r) => [key(r), r.definition]));
  const missing: ActionSchemaRow[] = [];
  for (const row of await source.listActionSchemas(sourceId)) {
    const definition = have.get(key(row));
    if (definition === undefined) missing.push(row);
    else if (definition !== row.definition) {
      throw diverged(`PostgreSQL holds another definition of action schema ${key(row)}`);
    }
  }
  return missing;
}

/**
 * The source's pruned ranges the target lacks, by retention.prune entry,
 * among those whose entry is below `size` (a later one waits for the next
 * run). A target range the source does not hold exactly means the two
 * logs were pruned apart: MIGRATE_DIVERGED.
 */
async function missingPrunedRanges(
  source: LogStore,
  sourceId: number,
  target: LogStore,
  targetId: number,
  size: number,
): Promise<Map<number, PrunedRange[]>> {
  const key = (r: PrunedRange) => `${r.start}:${r.end}:${r.pruneIndex}`;
  const recorded = await source.readPrunedRanges(sourceId);
  const ours = new Set(recorded.map(key));
  const have = new Set<string>();
  for (const r of await target.readPrunedRanges(targetId)) {
    if (!ours.has(key(r)))
      throw diverged(`PostgreSQL records pruned range [${r.start}, ${r.end}) that SQLite does not`);
    have.add(key(r));
  }
  const missing = new Map<number, PrunedRange[]>();
  for (const r of recorded) {
    if (r.pruneIndex >= size || have.has(key(r))) continue;
    missing.set(r.pruneIndex, [...(missing.get(r.pruneIndex) ?? []), r]);
  }
  return missing;
}

function diverged(detail: string): TrailproofError {
  return new TrailproofError(
    "MIGRATE_DIVERGED",
    `${detail}: PostgreSQL is no longer a copy of this log (written to since the last copy?); nothing of this tenant was copied. Copy into an empty database instead`,
  );
}
