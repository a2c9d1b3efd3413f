// The batched path (SubtreeHasher, HashedLeaves, LogVerifier.addHashedLeaves,
// bundleReportFromBytes) against the entry-by-entry reference, on small logs with
// signed checkpoints inside and at the edges of batches.
import { describe, expect, it } from "vitest";
import { utf8 } from "../bytes.js";
import { encodeCanonicalJson } from "../canonical-json.js";
import { portableHasher } from "../hasher.js";
import { CompactRange } from "../merkle/compact-range.js";
import { hashLeaf, rootFromLeafHashes } from "../merkle/rfc6962.js";
import { decomposeRange } from "../merkle/tree-math.js";
import { signCheckpoint } from "../note/checkpoint.js";
import { buildEd25519Signer } from "../note/ed25519-signer.js";
import { parseVerifierKey } from "../note/verifier-key.js";
import { BUNDLE_FORMAT } from "./bundle-format.js";
import { bundleReport, bundleReportFromBytes } from "./bundle-report.js";
import { HashingQueue } from "./hashing-queue.js";
import { LogVerifier } from "./log-verifier.js";
import { LeafPacker, packLeaves } from "./packed-leaves.js";
import { HashedLeaves, hashSubtreesNow, inlineSubtreeHasher, tileLeafRange } from "./subtree-hasher.js";

const hasher = portableHasher;

function flipBit(bytes: Uint8Array, at: number): void {
  bytes[at] = (bytes[at] as number) ^ 0x01;
}
const origin = "example.com/log/test";
const signer = buildEd25519Signer(hasher, origin, new Uint8Array(32).fill(7));

function buildLog(size: number, checkpointSizes: readonly number[]) {
  const leaves = Array.from({ length: size }, (_, i) =>
    utf8(
      encodeCanonicalJson({
        id: `e${i}`,
        metadata: { note: "x".repeat(i % 5) },
        received_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      }),
    ),
  );
  const hashes = leaves.map((l) => hashLeaf(hasher, l));
  const notes = checkpointSizes.map((n) =>
    signCheckpoint(
      { origin, treeSize: BigInt(n), rootHash: rootFromLeafHashes(hasher, hashes.slice(0, n)), extensions: [] },
      signer,
    ),
  );
  return { leaves, notes };
}

const options = (notes: string[]) => ({
  origin,
  verifiers: [parseVerifierKey(hasher, signer.verifierKey)],
  checkpoints: notes,
});

async function verifyBatched(leaves: readonly Uint8Array[], notes: string[], batch: number) {
  const verifier = new LogVerifier(hasher, options(notes));
  const queue = new HashingQueue(inlineSubtreeHasher(hasher), 2, (hashed) => {
    verifier.addHashedLeaves(hashed);
  });
  for (let first = 0; first < leaves.length; first += batch) {
    const part = leaves.slice(first, first + batch);
    part.forEach((l, k) => {
      verifier.checkLeafData(first + k, l, 0, l.length);
    });
    await queue.push(first, packLeaves(part), undefined);
  }
  await queue.drain();
  return verifier.finish();
}

function verifyOneByOne(leaves: readonly Uint8Array[], notes: string[]) {
  const verifier = new LogVerifier(hasher, options(notes));
  leaves.forEach((l, i) => {
    verifier.addEntry(i, l);
  });
  return verifier.finish();
}

