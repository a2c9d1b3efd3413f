// The tlog-tiles layout and the tile verifier on an in-memory copy: paths and
// widths as the spec's examples give them, and every kind of tampering
// (a tile, a bundle entry, the checkpoint, a missing file, a fork) refused
// with its code.
import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { concatBytes, toBase64, utf8 } from "../bytes.js";
import { encodeCanonicalJson } from "../canonical-json.js";
import { portableHasher as hasher } from "../hasher.js";
import { hashLeaf, rootFromLeafHashes } from "../merkle/rfc6962.js";
import { signCheckpoint } from "../note/checkpoint.js";
import { buildEd25519Signer } from "../note/ed25519-signer.js";
import { encodeVerifierKey } from "../note/verifier-key.js";
import { encodePrunedEntryLine } from "../verify/pruned-entry-line.js";
import type { TileReader } from "../verify/tile-reader.js";
import { verifyTiles } from "../verify/tile-verifier.js";
import { encodeEntryBundle, parseEntryBundle } from "./entry-bundle.js";
import { encodeHashTile, fullTileRoot } from "./hash-tile.js";
import { encodeOversizeEntryLine } from "./oversize-entry-line.js";
import { tilesBetween } from "./tile-layout.js";
import { encodeTileIndex, entryBundlePath, tilePath } from "./tile-path.js";

const ORIGIN = "trailproof.localhost/log/acme";
const seed = new Uint8Array(32).fill(1);
const signer = buildEd25519Signer(hasher, ORIGIN, seed);
const KEY = encodeVerifierKey(hasher, ORIGIN, ed25519.getPublicKey(seed));

function leaf(i: number): Uint8Array {
  return utf8(encodeCanonicalJson({ action: "app.thing.update", id: `evt_${i}` }));
}

/** A copy of a log of `items` (bundle entries) with these leaf hashes, as a mirror writes it. */
function buildCopy(items: Uint8Array[], leafHashes: Uint8Array[]): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const size = BigInt(leafHashes.length);
  let levelHashes = leafHashes;
  for (let level = 0; levelHashes.length > 0; level++) {
    for (const tile of tilesBetween(0n, size).filter((t) => t.level === level)) {
      const start = Number(tile.index) * 256;
      files.set(tilePath(tile), encodeHashTile(levelHashes.slice(start, start + tile.width)));
      if (level === 0)
        files.set(entryBundlePath(tile.index, tile.width), encodeEntryBundle(items.slice(start, start + tile.width)));
    }
    const next: Uint8Array[] = [];
    for (let i = 0; i + 256 <= levelHashes.length; i += 256)
      next.push(fullTileRoot(hasher, levelHashes.slice(i, i + 256)));
    levelHashes = next;
  }
  return files;
}

function checkpointFor(leafHashes: Uint8Array[]): string {
  return signCheckpoint(
    {
      origin: ORIGIN,
      treeSize: BigInt(leafHashes.length),
      rootHash: rootFromLeafHashes(hasher, leafHashes),
      extensions: [],
    },
    signer,
  );
}

function log(n: number) {
  const items = Array.from({ length: n }, (_, i) => leaf(i));
  const leafHashes = items.map((d) => hashLeaf(hasher, d));
  const files = buildCopy(items, leafHashes);
  files.set("checkpoint", utf8(checkpointFor(leafHashes)));
  return { items, leafHashes, files };
}

function reader(files: Map<string, Uint8Array>): TileReader {
  return { where: "memory", read: async (path) => files.get(path) };
}

