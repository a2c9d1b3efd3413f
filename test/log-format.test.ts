// Keeps docs/log-format.md true: its worked example (log format v2) is
// recomputed here and must equal the golden copy the document quotes; the
// version 1 example, as written before v2, must still verify and still be
// quoted, and differs from v2 exactly by appended_by and schema_version.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  bundleReport,
  encodeCanonicalJson,
  encodePrunedEntryLine,
  fromBase64,
  hashLeaf,
  hasPrunedEntryPrefix,
  type JsonObject,
  parsePrunedEntryLine,
  parseVerifierKey,
  portableHasher,
  recomputeContentDigest,
  toHex,
  utf8,
  verifyCheckpoint,
  verifyDisclosure,
} from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { buildWorkedExample, GOLDEN_PATH, GOLDEN_V1_PATH } from "./worked-example.js";

const ORIGIN = "trailproof.localhost/log/acme";
const doc = readFileSync(join(import.meta.dirname, "../docs/log-format.md"), "utf8");

interface Golden {
  leaf_data: string;
  leaf_hash_hex: string;
  leaf_hash_base64: string;
  disclosures: { pointer: string; salt: string; value: string }[];
  verifier_key: string;
  checkpoint: string;
  digest_key_hex?: string;
  content_digest?: string;
}

const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (b) => Number.parseInt(b, 16));

/** What anyone can check of a golden example with the published standards alone. */
function expectVerifies(golden: Golden): void {
  const leafHash = hashLeaf(portableHasher, utf8(golden.leaf_data));
  expect(toHex(leafHash)).toBe(golden.leaf_hash_hex);
  const cp = verifyCheckpoint(golden.checkpoint, parseVerifierKey(portableHasher, golden.verifier_key), ORIGIN);
  expect(cp.treeSize).toBe(1n);
  expect(toHex(cp.rootHash)).toBe(golden.leaf_hash_hex);
  const commitments = (JSON.parse(golden.leaf_data) as { privacy: { commitments: Record<string, string> } }).privacy
    .commitments;
  expect(Object.keys(commitments)).toEqual(golden.disclosures.map((d) => d.pointer));
  for (const d of golden.disclosures) verifyDisclosure(portableHasher, commitments[d.pointer] as string, d);
}

describe("log format worked example (version 2)", () => {
  const golden = JSON.parse(readFileSync(GOLDEN_PATH, "utf8")) as Golden;
  const computed = buildWorkedExample();

  it("recomputes the golden leaf, leaf hash, content digest and checkpoint", () => {
    expect(JSON.parse(JSON.stringify(computed))).toEqual(golden);
  });

  it("verifies: leaf hash, checkpoint signature and root, every disclosure against its commitment", () => {
    expectVerifies(golden);
  });

  it("has a content digest anyone holding the digest key recomputes from the leaf and the disclosures", () => {
    const key = hexBytes(golden.digest_key_hex as string);
    expect(recomputeContentDigest(portableHasher, key, utf8(golden.leaf_data), golden.disclosures)).toEqual({
      digest: golden.content_digest,
    });
  });

  it("is quoted verbatim by docs/log-format.md", () => {
    for (const value of [
      golden.leaf_data,
      golden.leaf_hash_hex,
      golden.leaf_hash_base64,
      golden.verifier_key,
      golden.checkpoint,
      golden.content_digest as string,
    ]) {
      expect(doc).toContain(value);
    }
  });
});

describe("a pruned entry's stand-in (bundle format v2, GET /v1/log/entries)", () => {
  const golden = JSON.parse(readFileSync(GOLDEN_PATH, "utf8")) as Golden;
  const line = encodePrunedEntryLine({ index: 0, leafHash: fromBase64(golden.leaf_hash_base64), pruneIndex: 7 });

  it("is quoted verbatim by docs/log-format.md for the worked example's entry", () => {
    expect(doc).toContain(`\n${line}\n`);
  });

  it("carries the entry's leaf hash, and is never taken for leaf data nor leaf data for it", () => {
    expect(toHex(parsePrunedEntryLine(utf8(line))?.leafHash as Uint8Array)).toBe(golden.leaf_hash_hex);
    expect(hasPrunedEntryPrefix(utf8(line))).toBe(true);
    expect(hasPrunedEntryPrefix(utf8(golden.leaf_data))).toBe(false);
  });

  it("in a one-entry bundle, verifies the signed root but fails closed: its retention.prune entry is not in the bundle", async () => {
    const header = JSON.stringify({
      format: "trailproof-bundle/v2",
      tenant: "acme",
      origin: ORIGIN,
      tree_size: 1,
      checkpoints: 1,
      verifier_keys: [{ verifier_key: golden.verifier_key, created_at: "2026-05-01T08:00:00Z", retired_at: null }],
      exported_at: "2026-05-01T09:00:00Z",
    });
    async function* lines() {
      yield* [header, JSON.stringify({ checkpoint: golden.checkpoint }), line];
    }
    const report = await bundleReport(portableHasher, lines(), { verifierKeys: [golden.verifier_key] });
    expect(report.checkpoints).toBe(1);
    expect(report.pruned).toEqual({ entries: 1, ranges: [{ start: 0, end: 1, pruneIndex: 7 }] });
    expect(report.divergences.map((d) => d.kind)).toEqual(["BODY_REMOVED"]);
  });
});

describe("log format worked example (version 1, as written before version 2)", () => {
  const v1 = JSON.parse(readFileSync(GOLDEN_V1_PATH, "utf8")) as Golden;
  const v2 = JSON.parse(readFileSync(GOLDEN_PATH, "utf8")) as Golden;

  it("still verifies: leaf hash, checkpoint signature and root, every disclosure", () => {
    expectVerifies(v1);
  });

  it("differs from version 2 only by appended_by and schema_version", () => {
    const { appended_by: _, ...rest } = JSON.parse(v2.leaf_data) as JsonObject;
    expect(encodeCanonicalJson({ ...rest, schema_version: 1 })).toBe(v1.leaf_data);
  });

  it("is quoted verbatim by docs/log-format.md", () => {
    for (const value of [v1.leaf_data, v1.leaf_hash_hex]) expect(doc).toContain(value);
  });

  it("has no recomputable content digest: v1 stored an unkeyed one over the event as sent", () => {
    expect(recomputeContentDigest(portableHasher, new Uint8Array(32), utf8(v1.leaf_data), v1.disclosures)).toEqual({
      unavailable: "legacy_entry",
    });
  });
});