describe("subtree hashing", () => {
  it("tiles every range as decomposeRange does", () => {
    for (let first = 0; first < 70; first++) {
      for (let count = 0; count < 70; count++) {
        const want = decomposeRange(BigInt(first), BigInt(first + count)).map((n) => ({
          level: n.level,
          start: Number(n.index << BigInt(n.level)),
        }));
        expect(tileLeafRange(first, count)).toEqual(want);
      }
    }
  });

  it("computes every node CompactRange computes, leaf by leaf", () => {
    const { leaves } = buildLog(45, []);
    for (const [first, count] of [
      [0, 45],
      [3, 29],
      [8, 8],
      [13, 1],
    ] as const) {
      const part = leaves.slice(first, first + count);
      const batch = new HashedLeaves(first, count, hashSubtreesNow(hasher, first, packLeaves(part)));
      part.forEach((l, k) => {
        expect(batch.leafHash(k)).toEqual(hashLeaf(hasher, l));
      });
      const range = CompactRange.empty(hasher);
      const byKey = new Map<string, Uint8Array>();
      for (const l of leaves.slice(0, first + count))
        for (const n of range.append(hashLeaf(hasher, l))) byKey.set(`${n.level}:${n.index}`, n.hash);
      for (const n of batch.interiorNodes()) expect(n.hash).toEqual(byKey.get(`${n.level}:${n.index}`));
      batch.tiles.forEach((t, i) => {
        expect(batch.tileRoot(i)).toEqual(byKey.get(`${t.level}:${t.start / 2 ** t.level}`));
      });
    }
  });

  it("refuses output of the wrong size", () => {
    expect(() => new HashedLeaves(0, 4, new Uint8Array(32 * 6))).toThrow(
      expect.objectContaining({ code: "VERIFY_BATCH_INVALID" }),
    );
  });

  it("packs runs of adjacent lines in one copy, separators becoming prefixes", () => {
    const data = utf8("aa\nbbb\r\ncc\nd\ne");
    const starts = [0, 3, 8, 11, 13];
    const ends = [2, 6, 10, 12, 14];
    const packer = new LeafPacker(3, 64);
    expect(packer.addRun(data, starts, ends, 0, 5)).toBe(3);
    const packed = packer.take();
    expect([...packed.bytes]).toEqual([0, 97, 97, 0, 98, 98, 98, 0, 99, 99]);
    expect([...packed.offsets]).toEqual([0, 3, 7, 10]);
    expect(packer.addRun(data, starts, ends, 3, 5)).toBe(2);
    expect([...packer.take().bytes]).toEqual([0, 100, 0, 101]);
    const small = new LeafPacker(8, 5);
    expect(small.addRun(data, starts, ends, 0, 5)).toBe(1);
    expect(small.addRun(utf8("0123456789"), [0], [10], 0, 1)).toBe(0);
    small.take();
    expect(small.addRun(utf8("0123456789"), [0], [10], 0, 1)).toBe(1);
    expect(small.take().bytes.length).toBe(11);
  });

  it("packs leaves behind a 0x00 prefix, reusing given-back buffers", () => {
    const packer = new LeafPacker(2, 64);
    packer.add(utf8("ab"));
    packer.add(utf8("xcdx"), 1, 3);
    expect(packer.fits(1)).toBe(false);
    const packed = packer.take();
    expect([...packed.bytes]).toEqual([0, 97, 98, 0, 99, 100]);
    expect([...packed.offsets]).toEqual([0, 3, 6]);
    packer.recycle(packed.bytes);
    packer.add(utf8("e"));
    const again = packer.take();
    expect(again.bytes.buffer).toBe(packed.bytes.buffer);
    expect([...again.bytes]).toEqual([0, 101]);
  });
});

describe("batched log verification", () => {
  const checkpoints = [1, 5, 8, 16, 17, 29, 37];

  it("reports what entry-by-entry verification reports, for any batch size", async () => {
    const { leaves, notes } = buildLog(37, checkpoints);
    expect(verifyOneByOne(leaves, notes)).toEqual([]);
    for (const batch of [1, 3, 4, 7, 8, 16, 37, 64]) expect(await verifyBatched(leaves, notes, batch)).toEqual([]);
  });

  it("catches a one-bit change at the checkpoint it breaks, whatever the batch", async () => {
    const { leaves, notes } = buildLog(37, checkpoints);
    const changed = leaves.map((l) => l.slice());
    flipBit(changed[20] as Uint8Array, 3);
    const want = verifyOneByOne(changed, notes);
    expect(want.map((d) => d.message)).toEqual([
      // The first root it breaks, with the later ones summed up: one change, one report.
      "the entries do not hash to the root signed at tree size 29; the 1 signed checkpoint(s) after it differ too",
    ]);
    for (const batch of [1, 5, 8, 21, 64]) expect(await verifyBatched(changed, notes, batch)).toEqual(want);
  });

  it("names a reordered entry by received_at without parsing", async () => {
    const { leaves, notes } = buildLog(12, []);
    const swapped = [...leaves];
    [swapped[6], swapped[7]] = [swapped[7] as Uint8Array, swapped[6] as Uint8Array];
    const found = await verifyBatched(swapped, notes, 4);
    expect(found).toEqual([expect.objectContaining({ kind: "ENTRY_OUT_OF_ORDER", index: 6 })]);
  });

  it("refuses a batch that does not continue the tree", () => {
    const { leaves } = buildLog(4, []);
    const verifier = new LogVerifier(hasher, options([]));
    const batch = new HashedLeaves(2, 2, hashSubtreesNow(hasher, 2, packLeaves(leaves.slice(2))));
    expect(() => verifier.addHashedLeaves(batch)).toThrow(expect.objectContaining({ code: "VERIFY_BATCH_INVALID" }));
  });
});

