// Streaming verification of a whole log: recompute every leaf hash and the
// RFC 6962 root at every signed checkpoint's size, check each checkpoint's
// C2SP signature against pinned keys, and report divergences by index and
// kind. Used on a live store and on an export bundle alike, entry by entry
// (addEntry) or in batches hashed elsewhere (addHashedLeaves).
import { equalBytes } from "../bytes.js";
import { TrailproofError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { CompactRange, type StoredNode } from "../merkle/compact-range.js";
import { verifyConsistency } from "../merkle/consistency-proof.js";
import { hashLeaf } from "../merkle/rfc6962.js";
import { type Checkpoint, parseCheckpointBody, verifyCheckpoint } from "../note/checkpoint.js";
import { parseNote } from "../note/signed-note.js";
import type { NoteVerifier } from "../note/verifier-key.js";
import { LEAF_NOT_JSON, scanReceivedAt } from "./scan-leaf.js";
import { type HashedLeaves, tileLeafRange } from "./subtree-hasher.js";

/** How far back an out-of-order entry is traced. */
const RECENT_WINDOW = 1024;

export type DivergenceKind =
  | "ENTRY_MALFORMED"
  | "ENTRY_MISSING"
  | "ENTRY_OUT_OF_ORDER"
  | "LEAF_MISMATCH"
  | "NODE_MISMATCH"
  | "ROOT_MISMATCH"
  | "LOG_TRUNCATED"
  | "CHECKPOINT_INVALID"
  | "CHECKPOINT_INCONSISTENT"
  /** An entry's body is gone but no recorded prune covers it: body removed outside pruning. */
  | "BODY_REMOVED"
  /**
   * A recorded pruned range that no retention.prune entry lists exactly (prune
   * record forged), or a body still present inside a recorded range.
   */
  | "PRUNE_RECORD_FORGED"
  // What a store keeps beside the leaves, checked against the leaf it derives from:
  /**
   * A column kept beside a sealed or signed record says other than it: an
   * entry's event id or received time, a checkpoint row's size or root.
   */
  | "LOOKUP_MISMATCH"
  /** A stored personal value does not open its commitment, or has no commitment. */
  | "DISCLOSURE_MISMATCH"
  /** A search row is missing, extra, or says other than its leaf. */
  | "PROJECTION_MISMATCH"
  /** The tag index differs from the leaves' tags. */
  | "TAG_INDEX_MISMATCH"
  /** The full-text index differs from the text it indexes. */
  | "TEXT_INDEX_MISMATCH"
  /** A count or bound kept over many entries (hourly counts, time blocks) differs from the leaves. */
  | "AGGREGATE_MISMATCH"
  /** A checkpoint published earlier (given to verify) is not consistent with this log: rolled back or forked. */
  | "CHECKPOINT_ROLLBACK";

export interface Divergence {
  kind: DivergenceKind;
  /** The first entry index concerned, when one can be named. */
  index: number | null;
  message: string;
}

export interface LogVerifierOptions {
  origin: string;
  /** Pinned keys; a checkpoint counts only if one of them signed it. */
  verifiers: readonly NoteVerifier[];
  /** Signed checkpoint notes, any order. */
  checkpoints: readonly string[];
  /**
   * Checkpoints the log published earlier, kept elsewhere (files, a witness,
   * a mirror): the log must be consistent with each. Unlike the log's own
   * list, these survive the log being rolled back with its checkpoints.
   */
  published?: readonly string[];
}

export interface VerifiedCheckpoint extends Checkpoint {
  note: string;
  /** Given to the verifier as published elsewhere, not read from the log's own list. */
  published: boolean;
}

export class LogVerifier {
  readonly #hasher: Hasher;
  readonly #range: CompactRange;
  readonly #divergences: Divergence[] = [];
  readonly #checkpoints: VerifiedCheckpoint[] = [];
  #nextCheckpoint = 0;
  /** received_at of the most recent entries, to name where a moved entry belongs. */
  readonly #recentReceivedAt: string[] = [];
  /**
   * Claimed index minus position since the last sequence break: after entries
   * go missing (or repeat), the rest are compared with the shifted sequence,
   * so one gap is reported once, not once per entry after it.
   */
  #indexShift = 0;
  /** Position of the first sequence break; every recomputed hash from there on differs as a consequence. */
  #brokenFrom: number | null = null;
  /** Signed roots that differed after the first one reported: consequences, summed up in finish(). */
  #laterRootMismatches = 0;

  constructor(hasher: Hasher, options: LogVerifierOptions) {
    this.#hasher = hasher;
    this.#range = CompactRange.empty(hasher);
    for (const note of options.checkpoints) {
      const cp = this.#checkCheckpoint(note, options, false);
      if (cp) this.#checkpoints.push(cp);
    }
    for (const note of options.published ?? []) {
      const cp = this.#checkCheckpoint(note, options, true);
      if (cp) this.#checkpoints.push(cp);
    }
    this.#checkpoints.sort((a, b) => (a.treeSize < b.treeSize ? -1 : a.treeSize > b.treeSize ? 1 : 0));
    for (let i = 1; i < this.#checkpoints.length; i++) {
      const a = this.#checkpoints[i - 1] as VerifiedCheckpoint;
      const b = this.#checkpoints[i] as VerifiedCheckpoint;
      if (a.treeSize === b.treeSize && !equalBytes(a.rootHash, b.rootHash)) {
        this.#report(
          "CHECKPOINT_INCONSISTENT",
          null,
          `two signed checkpoints of size ${a.treeSize} have different roots`,
        );
      }
    }
  }

  /** Signed checkpoints that verified, by tree size. */
  get checkpoints(): readonly VerifiedCheckpoint[] {
    return this.#checkpoints;
  }

  get size(): number {
    return Number(this.#range.size);
  }

  get divergences(): readonly Divergence[] {
    return this.#divergences;
  }

  rootHash(): Uint8Array {
    return this.#range.rootHash();
  }

  /**
   * Feeds the entry at `index` (its leaf data bytes); entries MUST come in
   * the order the store holds them. Returns the recomputed nodes the entry
   * completes, its leaf hash first, so a caller can compare stored hashes.
   */
  addEntry(index: number, leafData: Uint8Array): StoredNode[] {
    const position = this.size;
    this.checkSequence(index, position);
    this.checkLeafData(position, leafData, 0, leafData.length);
    const nodes = this.#range.append(hashLeaf(this.#hasher, leafData));
    this.#checkRoots(position, () => this.#range.rootHash());
    return nodes;
  }

  /**
   * Feeds an entry whose body retention pruned: only its stored leaf hash is
   * left, so it is taken as stored and checked through what it builds (the
   * stored tree nodes above it and every signed root). Returns the nodes it
   * completes above the leaf, so a caller can compare stored hashes.
   */
  addPrunedLeaf(index: number, leafHash: Uint8Array): StoredNode[] {
    const position = this.size;
    this.checkSequence(index, position);
    const nodes = this.#range.append(leafHash).slice(1);
    this.#checkRoots(position, () => this.#range.rootHash());
    return nodes;
  }

  /**
   * Reports an entry that claims `index` but sits at `position` (the next
   * leaf of the tree being rebuilt): some entries are missing or repeated.
   */
  checkSequence(index: number, position: number): void {
    const expected = position + this.#indexShift;
    if (index === expected) return;
    this.#report(
      index > expected ? "ENTRY_MISSING" : "ENTRY_OUT_OF_ORDER",
      position,
      index > expected
        ? `entries ${expected}..${index - 1} are missing`
        : `entry ${index} appears again at position ${position}`,
    );
    this.#indexShift = index - position;
    this.#brokenFrom ??= position;
  }

  /**
   * The position of the first entry missing, repeated or out of sequence, or
   * null. Stored nodes and signed roots over it and everything after it
   * cannot match; a caller comparing them reports only what lies before.
   */
  get brokenFrom(): number | null {
    return this.#brokenFrom;
  }

  /**
   * Checks the content of the leaf at `position`, bytes[start, end): its
   * received_at is no earlier than the leaves' before it, and a leaf whose
   * bytes do not settle received_at must be JSON (scanReceivedAt says what
   * is read without JSON.parse). Call once per leaf, in position order,
   * besides addHashedLeaves for the same leaves.
   */
  checkLeafData(position: number, bytes: Uint8Array, start: number, end: number): void {
    const receivedAt = scanReceivedAt(bytes, start, end);
    if (receivedAt === LEAF_NOT_JSON) {
      this.#report("ENTRY_MALFORMED", position, `entry ${position} is not JSON`);
    } else if (receivedAt !== undefined) {
      this.#checkReceivedAt(position, receivedAt);
    }
  }

  /**
   * Appends a batch of leaves hashed by a SubtreeHasher: the next leaves of
   * the tree (batch.first MUST equal size), checking the root at every
   * signed checkpoint inside it. Returns the interior nodes completed above
   * the batch's own subtrees, bottom-up, so a caller can compare stored
   * hashes; the batch's inner nodes are batch.interiorNodes().
   */
  addHashedLeaves(batch: HashedLeaves): StoredNode[] {
    const first = this.size;
    if (batch.first !== first)
      throw new TrailproofError(
        "VERIFY_BATCH_INVALID",
        `the batch starts at ${batch.first}, the tree has ${first} leaves`,
      );
    const before = this.#range.clone();
    const merged: StoredNode[] = [];
    batch.tiles.forEach((tile, t) => {
      const created = this.#range.appendSubtree(tile.level, batch.tileRoot(t));
      for (let k = 1; k < created.length; k++) merged.push(created[k] as StoredNode);
    });
    const end = this.size;
    this.#checkRoots(first, (size) => {
      if (size === end) return this.#range.rootHash();
      // A checkpoint inside the batch: its tree is the one before the batch
      // plus subtrees that all lie inside the batch's own.
      const range = before.clone();
      for (const tile of tileLeafRange(first, size - first)) {
        range.appendSubtree(tile.level, batch.subtree(tile.level, tile.start));
      }
      return range.rootHash();
    });
    return merged;
  }

  /** Call after the last entry; returns every divergence found. */
  finish(): Divergence[] {
    if (this.#laterRootMismatches > 0) {
      const first = this.#divergences.find((d) => d.kind === "ROOT_MISMATCH");
      if (first) first.message += `; the ${this.#laterRootMismatches} signed checkpoint(s) after it differ too`;
      this.#laterRootMismatches = 0;
    }
    const size = BigInt(this.size);
    const rolledBack = this.#checkpoints.filter((c) => c.published && c.treeSize > size).at(-1);
    if (rolledBack) {
      this.#report(
        "CHECKPOINT_ROLLBACK",
        this.size,
        `the log has ${size} entries, fewer than the ${rolledBack.treeSize} of a checkpoint it published: it was rolled back`,
      );
    }
    const beyond = this.#checkpoints.filter((c) => !c.published && c.treeSize > size);
    if (beyond.length > 0) {
      const biggest = beyond[beyond.length - 1] as VerifiedCheckpoint;
      this.#report(
        "LOG_TRUNCATED",
        this.size,
        `the log has ${size} entries but a checkpoint signed ${biggest.treeSize}`,
      );
    }
    return [...this.#divergences];
  }

  /** Records a divergence found by a caller's own checks (stored hashes, for instance). */
  report(kind: DivergenceKind, index: number | null, message: string): void {
    this.#report(kind, index, message);
  }

  #report(kind: DivergenceKind, index: number | null, message: string): void {
    // Bounded: the first divergences say what happened; thousands more would not.
    if (this.#divergences.length < 100) this.#divergences.push({ kind, index, message });
  }

  #checkCheckpoint(note: string, options: LogVerifierOptions, published: boolean): VerifiedCheckpoint | undefined {
    let lastError: unknown;
    let parsed: ReturnType<typeof parseNote>;
    try {
      parsed = parseNote(note);
    } catch (err) {
      this.#report("CHECKPOINT_INVALID", null, `unparseable checkpoint: ${(err as Error).message}`);
      return undefined;
    }
    for (const verifier of options.verifiers) {
      if (!parsed.signatures.some((s) => s.name === verifier.name && s.keyHash === verifier.keyHash)) continue;
      try {
        return { ...verifyCheckpoint(note, verifier, options.origin), note, published };
      } catch (err) {
        lastError = err;
      }
    }
    const size = safeSize(parsed.text);
    const why =
      lastError instanceof TrailproofError
        ? `${lastError.code}: ${lastError.message}`
        : "NOTE_UNSIGNED: no signature by a pinned key";
    this.#report("CHECKPOINT_INVALID", null, `checkpoint of size ${size} does not verify: ${why}`);
    return undefined;
  }

  #checkReceivedAt(index: number, receivedAt: string): void {
    // The sequencer stamps received_at non-decreasing, so time going
    // backwards marks entries that were moved: name the first displaced one.
    const recent = this.#recentReceivedAt;
    const last = recent[recent.length - 1];
    if (last !== undefined && receivedAt < last) {
      let back = recent.length - 1;
      while (back > 0 && (recent[back - 1] as string) > receivedAt) back--;
      const displaced = index - (recent.length - back);
      this.#report(
        "ENTRY_OUT_OF_ORDER",
        displaced,
        `entry ${index} was received before entry ${displaced}: entries ${displaced}..${index} were reordered`,
      );
    }
    recent.push(receivedAt);
    if (recent.length > 2 * RECENT_WINDOW) recent.splice(0, RECENT_WINDOW);
  }

  /**
   * Compares the root at every signed checkpoint of a size in (from, size]
   * with `rootAt(treeSize)`; the tree now holds `size` leaves and held
   * `from` when the last check ran.
   */
  #checkRoots(from: number, rootAt: (treeSize: number) => Uint8Array): void {
    const size = this.#range.size;
    while (this.#nextCheckpoint < this.#checkpoints.length) {
      const cp = this.#checkpoints[this.#nextCheckpoint] as VerifiedCheckpoint;
      if (cp.treeSize > size) return;
      this.#nextCheckpoint++;
      if (cp.treeSize <= BigInt(from)) continue;
      if (!equalBytes(cp.rootHash, rootAt(Number(cp.treeSize)))) {
        if (cp.published) {
          this.#report(
            "CHECKPOINT_ROLLBACK",
            null,
            `the log's root at size ${cp.treeSize} differs from the checkpoint it published at that size: it was replaced or forked`,
          );
          continue;
        }
        // Every later root covers the same difference: one report says it.
        if (this.#divergences.some((d) => d.kind === "ROOT_MISMATCH")) this.#laterRootMismatches++;
        else
          this.#report("ROOT_MISMATCH", null, `the entries do not hash to the root signed at tree size ${cp.treeSize}`);
      }
    }
  }
}

