// C2SP tlog-tiles resource paths: `tile/<L>/<N>[.p/<W>]` for hash tiles and
// `tile/entries/<N>[.p/<W>]` for entry bundles, <N> written as zero-padded
// three-digit path elements, all but the last prefixed with `x`.
import { InvalidInputError } from "../errors.js";

/** Hashes in a full tile, and entries in a full entry bundle. */
export const TILE_WIDTH = 256;
/** Tree levels a tile spans: log2(TILE_WIDTH). */
export const TILE_HEIGHT = 8;
/** The highest tile level the spec allows. */
export const MAX_TILE_LEVEL = 63;

/** One tile or entry bundle: `width` hashes (entries), TILE_WIDTH when full. */
export interface TileId {
  level: number;
  index: bigint;
  width: number;
}

/** `index` as the spec's path elements: 1234067 -> "x001/x234/067". Requires index >= 0. */
export function encodeTileIndex(index: bigint): string {
  if (index < 0n) throw new InvalidInputError("TILE_INVALID", `tile index ${index} is negative`);
  const parts: string[] = [];
  let n = index;
  do {
    parts.unshift((n % 1000n).toString().padStart(3, "0"));
    n /= 1000n;
  } while (n > 0n);
  return parts.map((p, i) => (i < parts.length - 1 ? `x${p}` : p)).join("/");
}

function suffix(width: number): string {
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new InvalidInputError("TILE_INVALID", `tile width ${width} is not between 1 and ${TILE_WIDTH}`);
  }
  return width === TILE_WIDTH ? "" : `.p/${width}`;
}

/** The path of a hash tile, relative to the log's prefix. */
export function tilePath(tile: TileId): string {
  if (!Number.isInteger(tile.level) || tile.level < 0 || tile.level > MAX_TILE_LEVEL) {
    throw new InvalidInputError("TILE_INVALID", `tile level ${tile.level} is not between 0 and ${MAX_TILE_LEVEL}`);
  }
  return `tile/${tile.level}/${encodeTileIndex(tile.index)}${suffix(tile.width)}`;
}

/** The path of the entry bundle of level-0 tile `index`, `width` entries wide. */
export function entryBundlePath(index: bigint, width: number): string {
  return `tile/entries/${encodeTileIndex(index)}${suffix(width)}`;
}

/** The checkpoint's path, relative to the log's prefix. */
export const CHECKPOINT_PATH = "checkpoint";