describe("bundleReportFromBytes", () => {
  const { leaves, notes } = buildLog(23, [10, 23]);
  const header = {
    format: BUNDLE_FORMAT,
    tenant: "t",
    origin,
    tree_size: 23,
    checkpoints: notes.length,
    verifier_keys: [{ verifier_key: signer.verifierKey, created_at: "", retired_at: null }],
    exported_at: "",
  };
  const lines = [JSON.stringify(header), ...notes.map((n) => JSON.stringify({ checkpoint: n }))];
  const text = `${[...lines, ...leaves.map((l) => new TextDecoder().decode(l))].join("\n")}\n`;
  const keys = { verifierKeys: [signer.verifierKey] };

  async function* chunked(bytes: Uint8Array, size: number) {
    // Each chunk is overwritten after the next is asked for, as a reader reusing its buffer would.
    const buffer = new Uint8Array(size);
    for (let at = 0; at < bytes.length; at += size) {
      const part = bytes.subarray(at, at + size);
      buffer.set(part);
      yield buffer.subarray(0, part.length);
      buffer.fill(0x2a);
    }
  }

  it("verifies the same bundle as the line reader, however the bytes are cut", async () => {
    const bytes = utf8(text);
    for (const size of [1, 2, 7, 100, 1000, bytes.length]) {
      const report = await bundleReportFromBytes(hasher, chunked(bytes, size), keys);
      expect(report).toMatchObject({ ok: true, treeSize: 23, checkpoints: 2, keysPinned: true, divergences: [] });
    }
    async function* asLines() {
      yield* text.trimEnd().split("\n");
    }
    expect(await bundleReport(hasher, asLines(), keys)).toMatchObject({ ok: true, treeSize: 23 });
  });

  it("reads CRLF line ends and a last line without a newline", async () => {
    const crlf = utf8(text.trimEnd().replaceAll("\n", "\r\n"));
    expect(await bundleReportFromBytes(hasher, chunked(crlf, 50), keys)).toMatchObject({ ok: true, treeSize: 23 });
  });

  it("fails on a one-bit change and on a dropped line", async () => {
    const bytes = utf8(text);
    const flipped = bytes.slice();
    const at = text.indexOf('"id":"e12"') + 7;
    flipBit(flipped, at);
    const report = await bundleReportFromBytes(hasher, chunked(flipped, 64), keys);
    expect(report.ok).toBe(false);
    expect(report.divergences.map((d) => d.kind)).toEqual(["ROOT_MISMATCH"]);

    const dropped = utf8(text.split("\n").toSpliced(10, 1).join("\n"));
    const short = await bundleReportFromBytes(hasher, chunked(dropped, 64), keys);
    expect(short.divergences.map((d) => d.kind)).toContain("LOG_TRUNCATED");
  });

  it("refuses a bundle that ends inside its checkpoint lines with BUNDLE_MALFORMED", async () => {
    const cut = utf8(`${lines.slice(0, 2).join("\n")}\n`);
    await expect(bundleReportFromBytes(hasher, chunked(cut, 10), keys)).rejects.toMatchObject({
      code: "BUNDLE_MALFORMED",
    });
  });
});
