// Byte helpers shared by the formats: UTF-8, standard base64 (RFC 4648 section 4,
// padded, the encoding RFC 6962 hashes and C2SP notes use on the wire, via
// @scure/base), hex.
import { base64 } from "@scure/base";
import { InvalidInputError } from "./errors.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8, throwing BYTES_INVALID_UTF8 on malformed input instead of inserting U+FFFD. */
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new InvalidInputError("BYTES_INVALID_UTF8", "bytes are not valid UTF-8", { cause });
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function toBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/**
 * Strict standard base64: padded, no whitespace, no URL alphabet, canonical
 * trailing bits. `text` is untrusted; failures throw BYTES_INVALID_BASE64.
 */
export function fromBase64(text: string): Uint8Array {
  try {
    return base64.decode(text);
  } catch (cause) {
    throw new InvalidInputError("BYTES_INVALID_BASE64", "not canonical standard base64", { cause });
  }
}

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}
