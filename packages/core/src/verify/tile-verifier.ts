// Verifies a C2SP tlog-tiles copy of a log (a `trailproof mirror` directory or
// its URL): the checkpoint's signature by a pinned key; every entry in every
// entry bundle rehashed (RFC 6962 leaf hash) against its level-0 tile; every
// higher tile rebuilt from the full tiles below it; the root rebuilt from the
// leaves and compared with the checkpoint; and, for checkpoints seen before,
// that the copy's tree of their size has their root (it only grew).
import { equalBytes, fromUtf8, toBase64 } from "../bytes.js";
import { InvalidInputError, VerificationError } from "../errors.js";
import { type Hasher, portableHasher } from "../hasher.js";
import { CompactRange } from "../merkle/compact-range.js";
import { hashLeaf } from "../merkle/rfc6962.js";
import { parseCheckpointBody } from "../note/checkpoint.js";
import { verifyNote } from "../note/signed-note.js";
import { parseEntryBundle } from "../tiles/entry-bundle.js";
import { fullTileRoot, parseHashTile } from "../tiles/hash-tile.js";
import { hasOversizeEntryPrefix, parseOversizeEntryLine } from "../tiles/oversize-entry-line.js";
import { fullTileCount, partialTile, tileLevels } from "../tiles/tile-layout.js";
import { CHECKPOINT_PATH, entryBundlePath, TILE_WIDTH, type TileId, tilePath } from "../tiles/tile-path.js";
import { firstUnlisted, rangesOfPruneEvent } from "./prune-listing.js";
import { hasPrunedEntryPrefix, parsePrunedEntryLine } from "./pruned-entry-line.js";
import { verifyCheckpointByAny } from "./signed-by-any.js";
import type { TileReader } from "./tile-reader.js";

export interface TileVerifyOptions {
  /** Verifier keys pinned by the reader; the checkpoint MUST be signed by one. */
  verifierKeys: readonly string[];
  /** Signed checkpoints seen before: each MUST be signed by the same key and be a prefix of this tree. */
  previous?: readonly string[];
  hasher?: Hasher;
  /** Called after each level-0 tile with the entries checked so far. */
  onProgress?: (entries: number, treeSize: number) => void;
}

export interface TileVerifyReport {
  origin: string;
  treeSize: number;
  rootHash: string;
  /** Entries whose body retention pruned: their leaf hashes are checked, their bodies are not in the copy. */
  prunedEntries: number;
  /** Entries over 65,535 bytes, carried as stand-ins: leaf hash checked, body not in the copy. */
  oversizeEntries: number[];
  /** Sizes of the earlier checkpoints this tree was shown to extend. */
  consistentWith: number[];
}

interface PendingStandIn {
  index: number;
  pruneIndex: number;
}

