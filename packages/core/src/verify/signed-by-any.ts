// A checkpoint checked against several pinned verifier keys: it verifies when
// one of them signed it, with the key's name as the origin (a Trailproof log's
// key is named after its origin). Used by the tile and tlog-proof verifiers.
import { VerificationError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { type Checkpoint, verifyCheckpoint } from "../note/checkpoint.js";
import { type NoteVerifier, parseVerifierKey } from "../note/verifier-key.js";

/**
 * The checkpoint in `note` and the key that signed it. Throws the first
 * failure that is not "unsigned by this key" (a bad signature by a pinned key
 * says more than the absence of the others), or NOTE_UNSIGNED.
 */
export function verifyCheckpointByAny(
  hasher: Hasher,
  note: string,
  verifierKeys: readonly string[],
): { checkpoint: Checkpoint; verifier: NoteVerifier } {
  if (verifierKeys.length === 0) throw new VerificationError("NOTE_UNSIGNED", "no verifier key pinned");
  const errors: unknown[] = [];
  for (const key of verifierKeys) {
    const verifier = parseVerifierKey(hasher, key);
    try {
      return { checkpoint: verifyCheckpoint(note, verifier, verifier.name), verifier };
    } catch (err) {
      errors.push(err);
    }
  }
  throw errors.find((e) => (e as { code?: string }).code !== "NOTE_UNSIGNED") ?? errors[0];
}
