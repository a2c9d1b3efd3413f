// Bundles (format v2) whose pruned entries travel as stand-ins: the tree is
// rebuilt from their leaf hashes and the rest's leaf data, through both the
// line and the byte reader, in batches of every size; a stand-in no
// retention.prune entry of the bundle lists, or with a wrong leaf hash, fails.
import { describe, expect, it } from "vitest";
import { utf8 } from "../bytes.js";
import { encodeCanonicalJson } from "../canonical-json.js";
import { portableHasher } from "../hasher.js";
import { hashLeaf, rootFromLeafHashes } from "../merkle/rfc6962.js";
import { signCheckpoint } from "../note/checkpoint.js";
import { buildEd25519Signer } from "../note/ed25519-signer.js";
import { BUNDLE_FORMAT, BUNDLE_FORMAT_V1 } from "./bundle-format.js";
import { bundleReport, bundleReportFromBytes } from "./bundle-report.js";
import { encodePrunedEntryLine, parsePrunedEntryLine } from "./pruned-entry-line.js";

const hasher = portableHasher;
const origin = "example.com/log/test";
const signer = buildEd25519Signer(hasher, origin, new Uint8Array(32).fill(9));

const event = (i: number, extra: Record<string, unknown> = {}) =>
  encodeCanonicalJson({
    action: "app.thing.do",
    id: `e${i}`,
    received_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    ...extra,
  });

/**
 * A log of `size` entries where entry `pruneIndex` is a retention.prune
 * listing `ranges`; returns its bundle lines with those ranges as stand-ins.
 */
function prunedBundle(size: number, pruneIndex: number, ranges: [number, number][], format = BUNDLE_FORMAT) {
  const leaves = Array.from({ length: size }, (_, i) =>
    i === pruneIndex ? event(i, { action: "retention.prune", metadata: { ranges } }) : event(i),
  );
  const hashes = leaves.map((l) => hashLeaf(hasher, utf8(l)));
  const sizes = [Math.floor(size / 3), size - 1, size].filter((n) => n > 0);
  const notes = sizes.map((n) =>
    signCheckpoint(
      { origin, treeSize: BigInt(n), rootHash: rootFromLeafHashes(hasher, hashes.slice(0, n)), extensions: [] },
      signer,
    ),
  );
  const pruned = (i: number) => ranges.some(([a, b]) => a <= i && i < b);
  const header = JSON.stringify({
    format,
    tenant: "acme",
    origin,
    tree_size: size,
    checkpoints: notes.length,
    verifier_keys: [{ verifier_key: signer.verifierKey, created_at: "2026-01-01T00:00:00Z", retired_at: null }],
    exported_at: "2026-01-02T00:00:00Z",
  });
  const entries = leaves.map((l, i) =>
    pruned(i) ? encodePrunedEntryLine({ index: i, leafHash: hashes[i] as Uint8Array, pruneIndex }) : l,
  );
  return [header, ...notes.map((n) => JSON.stringify({ checkpoint: n })), ...entries];
}

