// C2SP signed-note keys: the key hash (first 4 bytes of SHA-256 over
// name || "\n" || 0x01 || public key) and the verifier key string
// `<name>+<hex key hash>+<base64(0x01 || public key)>`, Ed25519 only.
import { ed25519 } from "@noble/curves/ed25519.js";
import { concatBytes, fromBase64, toBase64, utf8 } from "../bytes.js";
import { InvalidInputError } from "../errors.js";
import type { Hasher } from "../hasher.js";

export const ALG_ED25519 = 0x01;

/** Checks a signed-note key name: non-empty, no whitespace, no "+". */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !/[\p{Cc}]/u.test(name);
}

/** The 32-bit key hash that prefixes every signature and names the key. */
export function computeKeyHash(hasher: Hasher, name: string, publicKey: Uint8Array): number {
  const digest = hasher.sha256(utf8(`${name}\n`), new Uint8Array([ALG_ED25519]), publicKey);
  return (
    (((digest[0] as number) << 24) |
      ((digest[1] as number) << 16) |
      ((digest[2] as number) << 8) |
      (digest[3] as number)) >>>
    0
  );
}

export function encodeVerifierKey(hasher: Hasher, name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name))
    throw new InvalidInputError("NOTE_KEY_INVALID", `invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new InvalidInputError("NOTE_KEY_INVALID", "an Ed25519 public key is 32 bytes");
  const hash = computeKeyHash(hasher, name, publicKey).toString(16).padStart(8, "0");
  return `${name}+${hash}+${toBase64(concatBytes(new Uint8Array([ALG_ED25519]), publicKey))}`;
}

/** Verifies signatures by one key: what a checkpoint reader pins. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyHash: number;
  /** The verifier key string this verifier was parsed from. */
  readonly verifierKey: string;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * Parses a verifier key string. `text` is untrusted: a wrong name, hash,
 * algorithm or key length throws NOTE_KEY_INVALID.
 */
export function parseVerifierKey(hasher: Hasher, text: string): NoteVerifier {
  const fail = (why: string) => new InvalidInputError("NOTE_KEY_INVALID", `invalid verifier key: ${why}`);
  // Split at the first two "+" only: the base64 key may contain "+".
  const first = text.indexOf("+");
  const second = first < 0 ? -1 : text.indexOf("+", first + 1);
  if (second < 0) throw fail("expected name+hash+key");
  const name = text.slice(0, first);
  const hashHex = text.slice(first + 1, second);
  const keyB64 = text.slice(second + 1);
  if (!isValidKeyName(name)) throw fail("bad key name");
  if (!/^[0-9a-f]{8}$/.test(hashHex)) throw fail("key hash is not 8 lowercase hex digits");
  let key: Uint8Array;
  try {
    key = fromBase64(keyB64);
  } catch {
    throw fail("key is not base64");
  }
  if (key.length !== 33 || key[0] !== ALG_ED25519) throw fail("not an Ed25519 key");
  const publicKey = key.slice(1);
  const keyHash = computeKeyHash(hasher, name, publicKey);
  if (keyHash !== Number.parseInt(hashHex, 16)) throw fail("key hash does not match the key");
  return {
    name,
    keyHash,
    verifierKey: text,
    verify(message, signature) {
      if (signature.length !== 64) return false;
      try {
        return ed25519.verify(signature, message, publicKey, { zip215: false });
      } catch {
        return false;
      }
    },
  };
}
