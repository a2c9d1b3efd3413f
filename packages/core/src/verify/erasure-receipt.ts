// The erasure receipt (issue 12): what POST /v1/erasures gives the requester
// to keep. It is the erasure.complete entry exactly as sealed (its leaf, in
// the committed form), its RFC 6962 inclusion proof and the C2SP signed
// checkpoint the proof is against; anyone holding the log's verifier key can
// check offline that the log recorded the erasure, and keep checking later
// checkpoints' consistency with that one.
import { fromBase64, toBase64 } from "../bytes.js";
import { encodeCanonicalJson, type JsonObject } from "../canonical-json.js";
import { VerificationError } from "../errors.js";
import { type Hasher, portableHasher } from "../hasher.js";
import { verifyInclusion } from "../merkle/inclusion-proof.js";
import { hashLeaf } from "../merkle/index.js";
import { verifyCheckpoint } from "../note/checkpoint.js";
import { parseVerifierKey } from "../note/verifier-key.js";

export const ERASURE_RECEIPT_FORMAT = "trailproof-erasure-receipt/v1";

export interface ErasureReceipt {
  format: typeof ERASURE_RECEIPT_FORMAT;
  erasure_id: string;
  /** The erasure.complete event as sealed (its leaf is the RFC 8785 form of this). */
  event: JsonObject;
  index: number;
  checkpoint: string;
  inclusion: { index: number; size: number; leaf_hash: string; proof: string[] };
}

function fail(message: string): VerificationError {
  return new VerificationError("RECEIPT_MISMATCH", message);
}

/**
 * Throws VerificationError unless `receipt` (untrusted) shows an
 * erasure.complete event of its erasure id included in a checkpoint signed
 * by `verifierKey` (pinned out of band). Returns the checkpoint's size.
 */
export function verifyErasureReceipt(
  receipt: ErasureReceipt,
  verifierKey: string,
  hasher: Hasher = portableHasher,
): { treeSize: bigint; origin: string } {
  if (receipt?.format !== ERASURE_RECEIPT_FORMAT) throw fail(`not a ${ERASURE_RECEIPT_FORMAT} receipt`);
  const event = receipt.event;
  const metadata = event?.metadata as JsonObject | undefined;
  if (event?.action !== "erasure.complete" || metadata?.erasure_id !== receipt.erasure_id) {
    throw fail(`the receipt's event is not the erasure.complete of ${receipt.erasure_id}`);
  }
  const leafHash = hashLeaf(hasher, new TextEncoder().encode(encodeCanonicalJson(event)));
  if (toBase64(leafHash) !== receipt.inclusion.leaf_hash || receipt.inclusion.index !== receipt.index) {
    throw fail("the receipt's event does not hash to its leaf");
  }
  const verifier = parseVerifierKey(hasher, verifierKey);
  const cp = verifyCheckpoint(receipt.checkpoint, verifier, verifier.name);
  if (BigInt(receipt.inclusion.size) !== cp.treeSize) {
    throw fail(`the proof is for size ${receipt.inclusion.size}, the checkpoint for ${cp.treeSize}`);
  }
  verifyInclusion(
    hasher,
    receipt.inclusion.index,
    cp.treeSize,
    leafHash,
    receipt.inclusion.proof.map((p) => fromBase64(p)),
    cp.rootHash,
  );
  return { treeSize: cp.treeSize, origin: cp.origin };
}
