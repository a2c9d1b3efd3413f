// RFC 9162 section 2.1.4.2: verifying a consistency proof between two tree
// sizes, with the edge cases (equal sizes, empty first tree) handled as
// transparency-dev/merkle does, so that its published vectors apply.

import { equalBytes } from "../bytes.js";
import { VerificationError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { HASH_SIZE, hashChildren } from "./rfc6962.js";
import { isPowerOfTwo, toIndex } from "./tree-math.js";

/**
 * Throws VerificationError unless `proof` shows that the tree of size1 with
 * root1 is a prefix of the tree of size2 with root2. All inputs are untrusted.
 */
export function verifyConsistency(
  hasher: Hasher,
  size1: number | bigint,
  size2: number | bigint,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  const first = toIndex(size1);
  const second = toIndex(size2);
  if (second < first) throw invalid(`size2 ${second} is smaller than size1 ${first}`);
  // Every tree extends the empty one, so a proof from size 0 proves nothing;
  // like transparency-dev/merkle, refuse it rather than accept any root.
  if (first === 0n) throw invalid("no consistency proof exists from the empty tree");
  if (first === second) {
    if (proof.length > 0) throw invalid("sizes are equal but the proof is not empty");
    if (!equalBytes(root1, root2)) throw mismatch("equal sizes with different root hashes");
    return;
  }
  if (proof.length === 0) throw invalid("empty proof");
  for (const p of proof) if (p.length !== HASH_SIZE) throw invalid("proof hash is not 32 bytes");

  const path = isPowerOfTwo(first) ? [root1, ...proof] : [...proof];
  let fn = first - 1n;
  let sn = second - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0] as Uint8Array;
  let sr = path[0] as Uint8Array;
  for (const c of path.slice(1)) {
    if (sn === 0n) throw invalid("proof has more hashes than needed");
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(hasher, c, fr);
      sr = hashChildren(hasher, c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = hashChildren(hasher, sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw invalid("proof has fewer hashes than needed");
  if (!equalBytes(fr, root1)) throw mismatch("proof does not lead to root1");
  if (!equalBytes(sr, root2)) throw mismatch("proof does not lead to root2");
}

function invalid(message: string): VerificationError {
  return new VerificationError("PROOF_INVALID", `invalid consistency proof: ${message}`);
}

function mismatch(message: string): VerificationError {
  return new VerificationError("PROOF_ROOT_MISMATCH", `consistency proof fails: ${message}`);
}
