// The static tile mirror (docs/mirror.md) as a follower of committed entries:
// a FollowerSink on the engine's LogFollower whose durable cursor is what the
// mirror directory holds, the tree size of its checkpoint. Applying a batch
// writes the hash tiles and entry bundles it completes (and, at the size of
// the checkpoint being mirrored, the partial ones); publish() then writes the
// checkpoint, last, so a reader never sees a checkpoint whose tiles are missing.
import {
  CHECKPOINT_PATH,
  encodeEntryBundle,
  encodeHashTile,
  encodeOversizeEntryLine,
  encodePrunedEntryLine,
  entryBundlePath,
  equalBytes,
  MAX_BUNDLE_ENTRY_BYTES,
  nodeKey,
  parseCheckpointBody,
  parseNote,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileId,
  TrailproofError,
  tilePath,
  tilesBetween,
  utf8,
} from "@trailproof/core";
import type { CheckpointRow, FollowerSink, LogStore, PrunedRange, StoredEntry } from "@trailproof/ledger";
import type { MirrorDirectory } from "./mirror-directory.js";

export interface MirrorCounts {
  /** Tiles and entry bundles written (existing identical ones are not counted). */
  written: number;
  /** Entries carried as pruned stand-ins. */
  pruned: number;
  /** Entries carried as oversize stand-ins. */
  oversize: number;
}

export class TileMirror implements FollowerSink {
  readonly name = "tile-mirror";
  readonly #store: LogStore;
  readonly #dir: MirrorDirectory;
  readonly #origin: string;
  /** The checkpoint being mirrored: partial tiles are written for its size only. */
  #target: CheckpointRow | undefined;
  readonly counts: MirrorCounts = { written: 0, pruned: 0, oversize: 0 };

  constructor(store: LogStore, dir: MirrorDirectory, origin: string) {
    this.#store = store;
    this.#dir = dir;
    this.#origin = origin;
  }

  /** Names the checkpoint to mirror next; its size is what the follower is then told. */
  setTarget(checkpoint: CheckpointRow): void {
    this.#target = checkpoint;
  }

  /** The tree size of the checkpoint in the directory (0 when there is none): entries below it are mirrored. */
  async covered(): Promise<number> {
    try {
      return await this.#covered();
    } catch (err) {
      this.lastFailure = err;
      throw err;
    }
  }