async function* linesOf(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

/** The bundle as bytes in chunks of `chunk` bytes, split anywhere. */
async function* chunked(lines: readonly string[], chunk: number): AsyncGenerator<Uint8Array> {
  const bytes = utf8(`${lines.join("\n")}\n`);
  for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
}

const header = 1;
const checkpointLines = (lines: string[]) => (JSON.parse(lines[0] as string) as { checkpoints: number }).checkpoints;
/** Index into the bundle's lines of entry `i`. */
const lineOf = (lines: string[], i: number) => header + checkpointLines(lines) + i;

describe("bundle verification of pruned entries", () => {
  it("verifies stand-ins by their leaf hashes and reports them apart, by lines and by bytes", async () => {
    const lines = prunedBundle(3000, 2900, [
      [3, 1500],
      [1600, 1601],
    ]);
    const expected = {
      entries: 1498,
      ranges: [
        { start: 3, end: 1500, pruneIndex: 2900 },
        { start: 1600, end: 1601, pruneIndex: 2900 },
      ],
    };
    const byLines = await bundleReport(hasher, linesOf(lines));
    expect(byLines).toMatchObject({ ok: true, divergences: [], treeSize: 3000, checkpoints: 3, pruned: expected });
    for (const chunk of [97, 4096, 1 << 20]) {
      const byBytes = await bundleReportFromBytes(hasher, chunked(lines, chunk));
      expect(byBytes, `chunks of ${chunk}`).toMatchObject({ ok: true, divergences: [], pruned: expected });
    }
  });

  it("catches a stand-in whose leaf hash was changed", async () => {
    const lines = prunedBundle(40, 30, [[5, 10]]);
    const at = lineOf(lines, 7);
    const entry = parsePrunedEntryLine(utf8(lines[at] as string));
    if (!entry) throw new Error("the fixture's stand-in does not parse");
    entry.leafHash[0] = (entry.leafHash[0] as number) ^ 0x01;
    lines[at] = encodePrunedEntryLine(entry);
    const report = await bundleReport(hasher, linesOf(lines));
    expect(report.ok).toBe(false);
    expect(report.divergences.map((d) => d.kind)).toContain("ROOT_MISMATCH");
  });

  it("treats a body hidden behind a stand-in that its retention.prune entry does not list as forged", async () => {
    const lines = prunedBundle(40, 30, [[5, 10]]);
    // Entry 12's body turned into a stand-in with its true leaf hash: every root still verifies.
    const leaf = utf8(lines[lineOf(lines, 12)] as string);
    lines[lineOf(lines, 12)] = encodePrunedEntryLine({ index: 12, leafHash: hashLeaf(hasher, leaf), pruneIndex: 30 });
    const report = await bundleReport(hasher, linesOf(lines));
    expect(report.ok).toBe(false);
    expect(report.divergences).toEqual([expect.objectContaining({ kind: "PRUNE_RECORD_FORGED", index: 12 })]);
  });

  it("treats a stand-in naming an entry that is no retention.prune, or one past the bundle, as a divergence", async () => {
    const lines = prunedBundle(40, 30, [[5, 10]]);
    const leaf = utf8(lines[lineOf(lines, 12)] as string);
    const hidden = (pruneIndex: number) => {
      const copy = [...lines];
      copy[lineOf(lines, 12)] = encodePrunedEntryLine({ index: 12, leafHash: hashLeaf(hasher, leaf), pruneIndex });
      return copy;
    };
    const notPrune = await bundleReport(hasher, linesOf(hidden(20)));
    expect(notPrune.divergences).toEqual([
      expect.objectContaining({
        kind: "PRUNE_RECORD_FORGED",
        index: 12,
        message: expect.stringMatching(/no retention\.prune/),
      }),
    ]);
    const beyond = await bundleReport(hasher, linesOf(hidden(99)));
    expect(beyond.divergences).toEqual([expect.objectContaining({ kind: "BODY_REMOVED", index: 12 })]);
    const before = await bundleReport(hasher, linesOf(hidden(11)));
    expect(before.divergences.map((d) => d.kind)).toContain("PRUNE_RECORD_FORGED");
  });

  it("reports a stand-in at the wrong position, or one that does not parse", async () => {
    const lines = prunedBundle(40, 30, [[5, 10]]);
    const moved = [...lines];
    const entry = parsePrunedEntryLine(utf8(lines[lineOf(lines, 6)] as string));
    if (!entry) throw new Error("the fixture's stand-in does not parse");
    moved[lineOf(lines, 6)] = encodePrunedEntryLine({ ...entry, index: 7 });
    const wrong = await bundleReport(hasher, linesOf(moved));
    expect(wrong.divergences).toEqual([expect.objectContaining({ kind: "ENTRY_MALFORMED", index: 6 })]);

    const broken = [...lines];
    broken[lineOf(lines, 6)] = '{"pruned":{"index":6}}';
    const report = await bundleReport(hasher, linesOf(broken));
    expect(report.ok).toBe(false);
    expect(report.divergences.map((d) => d.kind)).toEqual(expect.arrayContaining(["ENTRY_MALFORMED", "ROOT_MISMATCH"]));
  });

  it("still verifies a version 1 bundle, whose every entry line is leaf data", async () => {
    const lines = prunedBundle(20, 15, [], BUNDLE_FORMAT_V1);
    expect(await bundleReport(hasher, linesOf(lines))).toMatchObject({ ok: true, pruned: { entries: 0, ranges: [] } });
    // A version 1 bundle has no stand-ins: such a line is hashed as leaf data and fails.
    const withStandIn = prunedBundle(20, 15, [[2, 4]], BUNDLE_FORMAT_V1);
    const report = await bundleReport(hasher, linesOf(withStandIn));
    expect(report.ok).toBe(false);
    expect(report.pruned.entries).toBe(0);
  });
});
