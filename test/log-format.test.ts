// Keeps docs/log-format.md true: its worked example is recomputed here and
// must equal the golden copy the document quotes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseVerifierKey, portableHasher, verifyCheckpoint } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { buildWorkedExample, GOLDEN_PATH } from "./worked-example.js";

describe("log format worked example", () => {
  const golden = JSON.parse(readFileSync(GOLDEN_PATH, "utf8"));
  const computed = buildWorkedExample();

  it("recomputes the golden leaf, leaf hash and checkpoint", () => {
    expect(JSON.parse(JSON.stringify(computed))).toEqual(golden);
  });

  it("has a checkpoint that verifies under its verifier key", () => {
    const cp = verifyCheckpoint(
      computed.checkpoint,
      parseVerifierKey(portableHasher, computed.verifier_key),
      "trailproof.localhost/log/acme",
    );
    expect(cp.treeSize).toBe(1n);
  });

  it("is quoted verbatim by docs/log-format.md", () => {
    const doc = readFileSync(join(import.meta.dirname, "../docs/log-format.md"), "utf8");
    for (const value of [golden.leaf_data, golden.leaf_hash_hex, golden.verifier_key, golden.checkpoint]) {
      expect(doc).toContain(value);
    }
  });
});