  async #covered(): Promise<number> {
    const note = await this.#dir.read(CHECKPOINT_PATH);
    if (note === undefined) return 0;
    const cp = parseCheckpointBody(parseNote(note).text);
    if (cp.origin !== this.#origin) {
      throw new TrailproofError(
        "MIRROR_INVALID",
        `${this.#dir.root} mirrors ${JSON.stringify(cp.origin)}, not ${JSON.stringify(this.#origin)}: use another --out`,
      );
    }
    return Number(cp.treeSize);
  }

  /** The last failure of covered() or apply(), as thrown: the follower keeps only its message. */
  lastFailure: unknown;

  async apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void> {
    try {
      await this.#apply(tenantId, entries);
      this.lastFailure = undefined;
    } catch (err) {
      this.lastFailure = err;
      throw err;
    }
  }

  async #apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void> {
    const first = entries[0];
    if (!first) return;
    if (!this.#target) throw new TrailproofError("MIRROR_INVALID", "no checkpoint named to mirror (setTarget first)");
    const start = first.index;
    const end = start + entries.length;
    const atTarget = end === this.#target.treeSize;
    // Full tiles completed by [start, end), and the partial ones only at the checkpoint's size.
    const tiles = tilesBetween(BigInt(start), BigInt(end)).filter((t) => t.width === TILE_WIDTH || atTarget);
    const pruned = tiles.some((t) => t.level === 0) ? await this.#store.readPrunedRanges(tenantId) : [];
    for (const tile of tiles) {
      if (tile.level === 0) await this.#writeLevelZero(tenantId, tile, entries, pruned);
      else await this.#writeUpper(tenantId, tile);
    }
  }

  /**
   * Writes the target checkpoint once every tile it needs is written (the
   * follower has applied up to its size). Refuses to replace the directory's
   * checkpoint by a smaller one or by another root at the same size.
   */
  async publish(): Promise<boolean> {
    const target = this.#target;
    if (!target) return false;
    const current = await this.#dir.read(CHECKPOINT_PATH);
    if (current !== undefined) {
      const cp = parseCheckpointBody(parseNote(current).text);
      if (
        cp.treeSize > BigInt(target.treeSize) ||
        (cp.treeSize === BigInt(target.treeSize) && !equalBytes(cp.rootHash, target.rootHash))
      ) {
        throw new TrailproofError(
          "MIRROR_INVALID",
          `${this.#dir.root} holds a checkpoint of size ${cp.treeSize} that the log's checkpoint of size ${target.treeSize} does not extend`,
        );
      }
      if (equalBytes(current, utf8(target.note))) return false;
    }
    await this.#dir.replace(CHECKPOINT_PATH, utf8(target.note));
    return true;
  }

  async #writeLevelZero(
    tenantId: number,
    tile: TileId,
    batch: readonly StoredEntry[],
    pruned: readonly PrunedRange[],
  ): Promise<void> {
    const from = Number(tile.index) * TILE_WIDTH;
    const to = from + tile.width;
    const batchStart = (batch[0] as StoredEntry).index;
    // The tile's entries before this batch were applied earlier: read them again.
    const before = from < batchStart ? await this.#store.readEntries(tenantId, from, batchStart) : [];
    const entries = [...before, ...batch.slice(Math.max(0, from - batchStart), to - batchStart)];
    if (entries.length !== tile.width) {
      throw new TrailproofError(
        "MIRROR_INVALID",
        `read ${entries.length} entries for ${tilePath(tile)}, not ${tile.width}`,
      );
    }
    const items = entries.map((e) => this.#bundleItem(e, pruned));
    if (await this.#dir.writeImmutable(entryBundlePath(tile.index, tile.width), encodeEntryBundle(items))) {
      this.counts.written++;
    }
    if (await this.#dir.writeImmutable(tilePath(tile), encodeHashTile(entries.map((e) => e.leafHash)))) {
      this.counts.written++;
    }
  }

  /** An entry as its bundle carries it: the leaf data, or a stand-in (docs/mirror.md). */
  #bundleItem(entry: StoredEntry, pruned: readonly PrunedRange[]): Uint8Array {
    if (entry.leafData.length === 0) {
      const range = pruned.find((r) => r.start <= entry.index && entry.index < r.end);
      // A body gone with no recorded prune is mirrored as it is (empty): verification reports it.
      if (!range) return entry.leafData;
      this.counts.pruned++;
      return utf8(
        encodePrunedEntryLine({ index: entry.index, leafHash: entry.leafHash, pruneIndex: range.pruneIndex }),
      );
    }
    if (entry.leafData.length > MAX_BUNDLE_ENTRY_BYTES) {
      this.counts.oversize++;
      return utf8(encodeOversizeEntryLine({ index: entry.index, leafHash: entry.leafHash }));
    }
    return entry.leafData;
  }

  /** A tile above level 0: hash i is the stored node over the i-th full tile below (256^level leaves). */
  async #writeUpper(tenantId: number, tile: TileId): Promise<void> {
    const level = TILE_HEIGHT * tile.level;
    const ids = Array.from({ length: tile.width }, (_, i) => ({
      level,
      index: tile.index * BigInt(TILE_WIDTH) + BigInt(i),
    }));
    const nodes = await this.#store.readNodes(tenantId, ids);
    const hashes = ids.map((id) => {
      const hash = nodes.get(nodeKey(id));
      if (!hash)
        throw new TrailproofError("MIRROR_INVALID", `the store has no node ${nodeKey(id)} for ${tilePath(tile)}`);
      return hash;
    });
    if (await this.#dir.writeImmutable(tilePath(tile), encodeHashTile(hashes))) this.counts.written++;
  }
}
