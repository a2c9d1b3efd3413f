// Verifies a C2SP tlog-proof (docs/log-format.md, "Single-event proofs") as
// the spec's "Verifying a tlog proof" lays out: the leaf hash from the leaf
// data (the proof's `extra`, or the event the caller holds, which MUST then be
// the same bytes), the checkpoint signed by a pinned key for its origin, and
// the inclusion proof from that leaf hash to the checkpoint's root.
import { equalBytes, toBase64 } from "../bytes.js";
import { InvalidInputError, VerificationError } from "../errors.js";
import { type Hasher, portableHasher } from "../hasher.js";
import { verifyInclusion } from "../merkle/inclusion-proof.js";
import { hashLeaf } from "../merkle/rfc6962.js";
import { parseTlogProof } from "../tiles/tlog-proof.js";
import { verifyCheckpointByAny } from "./signed-by-any.js";

export interface TlogProofOptions {
  verifierKeys: readonly string[];
  /** The entry's leaf data as the caller has it (RFC 8785 of the committed event): the proof MUST be for it. */
  leafData?: Uint8Array;
  hasher?: Hasher;
}

export interface VerifiedTlogProof {
  origin: string;
  index: number;
  treeSize: number;
  leafHash: string;
  leafData: Uint8Array;
}

/** Throws (with a code) unless `text` proves its entry is in a checkpoint a pinned key signed. */
export function verifyTlogProof(text: string, options: TlogProofOptions): VerifiedTlogProof {
  const hasher = options.hasher ?? portableHasher;
  const proof = parseTlogProof(text);
  const leafData = options.leafData ?? proof.extra;
  if (leafData === undefined) {
    throw new InvalidInputError("PROOF_FORMAT_INVALID", "the proof carries no leaf data: give the event it is for");
  }
  if (options.leafData && proof.extra && !equalBytes(options.leafData, proof.extra)) {
    throw new VerificationError("PROOF_INVALID", "the proof is for another entry than the event given");
  }
  const { checkpoint } = verifyCheckpointByAny(hasher, proof.checkpoint, options.verifierKeys);
  const leafHash = hashLeaf(hasher, leafData);
  verifyInclusion(hasher, proof.index, checkpoint.treeSize, leafHash, proof.inclusionProof, checkpoint.rootHash);
  return {
    origin: checkpoint.origin,
    index: Number(proof.index),
    treeSize: Number(checkpoint.treeSize),
    leafHash: toBase64(leafHash),
    leafData,
  };
}