/** Throws (VerificationError or InvalidInputError, with a code) at the first thing that does not verify. */
export async function verifyTiles(reader: TileReader, options: TileVerifyOptions): Promise<TileVerifyReport> {
  const hasher = options.hasher ?? portableHasher;
  const note = await readRequired(reader, CHECKPOINT_PATH, "CHECKPOINT_MISSING");
  const { checkpoint, verifier } = verifyCheckpointByAny(hasher, decodeNote(note), options.verifierKeys);
  const size = checkpoint.treeSize;
  const earlier = new Map<bigint, Uint8Array>();
  for (const text of options.previous ?? []) {
    const cp = parseCheckpointBody(verifyNote(text, verifier).text);
    if (cp.origin !== checkpoint.origin) {
      throw new VerificationError("CHECKPOINT_ORIGIN_MISMATCH", `an earlier checkpoint is for ${cp.origin}`);
    }
    if (cp.treeSize > size) {
      throw new VerificationError(
        "LOG_ROLLED_BACK",
        `the copy's checkpoint has ${size} entries, fewer than the ${cp.treeSize} of an earlier checkpoint`,
      );
    }
    const seen = earlier.get(cp.treeSize);
    if (seen && !equalBytes(seen, cp.rootHash)) {
      throw new VerificationError("PROOF_ROOT_MISMATCH", `two earlier checkpoints of size ${cp.treeSize} differ`);
    }
    earlier.set(cp.treeSize, cp.rootHash);
  }

  const range = CompactRange.empty(hasher);
  const consistentWith: number[] = [];
  const checkEarlier = () => {
    const root = earlier.get(range.size);
    if (!root) return;
    if (!equalBytes(root, range.rootHash())) {
      throw new VerificationError(
        "PROOF_ROOT_MISMATCH",
        `the copy's first ${range.size} entries do not have the root of the earlier checkpoint of that size: the log forked`,
      );
    }
    consistentWith.push(Number(range.size));
  };
  checkEarlier();

  // Level 0: every entry rehashed against its tile; full tiles' roots feed level 1.
  const standIns: PendingStandIn[] = [];
  const wantedPrunes = new Set<number>();
  const pruneRanges = new Map<number, [number, number][]>();
  const oversizeEntries: number[] = [];
  let below: Uint8Array[] = [];
  for await (const { tile, tileBytes, bundleBytes } of levelZeroReads(reader, size)) {
    const path = tilePath(tile);
    const hashes = parseHashTile(tileBytes, tile.width, path);
    const bundlePath = entryBundlePath(tile.index, tile.width);
    const entries = parseEntryBundle(bundleBytes, tile.width, bundlePath);
    entries.forEach((bytes, i) => {
      const index = Number(tile.index) * TILE_WIDTH + i;
      const expected = hashes[i] as Uint8Array;
      const where = `entry ${index} (${bundlePath})`;
      if (hasPrunedEntryPrefix(bytes)) {
        const standIn = parsePrunedEntryLine(bytes);
        if (!standIn || standIn.index !== index) throw tileInvalid(`${where} is a malformed pruned stand-in`);
        if (!equalBytes(standIn.leafHash, expected))
          throw tileInvalid(`${where}: stand-in leaf hash is not the tile's`);
        if (standIn.pruneIndex <= index || BigInt(standIn.pruneIndex) >= size) {
          throw tileInvalid(`${where}: its retention.prune entry ${standIn.pruneIndex} is not after it in this tree`);
        }
        standIns.push({ index, pruneIndex: standIn.pruneIndex });
        wantedPrunes.add(standIn.pruneIndex);
      } else if (hasOversizeEntryPrefix(bytes)) {
        const standIn = parseOversizeEntryLine(bytes);
        if (!standIn || standIn.index !== index) throw tileInvalid(`${where} is a malformed oversize stand-in`);
        if (!equalBytes(standIn.leafHash, expected))
          throw tileInvalid(`${where}: stand-in leaf hash is not the tile's`);
        oversizeEntries.push(index);
      } else {
        if (!equalBytes(hashLeaf(hasher, bytes), expected)) {
          throw tileInvalid(`${where} does not hash to its leaf hash in ${path}`);
        }
        if (wantedPrunes.has(index)) pruneRanges.set(index, rangesOfPruneEvent(parseObject(bytes)) ?? []);
      }
      range.append(expected);
      checkEarlier();
    });
    if (tile.width === TILE_WIDTH) below.push(fullTileRoot(hasher, hashes));
    options.onProgress?.(Number(range.size), Number(size));
  }

  // Levels above: each hash is the root of a full tile below, recomputed here.
  for (let level = 1; level < tileLevels(size); level++) {
    const next: Uint8Array[] = [];
    for (const tile of tilesAt(size, level)) {
      const path = tilePath(tile);
      const hashes = parseHashTile(await readRequired(reader, path, "MIRROR_INVALID"), tile.width, path);
      hashes.forEach((h, i) => {
        const expected = below[Number(tile.index) * TILE_WIDTH + i];
        if (!expected || !equalBytes(h, expected)) {
          throw tileInvalid(`${path} hash ${i} is not the root of the full tile below it`);
        }
      });
      if (tile.width === TILE_WIDTH) next.push(fullTileRoot(hasher, hashes));
    }
    below = next;
  }

  if (!equalBytes(range.rootHash(), checkpoint.rootHash)) {
    throw new VerificationError("PROOF_ROOT_MISMATCH", `the tiles' root is not the checkpoint's root hash`);
  }
  for (const s of standIns) {
    const listed = pruneRanges.get(s.pruneIndex);
    if (!listed || firstUnlisted(listed, s.index, s.index + 1) === s.index) {
      throw tileInvalid(
        `entry ${s.index} is a pruned stand-in, but entry ${s.pruneIndex} is not a retention.prune entry listing it`,
      );
    }
  }
  return {
    origin: checkpoint.origin,
    treeSize: Number(size),
    rootHash: toBase64(checkpoint.rootHash),
    prunedEntries: standIns.length,
    oversizeEntries,
    consistentWith,
  };
}

/** How many level-0 tiles (with their bundles) are read ahead of the one being hashed. */
const READ_AHEAD = 4;

interface LevelZeroRead {
  tile: TileId;
  tileBytes: Uint8Array;
  bundleBytes: Uint8Array;
}

/**
 * Each level-0 tile with its entry bundle, in order, a few read ahead: over
 * HTTP the round trips overlap the hashing. A read that fails rejects when
 * its turn comes; the ones ahead of a failure are left to settle unobserved.
 */
async function* levelZeroReads(reader: TileReader, size: bigint): AsyncGenerator<LevelZeroRead> {
  const read = (tile: TileId): Promise<LevelZeroRead> =>
    Promise.all([
      readRequired(reader, tilePath(tile), "MIRROR_INVALID"),
      readRequired(reader, entryBundlePath(tile.index, tile.width), "MIRROR_INVALID"),
    ]).then(([tileBytes, bundleBytes]) => ({ tile, tileBytes, bundleBytes }));
  const tiles = tilesAt(size, 0);
  const pending: Promise<LevelZeroRead>[] = [];
  const fill = () => {
    while (pending.length < READ_AHEAD) {
      const next = tiles.next();
      if (next.done) return;
      const p = read(next.value);
      // Observed when its turn comes; never an unhandled rejection if verification stops first.
      p.catch(() => undefined);
      pending.push(p);
    }
  };
  fill();
  while (pending.length > 0) {
    const head = pending.shift() as Promise<LevelZeroRead>;
    fill();
    yield await head;
  }
}

/** The tiles of `level` in a tree of `size`: its full tiles, then its partial one. */
function* tilesAt(size: bigint, level: number): Generator<TileId> {
  const full = fullTileCount(size, level);
  for (let n = 0n; n < full; n++) yield { level, index: n, width: TILE_WIDTH };
  const partial = partialTile(size, level);
  if (partial) yield partial;
}

async function readRequired(
  reader: TileReader,
  path: string,
  code: "CHECKPOINT_MISSING" | "MIRROR_INVALID",
): Promise<Uint8Array> {
  const bytes = await reader.read(path);
  if (bytes === undefined) throw new VerificationError(code, `${reader.where} has no ${path}`);
  return bytes;
}

function decodeNote(bytes: Uint8Array): string {
  try {
    return fromUtf8(bytes);
  } catch {
    throw new InvalidInputError("NOTE_MALFORMED", "the checkpoint is not UTF-8");
  }
}

function parseObject(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(fromUtf8(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function tileInvalid(message: string): VerificationError {
  return new VerificationError("TILE_INVALID", message);
}
