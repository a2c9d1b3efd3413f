// Characterisation of sealing: the corpus (seal-corpus.ts) sealed with fixed
// randomness gives exactly the outputs the log format fixed when this test was
// written (leaf bytes, leaf hashes, content digests, disclosures, fields, and
// every problem of every rejected input). Any changed byte changes the digest.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { encodeCanonicalJson, hasErrorCode } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { nodeHasher } from "../node-hasher.js";
import { type SealOutcome, sealEntry } from "../prepare-entry.js";
import { buildCorpus, corpusRegistry } from "./seal-corpus.js";

/** Deterministic bytes, SHA-256(counter) blocks: the same calls get the same bytes. */
function fixedRandomBytes(): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let filled = 0; filled < n; filled += 32) {
      const block = createHash("sha256").update(`corpus:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, n - filled)), filled);
    }
    return out;
  };
}

/** What sealing fixes for good (searchable fields are derived from the leaf, not characterised here). */
function describeOutcome(outcome: SealOutcome): unknown {
  if (!("row" in outcome)) return outcome;
  const { row } = outcome;
  return {
    eventId: row.eventId,
    leafData: new TextDecoder().decode(row.leafData),
    leafHash: Buffer.from(row.leafHash).toString("hex"),
    contentDigest: row.contentDigest,
    receivedMs: row.receivedMs,
    disclosures: row.disclosures.map((d) => ({
      pointer: d.pointer,
      salt: Buffer.from(d.salt).toString("hex"),
      value: encodeCanonicalJson(d.value),
    })),
  };
}

function snapshot(input: unknown): string {
  try {
    return JSON.stringify(input) ?? "undefined";
  } catch {
    return "unserialisable";
  }
}

/** One line per case, so a failing digest can be narrowed down. */
function sealCorpusLines(events: readonly Record<string, never>[]): string[] {
  const randomBytes = fixedRandomBytes();
  const registry = corpusRegistry();
  return buildCorpus(events).map(({ input, unknownActions }, k) => {
    const before = snapshot(input);
    let line: unknown;
    try {
      const receivedMs = Date.UTC(2026, 5, 1) + k;
      line = describeOutcome(
        sealEntry(input, { registry, unknownActions, hasher: nodeHasher, receivedMs, randomBytes }),
      );
    } catch (err) {
      line = { thrown: hasErrorCode(err, "EVENT_CONTEXT_INVALID") ? "EVENT_CONTEXT_INVALID" : String(err) };
    }
    return JSON.stringify({ k, line, inputUnchanged: snapshot(input) === before });
  });
}

describe("sealing the characterisation corpus", () => {
  it("gives the outputs fixed before sealing was optimised", () => {
    const events = JSON.parse(readFileSync(new URL("./seal-corpus-events.json", import.meta.url), "utf8"));
    const lines = sealCorpusLines(events);
    // To see which case changed: SEAL_CORPUS_OUT=lines.txt, then diff against a run of the old code.
    if (process.env.SEAL_CORPUS_OUT) writeFileSync(process.env.SEAL_CORPUS_OUT, `${lines.join("\n")}\n`);
    // 151 sealed (738 disclosures), 101 rejected with 67 distinct problems, every input left unchanged.
    expect(lines.length).toBe(252);
    expect(createHash("sha256").update(lines.join("\n")).digest("hex")).toBe(
      "9864dae60321d11f4366102e48d57a1bc744ea7676c00a46fbec7306e97aef8b",
    );
  });
});
