// C2SP tlog-cosignature, the Ed25519 `cosignature/v1` type: a witness's note
// signature over a checkpoint, "— <name> base64(key ID || u64 timestamp ||
// Ed25519 signature)", signed over "cosignature/v1\ntime <T>\n" || checkpoint body.
// Key IDs and vkeys use signature type 0x04, so a log key never verifies one.
import { ed25519 } from "@noble/curves/ed25519.js";
import { concatBytes, fromBase64, toBase64, utf8 } from "../bytes.js";
import { InvalidInputError, VerificationError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { parseNote } from "./signed-note.js";
import { isValidKeyName } from "./verifier-key.js";

/** The signed-note signature type of an Ed25519 cosignature/v1 key. */
export const ALG_COSIGNATURE_V1 = 0x04;

const SIG_PREFIX = "\u2014 ";
const MAX_TIMESTAMP = (1n << 63n) - 1n;
const SIGNATURE_BYTES = 8 + 64;

/** One verified cosignature: whose it is, when it was made, and its note signature line (no newline). */
export interface Cosignature {
  name: string;
  keyHash: number;
  verifierKey: string;
  /** POSIX seconds, as the cosigner stated them. */
  timestamp: bigint;
  line: string;
}

/** A witness's signing half. `cosign` returns one note signature line, without its newline. */
export interface Cosigner {
  readonly name: string;
  readonly keyHash: number;
  readonly publicKey: Uint8Array;
  /** The vkey `<name>+<hex key ID>+base64(0x04 || public key)`. */
  readonly verifierKey: string;
  cosign(checkpointBody: string, timestamp: bigint): string;
}

/** Checks cosignatures by one witness key: what a checkpoint reader pins. */
export interface CosignatureVerifier {
  readonly name: string;
  readonly keyHash: number;
  readonly verifierKey: string;
  /** The timestamp when `signature` (timestamp || Ed25519 signature) cosigns `checkpointBody`; undefined otherwise. */
  verify(checkpointBody: string, signature: Uint8Array): bigint | undefined;
}

/** SHA-256(name || "\n" || 0x04 || public key)[:4], the cosigner's key ID. */
export function computeCosignerKeyHash(hasher: Hasher, name: string, publicKey: Uint8Array): number {
  const d = hasher.sha256(utf8(`${name}\n`), new Uint8Array([ALG_COSIGNATURE_V1]), publicKey);
  return new DataView(d.buffer, d.byteOffset, 4).getUint32(0);
}

export function encodeCosignerKey(hasher: Hasher, name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name))
    throw new InvalidInputError("NOTE_KEY_INVALID", `invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new InvalidInputError("NOTE_KEY_INVALID", "an Ed25519 public key is 32 bytes");
  const hash = computeCosignerKeyHash(hasher, name, publicKey).toString(16).padStart(8, "0");
  return `${name}+${hash}+${toBase64(concatBytes(new Uint8Array([ALG_COSIGNATURE_V1]), publicKey))}`;
}

/** The message a cosignature/v1 signs. `checkpointBody` is the note text, ending in its newline. */
export function cosignatureMessage(checkpointBody: string, timestamp: bigint): Uint8Array {
  if (timestamp < 0n || timestamp > MAX_TIMESTAMP) throw new RangeError("a cosignature timestamp is 0..2^63-1");
  return utf8(`cosignature/v1\ntime ${timestamp.toString(10)}\n${checkpointBody}`);
}

/** A cosigner from a 32-byte Ed25519 seed. */
export function buildCosigner(hasher: Hasher, name: string, seed: Uint8Array): Cosigner {
  if (seed.length !== 32) throw new RangeError("an Ed25519 seed is 32 bytes");
  const publicKey = ed25519.getPublicKey(seed);
  const keyHash = computeCosignerKeyHash(hasher, name, publicKey);
  return {
    name,
    keyHash,
    publicKey,
    verifierKey: encodeCosignerKey(hasher, name, publicKey),
    cosign(checkpointBody, timestamp) {
      const sig = ed25519.sign(cosignatureMessage(checkpointBody, timestamp), seed);
      const head = new Uint8Array(12);
      const view = new DataView(head.buffer);
      view.setUint32(0, keyHash);
      view.setBigUint64(4, timestamp);
      return `${SIG_PREFIX}${name} ${toBase64(concatBytes(head, sig))}`;
    },
  };
}

/**
 * Parses a cosigner vkey. `text` is untrusted: a bad name, key ID, signature
 * type (anything but 0x04) or key length throws NOTE_KEY_INVALID.
 */
export function parseCosignerKey(hasher: Hasher, text: string): CosignatureVerifier {
  const fail = (why: string) => new InvalidInputError("NOTE_KEY_INVALID", `invalid witness key: ${why}`);
  const first = text.indexOf("+");
  const second = first < 0 ? -1 : text.indexOf("+", first + 1);
  if (second < 0) throw fail("expected name+hash+key");
  const name = text.slice(0, first);
  const hashHex = text.slice(first + 1, second);
  if (!isValidKeyName(name)) throw fail("bad key name");
  if (!/^[0-9a-f]{8}$/.test(hashHex)) throw fail("key ID is not 8 lowercase hex digits");
  let key: Uint8Array;
  try {
    key = fromBase64(text.slice(second + 1));
  } catch {
    throw fail("key is not base64");
  }
  if (key.length !== 33 || key[0] !== ALG_COSIGNATURE_V1) throw fail("not an Ed25519 cosignature/v1 key (type 0x04)");
  const publicKey = key.slice(1);
  const keyHash = computeCosignerKeyHash(hasher, name, publicKey);
  if (keyHash !== Number.parseInt(hashHex, 16)) throw fail("key ID does not match the key");
  return {
    name,
    keyHash,
    verifierKey: text,
    verify(checkpointBody, signature) {
      if (signature.length !== SIGNATURE_BYTES) return undefined;
      const timestamp = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
      if (timestamp > MAX_TIMESTAMP) return undefined;
      try {
        const ok = ed25519.verify(signature.slice(8), cosignatureMessage(checkpointBody, timestamp), publicKey, {
          zip215: false,
        });
        return ok ? timestamp : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The valid cosignatures on a signed note (a checkpoint) by the given witness
 * keys, at most one per key. Lines by other keys are ignored, as the spec
 * requires; a line that names a given key (name and key ID) but does not
 * verify fails closed with COSIGNATURE_INVALID. `encoded` is untrusted.
 */
export function verifyCosignatures(
  encoded: string | Uint8Array,
  verifiers: readonly CosignatureVerifier[],
): Cosignature[] {
  const note = parseNote(encoded);
  const found = new Map<string, Cosignature>();
  for (const s of note.signatures) {
    const v = verifiers.find((k) => k.name === s.name && k.keyHash === s.keyHash);
    if (!v) continue;
    const timestamp = v.verify(note.text, s.signature);
    if (timestamp === undefined) {
      throw new VerificationError("COSIGNATURE_INVALID", `invalid cosignature by witness ${v.name}`);
    }
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, s.keyHash);
    const line = `${SIG_PREFIX}${s.name} ${toBase64(concatBytes(prefix, s.signature))}`;
    if (!found.has(v.verifierKey))
      found.set(v.verifierKey, { name: v.name, keyHash: v.keyHash, verifierKey: v.verifierKey, timestamp, line });
  }
  return [...found.values()];
}

/**
 * Adds note signature lines (each without its newline) to a signed note,
 * leaving out those it already carries. A note with more signature lines is
 * still a valid note for every key that signed it.
 */
export function addSignatureLines(note: string, lines: readonly string[]): string {
  parseNote(note);
  const have = new Set(note.slice(note.lastIndexOf("\n\n") + 2).split("\n"));
  let out = note;
  for (const line of lines) {
    if (have.has(line)) continue;
    have.add(line);
    out += `${line}\n`;
  }
  return out;
}
