// Which tiles a tree of a given size has (C2SP tlog-tiles, "Merkle Tree" and
// "Partial Tiles"): at level l, floor(s / 256^(l+1)) full tiles and, when
// floor(s / 256^l) mod 256 is not 0, one partial tile of that width.
import { TILE_HEIGHT, TILE_WIDTH, type TileId } from "./tile-path.js";

const WIDTH = BigInt(TILE_WIDTH);

/** Leaves a tile of `level` spans per hash: 256^level. */
export function leavesPerHash(level: number): bigint {
  return 1n << BigInt(TILE_HEIGHT * level);
}

/** Full tiles at `level` in a tree of `size`. */
export function fullTileCount(size: bigint, level: number): bigint {
  return size / (leavesPerHash(level) * WIDTH);
}

/** The partial tile at `level` of a tree of `size`, or undefined when that level has none. */
export function partialTile(size: bigint, level: number): TileId | undefined {
  const width = Number((size / leavesPerHash(level)) % WIDTH);
  if (width === 0) return undefined;
  return { level, index: fullTileCount(size, level), width };
}

/** Levels with at least one hash in a tree of `size` (0 for the empty tree). */
export function tileLevels(size: bigint): number {
  let levels = 0;
  while (size / leavesPerHash(levels) > 0n) levels++;
  return levels;
}

/**
 * Every tile a tree of `size` has whose end lies in (fromSize, size]: the full
 * tiles completed since `fromSize` and the partial tiles of `size`, level by
 * level, left to right. With fromSize 0: every tile of the tree.
 */
export function tilesBetween(fromSize: bigint, size: bigint): TileId[] {
  const out: TileId[] = [];
  for (let level = 0; level < tileLevels(size); level++) {
    for (let n = fullTileCount(fromSize, level); n < fullTileCount(size, level); n++) {
      out.push({ level, index: n, width: TILE_WIDTH });
    }
    const partial = partialTile(size, level);
    if (partial) out.push(partial);
  }
  return out;
}
