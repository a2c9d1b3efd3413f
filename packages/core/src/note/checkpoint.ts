// C2SP tlog-checkpoint: the note text "<origin>\n<tree size>\n<base64 root
// hash>\n" followed by optional extension lines, signed as a C2SP signed note.
import { fromBase64, toBase64 } from "../bytes.js";
import { InvalidInputError, VerificationError } from "../errors.js";
import { type NoteSigner, signNote, verifyNote } from "./signed-note.js";
import type { NoteVerifier } from "./verifier-key.js";

export interface Checkpoint {
  origin: string;
  treeSize: bigint;
  rootHash: Uint8Array;
  extensions: string[];
}

const MAX_UINT64 = (1n << 64n) - 1n;

export function encodeCheckpointBody(cp: Checkpoint): string {
  if (cp.origin.length === 0 || cp.origin.includes("\n"))
    throw new InvalidInputError("CHECKPOINT_MALFORMED", "bad origin");
  const ext = cp.extensions.map((line) => `${line}\n`).join("");
  return `${cp.origin}\n${cp.treeSize.toString(10)}\n${toBase64(cp.rootHash)}\n${ext}`;
}

/** Parses a checkpoint body (the note text). `text` is untrusted. */
export function parseCheckpointBody(text: string): Checkpoint {
  const fail = (why: string) => new InvalidInputError("CHECKPOINT_MALFORMED", `malformed checkpoint: ${why}`);
  if (!text.endsWith("\n")) throw fail("must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) throw fail("needs origin, tree size and root hash lines");
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw fail("empty origin");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw fail("tree size is not a decimal number without leading zeros");
  const treeSize = BigInt(sizeText);
  if (treeSize > MAX_UINT64) throw fail("tree size exceeds 64 bits");
  let rootHash: Uint8Array;
  try {
    rootHash = fromBase64(rootText);
  } catch {
    throw fail("root hash is not base64");
  }
  if (rootHash.length !== 32) throw fail("root hash is not 32 bytes");
  if (extensions.some((l) => l.length === 0)) throw fail("empty extension line");
  return { origin, treeSize, rootHash, extensions };
}

export function signCheckpoint(cp: Checkpoint, signer: NoteSigner): string {
  return signNote(encodeCheckpointBody(cp), [signer]);
}

/**
 * Verifies a signed checkpoint against a pinned key and the expected origin.
 * Fails closed: CHECKPOINT_ORIGIN_MISMATCH when the origin differs, the note
 * errors of verifyNote otherwise.
 */
export function verifyCheckpoint(encoded: string | Uint8Array, verifier: NoteVerifier, origin: string): Checkpoint {
  const note = verifyNote(encoded, verifier);
  const cp = parseCheckpointBody(note.text);
  if (cp.origin !== origin) {
    throw new VerificationError(
      "CHECKPOINT_ORIGIN_MISMATCH",
      `checkpoint origin ${JSON.stringify(cp.origin)} is not ${JSON.stringify(origin)}`,
    );
  }
  return cp;
}
