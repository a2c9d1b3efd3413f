// C2SP tlog-tiles and tlog-proof formats: paths, tile and bundle bytes, the
// stand-in for an entry too large for a bundle, and the tlog-proof text.
// Their verifiers are in ../verify (tile-verifier.ts, tlog-proof-verifier.ts).
export { encodeEntryBundle, MAX_BUNDLE_ENTRY_BYTES, parseEntryBundle } from "./entry-bundle.js";
export { encodeHashTile, fullTileRoot, parseHashTile } from "./hash-tile.js";
export {
  encodeOversizeEntryLine,
  hasOversizeEntryPrefix,
  type OversizeEntry,
  parseOversizeEntryLine,
} from "./oversize-entry-line.js";
export { fullTileCount, leavesPerHash, partialTile, tileLevels, tilesBetween } from "./tile-layout.js";
export {
  CHECKPOINT_PATH,
  encodeTileIndex,
  entryBundlePath,
  MAX_TILE_LEVEL,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileId,
  tilePath,
} from "./tile-path.js";
export { encodeTlogProof, parseTlogProof, TLOG_PROOF_HEADER, type TlogProof } from "./tlog-proof.js";
