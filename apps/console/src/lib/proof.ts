// Checks an event's inclusion proof in the browser, failing closed: the event
// shown must hash (as its committed form, RFC 8785) to the proven leaf, the
// checkpoint must carry a valid signature by a trusted key for the log's
// origin, and the RFC 6962 proof must lead from that leaf to the signed root.
import {
  encodeCanonicalJsonBytes,
  equalBytes,
  fromBase64,
  hashLeaf,
  type JsonObject,
  type NoteVerifier,
  parseVerifierKey,
  portableHasher,
  redactEvent,
  verifyCheckpoint,
  verifyInclusion,
} from "@trailproof/core";
import type { EventDetail } from "../api/types.js";

export type ProofCheck =
  | { ok: true; index: number; treeSize: number; keyName: string }
  | { ok: false; step: string; reason: string };

export interface TrustedKeys {
  origin: string;
  /** Verifier key strings (C2SP signed-note format). */
  keys: readonly string[];
}

export function eventProofCheck(detail: EventDetail, trusted: TrustedKeys): ProofCheck {
  const proof = detail.proof;
  if (!proof) return { ok: false, step: "proof", reason: "the server sent no proof" };
  const fail = (step: string, err: unknown): ProofCheck => ({
    ok: false,
    step,
    reason: err instanceof Error ? err.message : String(err),
  });

  let leafHash: Uint8Array;
  try {
    leafHash = fromBase64(proof.inclusion.leaf_hash);
    const recomputed = hashLeaf(portableHasher, encodeCanonicalJsonBytes(redactEvent(detail.event as JsonObject)));
    if (!equalBytes(recomputed, leafHash)) {
      return { ok: false, step: "leaf", reason: "the event shown does not hash to the leaf the proof is for" };
    }
  } catch (err) {
    return fail("leaf", err);
  }
  if (proof.inclusion.index !== detail.index) {
    return { ok: false, step: "leaf", reason: `the proof is for entry ${proof.inclusion.index}, not ${detail.index}` };
  }

  let verifiers: NoteVerifier[];
  try {
    verifiers = trusted.keys.map((k) => parseVerifierKey(portableHasher, k));
  } catch (err) {
    return fail("key", err);
  }
  let checkpoint: ReturnType<typeof verifyCheckpoint> | undefined;
  let signer: NoteVerifier | undefined;
  let lastError: unknown = new Error("no trusted key");
  for (const v of verifiers) {
    try {
      checkpoint = verifyCheckpoint(proof.checkpoint, v, trusted.origin);
      signer = v;
      break;
    } catch (err) {
      lastError = err;
    }
  }
  if (!checkpoint || !signer) return fail("signature", lastError);
  if (checkpoint.treeSize !== BigInt(proof.inclusion.size)) {
    return {
      ok: false,
      step: "checkpoint",
      reason: `the proof is for tree size ${proof.inclusion.size} but the checkpoint signs ${checkpoint.treeSize}`,
    };
  }
  try {
    verifyInclusion(
      portableHasher,
      BigInt(proof.inclusion.index),
      checkpoint.treeSize,
      leafHash,
      proof.inclusion.proof.map((h) => fromBase64(h)),
      checkpoint.rootHash,
    );
  } catch (err) {
    return fail("inclusion", err);
  }
  return { ok: true, index: detail.index, treeSize: Number(checkpoint.treeSize), keyName: signer.name };
}
