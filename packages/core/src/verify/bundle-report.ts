// Offline verification of an export bundle (see bundle-format.ts) with no
// database: every line is hashed, every root at a signed checkpoint is
// recomputed, every signature checked, and what diverges is reported (named
// for the report they return: they throw only for a bundle they cannot read). Keys come from the caller when pinned;
// keys read from the bundle itself only prove the bundle is self-consistent.
// A pruned entry's stand-in (format v2) enters the tree by its leaf hash and
// is reported apart from divergences (bundle-pruned-entries.ts).
import { concatBytes, fromUtf8, utf8 } from "../bytes.js";
import { InvalidInputError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { type NoteVerifier, parseVerifierKey } from "../note/verifier-key.js";
import { BUNDLE_FORMAT, BUNDLE_FORMAT_V1, type BundleHeader } from "./bundle-format.js";
import { BundlePrunedCheck, type BundlePrunedEntries } from "./bundle-pruned-entries.js";
import { HashingQueue } from "./hashing-queue.js";
import { type Divergence, LogVerifier } from "./log-verifier.js";
import { LeafPacker } from "./packed-leaves.js";
import { hasPrunedEntryPrefix, parsePrunedEntryLine } from "./pruned-entry-line.js";
import { hashSubtreesOfLeafHashes, inlineSubtreeHasher, type SubtreeHasher } from "./subtree-hasher.js";

export type { BundlePrunedEntries } from "./bundle-pruned-entries.js";

export interface BundleReport {
  tenant: string;
  origin: string;
  treeSize: number;
  checkpoints: number;
  /** True when the caller pinned the keys; false when the bundle's own keys were used. */
  keysPinned: boolean;
  ok: boolean;
  divergences: Divergence[];
  /** Entries whose bodies retention pruned, served as stand-ins (format v2): not divergences. */
  pruned: BundlePrunedEntries;
}

export interface BundleReportOptions {
  verifierKeys?: readonly string[];
  onProgress?: (verified: number, total: number) => void;
  /** Where leaves are hashed; default: on this thread with `hasher`. A server passes worker threads. */
  subtreeHasher?: SubtreeHasher;
  /** Parses each verifier key; default core's parseVerifierKey. A server passes one backed by native Ed25519. */
  parseVerifierKey?: (verifierKey: string) => NoteVerifier;
  /** Batches in flight to subtreeHasher while the next is read; default 3 (enough to keep two workers busy). */
  batchesInFlight?: number;
}

/**
 * Entries per batch: a power of two, so batches are whole subtrees. Small
 * enough that the few buffers in flight stay cheap to fault in (measured:
 * 8 MiB batches spent more time in first-touch page faults than in copying).
 */
const BATCH_LEAVES = 1024;
const BATCH_BYTES = 2 * 2 ** 20;
const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * The report on a bundle; `lines` yields its lines without their newline.
 * Divergences are in the report (check `ok`); throws BUNDLE_MALFORMED on bad
 * structure, never a raw SyntaxError or TypeError: every line is untrusted.
 */
export async function bundleReport(
  hasher: Hasher,
  lines: AsyncIterable<string>,
  options: BundleReportOptions = {},
): Promise<BundleReport> {
  const bundle = new BundleVerification(hasher, options);
  for await (const line of lines) {
    if (!bundle.wantsEntries) bundle.headerLine(line);
    else {
      const pending = bundle.entry(utf8(line));
      if (pending) await pending;
    }
  }
  return bundle.finish();
}

/**
 * `chunks` yields the bundle file's bytes, split anywhere: lines are found
 * here, with no string per entry. Throws BUNDLE_MALFORMED on bad structure.
 */
export async function bundleReportFromBytes(
  hasher: Hasher,
  chunks: AsyncIterable<Uint8Array>,
  options: BundleReportOptions = {},
): Promise<BundleReport> {
  const bundle = new BundleVerification(hasher, options);
  /** The start of a line split across chunks. */
  let partial: Uint8Array[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for await (const bytes of chunks) {
    // A plain view: Node's Buffer makes every subarray and indexOf slower.
    const chunk = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let start = 0;
    const first = chunk.indexOf(NEWLINE);
    if (partial.length > 0 && first >= 0) {
      partial.push(chunk.subarray(0, first));
      const joined = concatBytes(...partial);
      partial = [];
      await bundle.lines(joined, [0], [lineEnd(joined, 0, joined.length)]);
      start = first + 1;
    }
    starts.length = 0;
    ends.length = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
      starts.push(start);
      ends.push(lineEnd(chunk, start, nl));
      start = nl + 1;
    }
    await bundle.lines(chunk, starts, ends);
    // Kept by copy: a stream may reuse its chunk's memory once we ask for the next.
    if (start < chunk.length) partial.push(chunk.slice(start));
  }
  if (partial.length > 0) {
    const joined = concatBytes(...partial);
    await bundle.lines(joined, [0], [lineEnd(joined, 0, joined.length)]);
  }
  return bundle.finish();
}

/** Where the line bytes[start, newline) ends: CRLF reads as LF, as readline reads it. */
function lineEnd(bytes: Uint8Array, start: number, newline: number): number {
  return newline > start && bytes[newline - 1] === CR ? newline - 1 : newline;
}

/**
 * One bundle being read: header, checkpoint lines, then entries in batches.
 * Leaf data goes to the packer, stand-ins' leaf hashes to #prunedHashes; at
 * most one of the two holds anything, so batches reach the queue in order.
 */
class BundleVerification {
  readonly #hasher: Hasher;
  readonly #options: BundleReportOptions;
  #header: BundleHeader | undefined;
  readonly #notes: string[] = [];
  #verifier: LogVerifier | undefined;
  #keysPinned = false;
  #queue: HashingQueue<undefined> | undefined;
  readonly #packer = new LeafPacker(BATCH_LEAVES, BATCH_BYTES);
  /** Leaf hashes of the stand-ins after the last dispatched entry. */
  #prunedHashes: Uint8Array[] = [];
  readonly #pruned = new BundlePrunedCheck();
  /** Whether entry lines may be stand-ins (format v2). */
  #standIns = false;
  /** Entry lines read so far. */
  #entries = 0;
  /** Entries already handed to the queue. */
  #dispatched = 0;
  #lastProgress = 0;

  constructor(hasher: Hasher, options: BundleReportOptions) {
    this.#hasher = hasher;
    this.#options = options;
  }

  get wantsEntries(): boolean {
    return this.#verifier !== undefined;
  }

  headerLine(line: string): void {
    if (!this.#header) {
      this.#header = parseHeader(line);
      this.#standIns = this.#header.format === BUNDLE_FORMAT;
      if (this.#header.checkpoints <= 0) this.#start(this.#header);
      return;
    }
    let parsed: { checkpoint?: unknown };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      throw malformed(`checkpoint line ${this.#notes.length} is not JSON`);
    }
    if (typeof parsed?.checkpoint !== "string")
      throw malformed(`checkpoint line ${this.#notes.length} has no checkpoint`);
    this.#notes.push(parsed.checkpoint);
    if (this.#notes.length === this.#header.checkpoints) this.#start(this.#header);
  }

  /**
   * The next entry line, bytes[start, end). Requires wantsEntries. Returns a
   * promise, to await before reading on, only when a batch went to the
   * hasher first: most lines cost no promise at all.
   */
  entry(bytes: Uint8Array, start = 0, end = bytes.length): Promise<void> | undefined {
    if (this.#isStandIn(bytes, start, end)) return this.#standIn(bytes, start, end);
    this.#checkLeaf(bytes, start, end);
    if (this.#prunedHashes.length === 0 && (this.#packer.fits(end - start) || this.#packer.count === 0)) {
      this.#packer.add(bytes, start, end);
      return undefined;
    }
    return this.#flush().then(() => this.#packer.add(bytes, start, end));
  }

  /** The next lines, bytes[starts[k], ends[k]), header and checkpoint lines first. */
  async lines(bytes: Uint8Array, starts: readonly number[], ends: readonly number[]): Promise<void> {
    let k = 0;
    for (; k < starts.length && !this.wantsEntries; k++) {
      this.headerLine(decodeLine(bytes.subarray(starts[k] as number, ends[k] as number)));
    }
    if (!this.wantsEntries) return;
    while (k < starts.length) {
      // The run of leaf data up to the next stand-in, packed as whole runs.
      let s = k;
      for (; s < starts.length; s++) {
        if (this.#isStandIn(bytes, starts[s] as number, ends[s] as number)) break;
        this.#checkLeaf(bytes, starts[s] as number, ends[s] as number);
      }
      if (s > k && this.#prunedHashes.length > 0) await this.#flush();
      while (k < s) {
        k += this.#packer.addRun(bytes, starts, ends, k, s);
        if (k < s) await this.#flush();
      }
      if (s < starts.length) {
        await this.#standIn(bytes, starts[s] as number, ends[s] as number);
        k = s + 1;
      }
    }
  }

  async finish(): Promise<BundleReport> {
    const header = this.#header;
    if (!header) throw malformed("the bundle ends before its header");
    if (!this.#verifier) throw malformed(`the bundle ends before checkpoint ${this.#notes.length}`);
    await this.#flush();
    await this.#queue?.drain();
    const verifier = this.#verifier;
    const index = this.#entries;
    this.#options.onProgress?.(index, header.tree_size);
    if (index !== header.tree_size) {
      verifier.report(
        "LOG_TRUNCATED",
        Math.min(index, header.tree_size),
        `the header announces ${header.tree_size} entries, the bundle has ${index}`,
      );
    }
    const pruned = this.#pruned.finish(index, verifier);
    const divergences = verifier.finish();
    return {
      tenant: header.tenant,
      origin: header.origin,
      treeSize: index,
      checkpoints: verifier.checkpoints.length,
      keysPinned: this.#keysPinned,
      ok: divergences.length === 0 && verifier.checkpoints.length > 0,
      divergences,
      pruned,
    };
  }

  #isStandIn(bytes: Uint8Array, start: number, end: number): boolean {
    return this.#standIns && hasPrunedEntryPrefix(bytes, start, end);
  }

  /** Checks leaf data at the next position (its hash is computed in batches). */
  #checkLeaf(bytes: Uint8Array, start: number, end: number): void {
    const position = this.#entries++;
    (this.#verifier as LogVerifier).checkLeafData(position, bytes, start, end);
    if (this.#pruned.wants(position)) this.#pruned.listing(position, bytes, start, end);
  }

  /** A line with a stand-in's prefix at the next position. */
  async #standIn(bytes: Uint8Array, start: number, end: number): Promise<void> {
    const verifier = this.#verifier as LogVerifier;
    const entry = parsePrunedEntryLine(bytes, start, end);
    if (!entry) {
      // Hashed as it is, so no root covers it either.
      verifier.report("ENTRY_MALFORMED", this.#entries, `entry ${this.#entries} is not a valid pruned entry`);
      this.#checkLeaf(bytes, start, end);
      if (this.#prunedHashes.length > 0 || !this.#packer.fits(end - start)) await this.#flush();
      this.#packer.add(bytes, start, end);
      return;
    }
    this.#pruned.standIn(this.#entries++, entry, verifier);
    if (this.#packer.count > 0) await this.#flush();
    this.#prunedHashes.push(entry.leafHash);
    if (this.#prunedHashes.length >= BATCH_LEAVES) await this.#flush();
  }

  #start(header: BundleHeader): void {
    const pinned = this.#options.verifierKeys;
    this.#keysPinned = pinned !== undefined && pinned.length > 0;
    const keys = this.#keysPinned ? (pinned as readonly string[]) : header.verifier_keys.map((k) => k.verifier_key);
    const parseKey = this.#options.parseVerifierKey ?? ((k: string) => parseVerifierKey(this.#hasher, k));
    const verifier = new LogVerifier(this.#hasher, {
      origin: header.origin,
      verifiers: keys.map(parseKey),
      checkpoints: this.#notes,
    });
    this.#verifier = verifier;
    this.#queue = new HashingQueue(
      this.#options.subtreeHasher ?? inlineSubtreeHasher(this.#hasher),
      this.#options.batchesInFlight ?? 3,
      (batch) => {
        verifier.addHashedLeaves(batch);
        const done = batch.first + batch.count;
        if (done - this.#lastProgress >= 10_000) {
          this.#lastProgress = done;
          this.#options.onProgress?.(done, header.tree_size);
        }
      },
      (bytes) => this.#packer.recycle(bytes),
    );
  }

  /** Hands what is waiting, leaf data or stand-ins' leaf hashes, to the queue. */
  async #flush(): Promise<void> {
    const queue = this.#queue as HashingQueue<undefined>;
    const count = this.#packer.count;
    if (count > 0) {
      const first = this.#dispatched;
      this.#dispatched += count;
      await queue.push(first, this.#packer.take(), undefined);
    }
    const hashes = this.#prunedHashes;
    if (hashes.length > 0) {
      this.#prunedHashes = [];
      const first = this.#dispatched;
      this.#dispatched += hashes.length;
      await queue.pushHashed(first, hashes.length, hashSubtreesOfLeafHashes(this.#hasher, first, hashes), undefined);
    }
  }
}

function parseHeader(line: string): BundleHeader {
  let h: Partial<BundleHeader> | null;
  try {
    h = JSON.parse(line) as Partial<BundleHeader> | null;
  } catch {
    throw malformed("the header is not JSON");
  }
  if (h?.format !== BUNDLE_FORMAT && h?.format !== BUNDLE_FORMAT_V1)
    throw malformed(`not a ${BUNDLE_FORMAT} (or ${BUNDLE_FORMAT_V1}) bundle`);
  if (typeof h.origin !== "string" || typeof h.tenant !== "string")
    throw malformed("the header lacks origin or tenant");
  if (!isCount(h.tree_size) || !isCount(h.checkpoints)) throw malformed("bad counts in header");
  if (!Array.isArray(h.verifier_keys)) throw malformed("the header lacks verifier_keys");
  const keys: unknown[] = h.verifier_keys;
  const bad = keys.findIndex((k) => typeof (k as { verifier_key?: unknown } | null)?.verifier_key !== "string");
  if (bad >= 0) throw malformed(`verifier_keys[${bad}] has no verifier_key string`);
  return h as BundleHeader;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function decodeLine(bytes: Uint8Array): string {
  try {
    return fromUtf8(bytes);
  } catch {
    throw malformed("a header or checkpoint line is not UTF-8");
  }
}

function malformed(message: string): InvalidInputError {
  return new InvalidInputError("BUNDLE_MALFORMED", message);
}
