// Salted commitments to personal values (log format v1): the leaf keeps
// base64(SHA-256(salt || RFC 8785 UTF-8 of the value)) with a 32-byte salt;
// the value and salt live beside the log and can be erased without breaking proofs.
import { equalBytes, fromBase64, toBase64 } from "../bytes.js";
import { encodeCanonicalJson, type JsonValue } from "../canonical-json.js";
import { VerificationError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { utf8Transient } from "./utf8-scratch.js";

export const COMMITMENT_SALT_BYTES = 32;

/** A personal value removed from a committed event, with what proves it. */
export interface Disclosure {
  /** RFC 6901 pointer into the event where the value belongs. */
  pointer: string;
  /** The 32-byte salt, standard padded base64. */
  salt: string;
  value: JsonValue;
}

/** base64(SHA-256(salt || RFC 8785 UTF-8 of `value`)). */
export function commitValue(hasher: Hasher, salt: Uint8Array, value: JsonValue): string {
  return toBase64(hasher.sha256(salt, utf8Transient(encodeCanonicalJson(value))));
}

function mismatch(pointer: string, reason: string, cause?: unknown): VerificationError {
  return new VerificationError("PRIVACY_COMMITMENT_MISMATCH", `disclosure for ${pointer || "(event)"} ${reason}`, {
    cause,
  });
}

/**
 * Throws PRIVACY_COMMITMENT_MISMATCH unless `disclosure` (untrusted) opens
 * `commitment`. Fails closed: a malformed salt or value is a mismatch too.
 */
export function verifyDisclosure(hasher: Hasher, commitment: string, disclosure: Disclosure): void {
  let salt: Uint8Array;
  let expected: Uint8Array;
  let actual: Uint8Array;
  try {
    salt = fromBase64(disclosure.salt);
    expected = fromBase64(commitment);
    actual = fromBase64(commitValue(hasher, salt, disclosure.value));
  } catch (cause) {
    throw mismatch(disclosure.pointer, "is malformed", cause);
  }
  if (salt.length !== COMMITMENT_SALT_BYTES) throw mismatch(disclosure.pointer, "has a salt that is not 32 bytes");
  if (!equalBytes(expected, actual)) throw mismatch(disclosure.pointer, "does not match its commitment");
}
