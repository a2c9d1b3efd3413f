// tlog-proof text (c2sp.org/tlog-proof@v1): round trip, the spec's line rules,
// and verification refusing a changed leaf, proof hash, index or checkpoint.
import { ed25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { toBase64, utf8 } from "../bytes.js";
import { portableHasher as hasher } from "../hasher.js";
import { hashLeaf, rootFromLeafHashes } from "../merkle/rfc6962.js";
import { signCheckpoint } from "../note/checkpoint.js";
import { buildEd25519Signer } from "../note/ed25519-signer.js";
import { encodeVerifierKey } from "../note/verifier-key.js";
import { verifyTlogProof } from "../verify/tlog-proof-verifier.js";
import { encodeTlogProof, parseTlogProof } from "./tlog-proof.js";

const ORIGIN = "trailproof.localhost/log/acme";
const seed = new Uint8Array(32).fill(1);
const KEY = encodeVerifierKey(hasher, ORIGIN, ed25519.getPublicKey(seed));
const leaves = [0, 1, 2].map((i) => utf8(`{"action":"a","id":"e${i}"}`));
const hashes = leaves.map((l) => hashLeaf(hasher, l));
const checkpoint = signCheckpoint(
  { origin: ORIGIN, treeSize: 3n, rootHash: rootFromLeafHashes(hasher, hashes), extensions: [] },
  buildEd25519Signer(hasher, ORIGIN, seed),
);
// Entry 1 of 3: its sibling is leaf 0, then the subtree of leaf 2.
const proof = encodeTlogProof({
  extra: leaves[1],
  index: 1n,
  inclusionProof: [hashes[0] as Uint8Array, hashes[2] as Uint8Array],
  checkpoint,
});

describe("tlog-proof", () => {
  it("has the spec's layout and round-trips", () => {
    const lines = proof.split("\n");
    expect(lines[0]).toBe("c2sp.org/tlog-proof@v1");
    expect(lines[1]).toBe(`extra ${toBase64(leaves[1] as Uint8Array)}`);
    expect(lines[2]).toBe("index 1");
    expect(lines[5]).toBe("");
    expect(proof.endsWith(checkpoint)).toBe(true);
    const parsed = parseTlogProof(proof);
    expect(parsed.index).toBe(1n);
    expect(parsed.inclusionProof).toHaveLength(2);
    expect(parsed.checkpoint).toBe(checkpoint);
  });

  it("verifies from the proof alone and against the event held", () => {
    expect(verifyTlogProof(proof, { verifierKeys: [KEY] })).toMatchObject({ index: 1, treeSize: 3, origin: ORIGIN });
    expect(verifyTlogProof(proof, { verifierKeys: [KEY], leafData: leaves[1] }).index).toBe(1);
  });

  it("refuses another event, a changed hash, index or leaf, and malformed text", () => {
    expect(() => verifyTlogProof(proof, { verifierKeys: [KEY], leafData: leaves[2] })).toThrow(
      expect.objectContaining({ code: "PROOF_INVALID" }),
    );
    const swapped = proof.replace(toBase64(hashes[0] as Uint8Array), toBase64(hashes[2] as Uint8Array));
    expect(() => verifyTlogProof(swapped, { verifierKeys: [KEY] })).toThrow(
      expect.objectContaining({ code: "PROOF_ROOT_MISMATCH" }),
    );
    expect(() => verifyTlogProof(proof.replace("index 1", "index 0"), { verifierKeys: [KEY] })).toThrow(
      expect.objectContaining({ code: "PROOF_ROOT_MISMATCH" }),
    );
    const otherLeaf = proof.replace(toBase64(leaves[1] as Uint8Array), toBase64(leaves[0] as Uint8Array));
    expect(() => verifyTlogProof(otherLeaf, { verifierKeys: [KEY] })).toThrow(
      expect.objectContaining({ code: "PROOF_ROOT_MISMATCH" }),
    );
    const noLeaf = proof.replace(/^extra .*\n/m, "");
    expect(() => verifyTlogProof(noLeaf, { verifierKeys: [KEY] })).toThrow(
      expect.objectContaining({ code: "PROOF_FORMAT_INVALID" }),
    );
    expect(verifyTlogProof(noLeaf, { verifierKeys: [KEY], leafData: leaves[1] }).index).toBe(1);
    for (const bad of ["", "c2sp.org/tlog-proof@v2\nindex 1\n\n", proof.replace("index 1", "index 01")]) {
      expect(() => parseTlogProof(bad)).toThrow(expect.objectContaining({ code: "PROOF_FORMAT_INVALID" }));
    }
    const resigned = proof.replace(
      /— .*\n$/,
      "— other.example AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
    );
    expect(() => verifyTlogProof(resigned, { verifierKeys: [KEY] })).toThrow(
      expect.objectContaining({ code: "NOTE_UNSIGNED" }),
    );
  });
});
