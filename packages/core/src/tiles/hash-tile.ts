// A hash tile's bytes (C2SP tlog-tiles): `width` SHA-256 hashes concatenated.
// At level 0 they are leaf hashes; above, each is the Merkle Tree Hash of a
// full tile at the level below, i.e. of the 256 hashes it holds.
import { concatBytes } from "../bytes.js";
import { InvalidInputError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { HASH_SIZE, rootFromLeafHashes } from "../merkle/rfc6962.js";
import { TILE_WIDTH } from "./tile-path.js";

export function encodeHashTile(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length < 1 || hashes.length > TILE_WIDTH || hashes.some((h) => h.length !== HASH_SIZE)) {
    throw new InvalidInputError("TILE_INVALID", `a tile holds 1 to ${TILE_WIDTH} hashes of ${HASH_SIZE} bytes`);
  }
  return concatBytes(...hashes);
}

/** The hashes of a tile that MUST be `width` hashes wide. `bytes` is untrusted. */
export function parseHashTile(bytes: Uint8Array, width: number, path: string): Uint8Array[] {
  if (bytes.length !== width * HASH_SIZE) {
    throw new InvalidInputError(
      "TILE_INVALID",
      `${path} is ${bytes.length} bytes, not ${width} hashes (${width * HASH_SIZE} bytes)`,
    );
  }
  const out: Uint8Array[] = [];
  for (let i = 0; i < width; i++) out.push(bytes.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return out;
}

/** The Merkle Tree Hash of a full tile: the root of the perfect subtree over its 256 hashes. */
export function fullTileRoot(hasher: Hasher, hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length !== TILE_WIDTH) throw new InvalidInputError("TILE_INVALID", "only a full tile has a root here");
  return rootFromLeafHashes(hasher, hashes);
}
