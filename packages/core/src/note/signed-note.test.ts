// Signed notes and checkpoints against the Go reference implementation's
// vectors (testdata/signed-note) and against tampering.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromBase64 } from "../bytes.js";
import { portableHasher as hasher } from "../hasher.js";
import { parseCheckpointBody, signCheckpoint, verifyCheckpoint } from "./checkpoint.js";
import { codeOf } from "./code-of.fixture.js";
import { buildEd25519Signer } from "./ed25519-signer.js";
import { parseNote, signNote, verifyNote } from "./signed-note.js";
import { parseVerifierKey } from "./verifier-key.js";

const vectors = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../../../testdata/signed-note/go-sumdb-note.json"), "utf8"),
);
const seed = fromBase64(vectors.signer_seed).slice(1);
const signer = buildEd25519Signer(hasher, "PeterNeumann", seed);

describe("signed notes (Go sumdb/note vectors)", () => {
  it("derives the reference verifier key from the reference seed", () => {
    expect(signer.verifierKey).toBe(vectors.verifier_key);
  });

  it("signs byte-for-byte like the reference", () => {
    expect(signNote(vectors.text, [signer])).toBe(vectors.signed);
  });

  it("verifies the reference note and ignores other keys' signatures", () => {
    const verifier = parseVerifierKey(hasher, vectors.verifier_key);
    expect(verifyNote(vectors.signed, verifier).text).toBe(vectors.text);
    expect(verifyNote(vectors.signed + vectors.other_signature_line, verifier).signatures).toHaveLength(2);
    const other = parseVerifierKey(hasher, vectors.other_verifier_key);
    expect(verifyNote(vectors.signed + vectors.other_signature_line, other).text).toBe(vectors.text);
  });

  it("rejects a note not signed by the pinned key", () => {
    const other = parseVerifierKey(hasher, vectors.other_verifier_key);
    expect(codeOf(() => verifyNote(vectors.signed, other))).toBe("NOTE_UNSIGNED");
  });

  it("rejects a modified text or a corrupted signature", () => {
    const verifier = parseVerifierKey(hasher, vectors.verifier_key);
    expect(codeOf(() => verifyNote(vectors.signed.replace("answer", "answers"), verifier))).toBe(
      "NOTE_SIGNATURE_INVALID",
    );
    const sigAt = vectors.signed.indexOf("x08go");
    const corrupted = `${vectors.signed.slice(0, sigAt + 10)}A${vectors.signed.slice(sigAt + 11)}`;
    expect(codeOf(() => verifyNote(corrupted, verifier))).toMatch(/NOTE_SIGNATURE_INVALID|NOTE_MALFORMED/);
  });

  it("rejects malformed notes as the reference does", () => {
    const sig = `\u2014 PeterNeumann ${vectors.signed.split("PeterNeumann ")[1]}`;
    for (const bad of [
      vectors.text,
      `${vectors.text}\n`,
      `${vectors.text}\n${sig.slice(0, -1)}`,
      `\u0001${vectors.text}\n${sig}`,
      `${vectors.text}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${vectors.text}\n${sig}Unexpected line.\n`,
    ]) {
      expect(codeOf(() => parseNote(bad))).toBe("NOTE_MALFORMED");
    }
    expect(codeOf(() => parseNote(new Uint8Array([0xff, 0x0a, 0x0a])))).toBe("NOTE_MALFORMED");
  });

  it("rejects every mangled verifier key", () => {
    const key: string = vectors.verifier_key;
    for (let i = 0; i < key.length; i++) {
      const mangled = key.slice(0, i) + String.fromCharCode(key.charCodeAt(i) + 1) + key.slice(i + 1);
      expect(codeOf(() => parseVerifierKey(hasher, mangled))).toBe("NOTE_KEY_INVALID");
    }
    expect(codeOf(() => parseVerifierKey(hasher, key.slice(0, -4)))).toBe("NOTE_KEY_INVALID");
  });
});

describe("checkpoints", () => {
  const origin = "trailproof.test/log/acme";
  const cp = { origin, treeSize: 1234n, rootHash: new Uint8Array(32).fill(7), extensions: [] };
  const log = buildEd25519Signer(hasher, origin, new Uint8Array(32).fill(1));
  const verifier = parseVerifierKey(hasher, log.verifierKey);

  it("round-trips and verifies", () => {
    const note = signCheckpoint(cp, log);
    expect(note.startsWith(`${origin}\n1234\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n\n\u2014 ${origin} `)).toBe(
      true,
    );
    const parsed = verifyCheckpoint(note, verifier, origin);
    expect(parsed.treeSize).toBe(1234n);
    expect(parsed.rootHash).toEqual(cp.rootHash);
  });

  it("fails closed on another origin, a forged size, or another key", () => {
    const note = signCheckpoint(cp, log);
    expect(codeOf(() => verifyCheckpoint(note, verifier, "trailproof.test/log/other"))).toBe(
      "CHECKPOINT_ORIGIN_MISMATCH",
    );
    expect(codeOf(() => verifyCheckpoint(note.replace("\n1234\n", "\n1235\n"), verifier, origin))).toBe(
      "NOTE_SIGNATURE_INVALID",
    );
    const forger = buildEd25519Signer(hasher, origin, new Uint8Array(32).fill(2));
    expect(codeOf(() => verifyCheckpoint(signCheckpoint(cp, forger), verifier, origin))).toBe("NOTE_UNSIGNED");
  });

  it("rejects malformed bodies", () => {
    for (const bad of [
      "o\n01\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
      "o\n1\nBwc=\n",
      "\n1\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
      "o\n1\n",
      "o\n-1\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
    ]) {
      expect(codeOf(() => parseCheckpointBody(bad))).toBe("CHECKPOINT_MALFORMED");
    }
  });
});
