// C2SP signed-note: a UTF-8 text ending in a newline, a blank line, then
// signature lines "— <name> <base64(4-byte key hash || signature)>".
import { concatBytes, fromBase64, fromUtf8, toBase64, utf8 } from "../bytes.js";
import { InvalidInputError, VerificationError } from "../errors.js";
import { isValidKeyName, type NoteVerifier } from "./verifier-key.js";

/** Produces signatures for one key; implementations hold the private key. */
export interface NoteSigner {
  readonly name: string;
  readonly keyHash: number;
  sign(message: Uint8Array): Uint8Array;
}

export interface NoteSignature {
  name: string;
  keyHash: number;
  /** The raw signature, without the key hash prefix. */
  signature: Uint8Array;
}

export interface Note {
  text: string;
  signatures: NoteSignature[];
}

const SIG_PREFIX = "\u2014 ";
const MAX_SIGNATURES = 100;

function malformed(why: string): InvalidInputError {
  return new InvalidInputError("NOTE_MALFORMED", `malformed note: ${why}`);
}

function checkText(text: string): void {
  if (text.length === 0 || !text.endsWith("\n")) throw malformed("text must be non-empty and end with a newline");
  // Control characters other than newline are refused, as in the Go reference.
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/u.test(text)) throw malformed("text contains control characters");
}

/** Signs `text` with every signer and returns the encoded note. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text);
  const message = utf8(text);
  let out = `${text}\n`;
  for (const s of signers) {
    if (!isValidKeyName(s.name)) throw malformed(`invalid signer name ${JSON.stringify(s.name)}`);
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, s.keyHash);
    out += `${SIG_PREFIX}${s.name} ${toBase64(concatBytes(prefix, s.sign(message)))}\n`;
  }
  return out;
}

/** Parses a signed note without verifying it. `encoded` is untrusted. */
export function parseNote(encoded: string | Uint8Array): Note {
  const text = typeof encoded === "string" ? encoded : decode(encoded);
  const split = text.lastIndexOf("\n\n");
  if (split < 0) throw malformed("no blank line before the signatures");
  const body = text.slice(0, split + 1);
  checkText(body);
  const sigBlock = text.slice(split + 2);
  if (!sigBlock.endsWith("\n")) throw malformed("signature block must end with a newline");
  const lines = sigBlock.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw malformed("too many signatures");
  const signatures = lines.map((line) => {
    if (!line.startsWith(SIG_PREFIX)) throw malformed("signature line must start with an em dash and a space");
    const fields = line.slice(SIG_PREFIX.length).split(" ");
    if (fields.length !== 2) throw malformed("signature line must be name and base64");
    const [name, b64] = fields as [string, string];
    if (!isValidKeyName(name)) throw malformed("bad key name in signature");
    let raw: Uint8Array;
    try {
      raw = fromBase64(b64);
    } catch {
      throw malformed("signature is not base64");
    }
    if (raw.length < 5) throw malformed("signature too short");
    const keyHash = new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0);
    return { name, keyHash, signature: raw.slice(4) };
  });
  return { text: body, signatures };
}

/**
 * Verifies a note against a pinned verifier and returns its text. Throws
 * NOTE_MALFORMED for bad syntax, NOTE_UNSIGNED when no signature is by the
 * pinned key, NOTE_SIGNATURE_INVALID when that key's signature fails.
 * Signatures by other keys are ignored, as the spec allows (cosigners).
 */
export function verifyNote(encoded: string | Uint8Array, verifier: NoteVerifier): Note {
  const note = parseNote(encoded);
  const ours = note.signatures.filter((s) => s.name === verifier.name && s.keyHash === verifier.keyHash);
  if (ours.length === 0) {
    throw new VerificationError(
      "NOTE_UNSIGNED",
      `note has no signature by ${verifier.name}+${verifier.keyHash.toString(16).padStart(8, "0")}`,
    );
  }
  const message = utf8(note.text);
  for (const s of ours) {
    if (!verifier.verify(message, s.signature)) {
      throw new VerificationError("NOTE_SIGNATURE_INVALID", `invalid signature by ${verifier.name}`);
    }
  }
  return note;
}

function decode(bytes: Uint8Array): string {
  try {
    return fromUtf8(bytes);
  } catch {
    throw malformed("not UTF-8");
  }
}
