// RFC 9162 section 2.1.3.2: verifying an inclusion proof (the algorithm is the
// same for RFC 6962 trees; only the wire format of the proof differs).

import { equalBytes } from "../bytes.js";
import { VerificationError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { HASH_SIZE, hashChildren } from "./rfc6962.js";
import { toIndex } from "./tree-math.js";

/**
 * Recomputes the root from an inclusion proof. Throws PROOF_INVALID when the
 * proof cannot belong to a tree of `treeSize` (index out of range, too many or
 * too few hashes, hashes of the wrong length). All inputs are untrusted.
 */
export function rootFromInclusionProof(
  hasher: Hasher,
  index: number | bigint,
  treeSize: number | bigint,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  const idx = toIndex(index);
  const size = toIndex(treeSize);
  if (idx >= size) throw invalid(`index ${idx} is not below tree size ${size}`);
  if (leafHash.length !== HASH_SIZE) throw invalid("leaf hash is not 32 bytes");
  let fn = idx;
  let sn = size - 1n;
  let r = leafHash;
  for (const p of proof) {
    if (p.length !== HASH_SIZE) throw invalid("proof hash is not 32 bytes");
    if (sn === 0n) throw invalid("proof has more hashes than the tree has levels");
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(hasher, p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = hashChildren(hasher, r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw invalid("proof has fewer hashes than the tree has levels");
  return r;
}

/** Throws VerificationError (PROOF_INVALID or PROOF_ROOT_MISMATCH) unless the proof holds. */
export function verifyInclusion(
  hasher: Hasher,
  index: number | bigint,
  treeSize: number | bigint,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  rootHash: Uint8Array,
): void {
  const computed = rootFromInclusionProof(hasher, index, treeSize, leafHash, proof);
  if (!equalBytes(computed, rootHash)) {
    throw new VerificationError("PROOF_ROOT_MISMATCH", "inclusion proof leads to a different root hash");
  }
}

function invalid(message: string): VerificationError {
  return new VerificationError("PROOF_INVALID", `invalid inclusion proof: ${message}`);
}