describe("tile paths and layout", () => {
  it("writes indexes as x-prefixed three-digit elements", () => {
    expect(encodeTileIndex(1234067n)).toBe("x001/x234/067");
    expect(encodeTileIndex(0n)).toBe("000");
    expect(encodeTileIndex(1000n)).toBe("x001/000");
    expect(tilePath({ level: 1, index: 5n, width: 17 })).toBe("tile/1/005.p/17");
    expect(entryBundlePath(1234067n, 256)).toBe("tile/entries/x001/x234/067");
  });

  it("gives the spec's example: a tree of 70,000", () => {
    const tiles = tilesBetween(0n, 70_000n);
    expect(tiles.filter((t) => t.level === 0 && t.width === 256)).toHaveLength(273);
    expect(tiles.filter((t) => t.width < 256).map((t) => [t.level, t.width])).toEqual([
      [0, 112],
      [1, 17],
      [2, 1],
    ]);
    expect(tilesBetween(0n, 256n).map((t) => [t.level, t.width])).toEqual([
      [0, 256],
      [1, 1],
    ]);
    expect(tilesBetween(256n, 600n).map((t) => tilePath(t))).toEqual([
      "tile/0/001",
      "tile/0/002.p/88",
      "tile/1/000.p/2",
    ]);
  });

  it("round-trips an entry bundle and refuses a cut one", () => {
    const items = [utf8("a"), new Uint8Array(0), utf8("ccc")];
    const bytes = encodeEntryBundle(items);
    expect(bytes.slice(0, 3)).toEqual(new Uint8Array([0, 1, 97]));
    expect(parseEntryBundle(bytes, 3, "b").map((e) => e.length)).toEqual([1, 0, 3]);
    expect(() => parseEntryBundle(bytes.slice(0, -1), 3, "b")).toThrow(
      expect.objectContaining({ code: "TILE_INVALID" }),
    );
    expect(() => parseEntryBundle(bytes, 2, "b")).toThrow(expect.objectContaining({ code: "TILE_INVALID" }));
    expect(() => encodeEntryBundle([new Uint8Array(70_000)])).toThrow(
      expect.objectContaining({ code: "TILE_INVALID" }),
    );
  });
});