/**
 * Verifies consistency between consecutive checkpoints with proofs the
 * caller supplies (a store builds them from its stored hashes, so this also
 * checks the hashes that proofs are served from).
 */
export async function checkpointChainDivergences(
  hasher: Hasher,
  checkpoints: readonly Checkpoint[],
  proof: (size1: bigint, size2: bigint) => Promise<Uint8Array[]>,
): Promise<Divergence[]> {
  const out: Divergence[] = [];
  for (let i = 1; i < checkpoints.length; i++) {
    const a = checkpoints[i - 1] as Checkpoint;
    const b = checkpoints[i] as Checkpoint;
    if (a.treeSize === 0n || a.treeSize === b.treeSize) continue;
    try {
      verifyConsistency(hasher, a.treeSize, b.treeSize, await proof(a.treeSize, b.treeSize), a.rootHash, b.rootHash);
    } catch (err) {
      out.push({
        kind: "CHECKPOINT_INCONSISTENT",
        index: Number(a.treeSize),
        message: `checkpoints ${a.treeSize} and ${b.treeSize} are not consistent: ${(err as Error).message}`,
      });
    }
  }
  return out;
}

function safeSize(text: string): string {
  try {
    return parseCheckpointBody(text).treeSize.toString();
  } catch {
    return "?";
  }
}
