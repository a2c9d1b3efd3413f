// Checks a receipt against the log without trusting the service: fetches the
// event's inclusion proof and the checkpoint it is against (GET
// /v1/events/{id}, auditor key), and verifies both with core against a
// verifier key the caller pinned (C2SP signed note, RFC 6962 inclusion).
import {
  type ErrorCode,
  fromBase64,
  parseVerifierKey,
  portableHasher,
  VerificationError,
  verifyCheckpoint,
  verifyInclusion,
} from "@trailproof/core";
import { EventDetailSchema } from "@trailproof/protocol";
import { Value } from "typebox/value";
import type { Receipt } from "./event-draft.js";

export interface VerifyReceiptOptions {
  url: string;
  /** An auditor (or admin) key: only those get proofs. */
  apiKey: string;
  /** The log's verifier key, pinned out of band (`<origin>+<hash>+<key>`); never taken from the service. */
  verifierKey: string;
  /** The checkpoint origin; default the verifier key's name, as Trailproof names its keys. */
  origin?: string;
  fetch?: typeof globalThis.fetch;
}

export interface VerifiedReceipt {
  /** Size of the signed tree the event was proven in. */
  treeSize: bigint;
  /** Base64 root hash of that tree. */
  rootHash: Uint8Array;
}

function fail(code: ErrorCode, message: string, cause?: unknown): VerificationError {
  return new VerificationError(code, message, cause === undefined ? undefined : { cause });
}

/**
 * Throws VerificationError unless the log signed by `verifierKey` holds the
 * receipt's leaf at the receipt's index: RECEIPT_FETCH_FAILED,
 * RECEIPT_NOT_FOUND, RECEIPT_PROOF_MISSING, RECEIPT_MISMATCH, or core's
 * NOTE_* / CHECKPOINT_* / PROOF_* codes. Fails closed: what cannot be checked fails.
 */
export async function verifyReceipt(receipt: Receipt, options: VerifyReceiptOptions): Promise<VerifiedReceipt> {
  const verifier = parseVerifierKey(portableHasher, options.verifierKey);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const url = `${options.url.replace(/\/+$/, "")}/v1/events/${encodeURIComponent(receipt.id)}`;
  let res: Response;
  let body: unknown;
  try {
    res = await fetchImpl(url, { headers: { authorization: `Bearer ${options.apiKey}` } });
    body = await res.json();
  } catch (cause) {
    throw fail("RECEIPT_FETCH_FAILED", `could not fetch event ${receipt.id} and its proof`, cause);
  }
  if (res.status === 404) throw fail("RECEIPT_NOT_FOUND", `the log has no event ${receipt.id}`);
  if (res.status !== 200)
    throw fail("RECEIPT_FETCH_FAILED", `fetching event ${receipt.id} answered HTTP ${res.status}`);
  if (!Value.Check(EventDetailSchema, body)) throw fail("RECEIPT_FETCH_FAILED", "the answer is not an event detail");
  if (body.proof === undefined) {
    throw fail("RECEIPT_PROOF_MISSING", "the answer has no proof; use an auditor or admin key");
  }
  const { inclusion, checkpoint } = body.proof;
  if (inclusion.index !== receipt.index || body.index !== receipt.index) {
    throw fail(
      "RECEIPT_MISMATCH",
      `the log has event ${receipt.id} at index ${body.index}, the receipt says ${receipt.index}`,
    );
  }
  if (inclusion.leaf_hash !== receipt.leafHash) {
    throw fail("RECEIPT_MISMATCH", `the log's leaf hash of event ${receipt.id} differs from the receipt's`);
  }
  const cp = verifyCheckpoint(checkpoint, verifier, options.origin ?? verifier.name);
  if (BigInt(inclusion.size) !== cp.treeSize) {
    throw fail("RECEIPT_MISMATCH", `the proof is for size ${inclusion.size}, the checkpoint for ${cp.treeSize}`);
  }
  verifyInclusion(
    portableHasher,
    receipt.index,
    cp.treeSize,
    fromBase64(receipt.leafHash),
    inclusion.proof.map(fromBase64),
    cp.rootHash,
  );
  return { treeSize: cp.treeSize, rootHash: cp.rootHash };
}