describe("verifyTiles", () => {
  it("verifies a copy with full and partial tiles at two levels", async () => {
    const { files } = log(600);
    const report = await verifyTiles(reader(files), { verifierKeys: [KEY] });
    expect(report).toMatchObject({ origin: ORIGIN, treeSize: 600, prunedEntries: 0, oversizeEntries: [] });
  });

  it("verifies the spec's tree of 70,000: partial tiles at levels 0, 1 and 2", async () => {
    const { files } = log(70_000);
    expect([...files.keys()].filter((p) => p.includes(".p/")).sort()).toEqual([
      "tile/0/273.p/112",
      "tile/1/001.p/17",
      "tile/2/000.p/1",
      "tile/entries/273.p/112",
    ]);
    expect((await verifyTiles(reader(files), { verifierKeys: [KEY] })).treeSize).toBe(70_000);
    const tile = (files.get("tile/2/000.p/1") as Uint8Array).slice();
    tile[5] = (tile[5] as number) ^ 1;
    files.set("tile/2/000.p/1", tile);
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY] })).rejects.toMatchObject({ code: "TILE_INVALID" });
  }, 60_000);

  it("checks an earlier checkpoint is a prefix, and refuses a fork and a rollback", async () => {
    const { files, leafHashes } = log(300);
    const earlier = checkpointFor(leafHashes.slice(0, 100));
    const report = await verifyTiles(reader(files), { verifierKeys: [KEY], previous: [earlier] });
    expect(report.consistentWith).toEqual([100]);
    const forked = checkpointFor([...leafHashes.slice(0, 99), hashLeaf(hasher, utf8("other"))]);
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY], previous: [forked] })).rejects.toMatchObject({
      code: "PROOF_ROOT_MISMATCH",
    });
    const later = log(301);
    await expect(
      verifyTiles(reader(files), { verifierKeys: [KEY], previous: [later.files.get("checkpoint") as never] }),
    ).rejects.toThrow();
    const laterNote = new TextDecoder().decode(later.files.get("checkpoint"));
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY], previous: [laterNote] })).rejects.toMatchObject({
      code: "LOG_ROLLED_BACK",
    });
  });

  it("refuses a changed entry in a bundle", async () => {
    const { files, items } = log(300);
    const changed = [...items.slice(0, 256)];
    changed[7] = leaf(9999);
    files.set("tile/entries/000", encodeEntryBundle(changed));
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY] })).rejects.toMatchObject({ code: "TILE_INVALID" });
  });

  it("refuses a changed level-0 tile whose bundle still hashes to the old leaves", async () => {
    const { files } = log(300);
    const tile = (files.get("tile/0/000") as Uint8Array).slice();
    tile[0] = (tile[0] as number) ^ 1;
    files.set("tile/0/000", tile);
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY] })).rejects.toMatchObject({ code: "TILE_INVALID" });
  });

  it("refuses a changed higher tile", async () => {
    const { files } = log(600);
    const tile = (files.get("tile/1/000.p/2") as Uint8Array).slice();
    tile[40] = (tile[40] as number) ^ 1;
    files.set("tile/1/000.p/2", tile);
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY] })).rejects.toMatchObject({ code: "TILE_INVALID" });
  });

  it("refuses a consistent rewrite of tiles and bundles that the checkpoint does not sign", async () => {
    const { files } = log(10);
    const other = log(10);
    const items = Array.from({ length: 10 }, (_, i) => leaf(i + 100));
    const rebuilt = buildCopy(
      items,
      items.map((d) => hashLeaf(hasher, d)),
    );
    for (const [path, bytes] of rebuilt) files.set(path, bytes);
    files.set("checkpoint", other.files.get("checkpoint") as Uint8Array);
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY] })).rejects.toMatchObject({
      code: "PROOF_ROOT_MISMATCH",
    });
  });

  it("refuses a checkpoint with a changed signature, another key, and a missing tile", async () => {
    const { files } = log(5);
    const note = new TextDecoder().decode(files.get("checkpoint"));
    // A character of the signature itself (past the 4-byte key hash) changed.
    const at = note.lastIndexOf(" ") + 20;
    const bad = `${note.slice(0, at)}${note[at] === "A" ? "B" : "A"}${note.slice(at + 1)}`;
    await expect(
      verifyTiles(reader(new Map([...files, ["checkpoint", utf8(bad)]])), { verifierKeys: [KEY] }),
    ).rejects.toMatchObject({ code: "NOTE_SIGNATURE_INVALID" });
    const otherSeed = new Uint8Array(32).fill(2);
    const otherKey = encodeVerifierKey(hasher, ORIGIN, ed25519.getPublicKey(otherSeed));
    await expect(verifyTiles(reader(files), { verifierKeys: [otherKey] })).rejects.toMatchObject({
      code: "NOTE_UNSIGNED",
    });
    files.delete("tile/entries/000.p/5");
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY] })).rejects.toMatchObject({ code: "MIRROR_INVALID" });
    files.delete("checkpoint");
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY] })).rejects.toMatchObject({
      code: "CHECKPOINT_MISSING",
    });
  });

  it("accepts pruned stand-ins listed by their retention.prune entry, and oversize stand-ins; refuses an unlisted one", async () => {
    const items = Array.from({ length: 6 }, (_, i) => leaf(i));
    items[5] = utf8(encodeCanonicalJson({ action: "retention.prune", id: "evt_p", metadata: { ranges: [[0, 2]] } }));
    const leafHashes = items.map((d) => hashLeaf(hasher, d));
    const bundle = [...items];
    bundle[0] = utf8(encodePrunedEntryLine({ index: 0, leafHash: leafHashes[0] as Uint8Array, pruneIndex: 5 }));
    bundle[1] = utf8(encodePrunedEntryLine({ index: 1, leafHash: leafHashes[1] as Uint8Array, pruneIndex: 5 }));
    bundle[3] = utf8(encodeOversizeEntryLine({ index: 3, leafHash: leafHashes[3] as Uint8Array }));
    const files = buildCopy(bundle, leafHashes);
    files.set("checkpoint", utf8(checkpointFor(leafHashes)));
    const report = await verifyTiles(reader(files), { verifierKeys: [KEY] });
    expect(report).toMatchObject({ prunedEntries: 2, oversizeEntries: [3] });

    bundle[2] = utf8(encodePrunedEntryLine({ index: 2, leafHash: leafHashes[2] as Uint8Array, pruneIndex: 5 }));
    files.set("tile/entries/000.p/6", encodeEntryBundle(bundle));
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY] })).rejects.toMatchObject({ code: "TILE_INVALID" });
  });
});

// A stand-in's leaf hash must be the tile's: swapping in another hash fails.
describe("stand-in leaf hashes", () => {
  it("refuses a stand-in whose leaf hash is not the tile's", async () => {
    const { files, items, leafHashes } = log(3);
    const bundle = [...items];
    bundle[1] = utf8(encodeOversizeEntryLine({ index: 1, leafHash: leafHashes[2] as Uint8Array }));
    files.set("tile/entries/000.p/3", encodeEntryBundle(bundle));
    await expect(verifyTiles(reader(files), { verifierKeys: [KEY] })).rejects.toMatchObject({ code: "TILE_INVALID" });
    expect(toBase64(concatBytes(leafHashes[0] as Uint8Array)).length).toBe(44);
  });
});
