// HMAC-SHA-256 (RFC 2104 with SHA-256, as RFC 4231 tests it) over the injected
// Hasher, so the server keeps node:crypto's speed and a browser noble's; noble's
// own hmac takes only its own hash. Checked against RFC 4231 and noble.
import type { Hasher } from "./hasher.js";

/** SHA-256's block size in bytes: longer keys are hashed first, shorter ones padded with zeros. */
const BLOCK_BYTES = 64;

/** HMAC-SHA-256 under `key` of the concatenation of `message`. Inputs are neither kept nor changed. */
export function hmacSha256(hasher: Hasher, key: Uint8Array, ...message: Uint8Array[]): Uint8Array {
  const k = key.length > BLOCK_BYTES ? hasher.sha256(key) : key;
  const inner = new Uint8Array(BLOCK_BYTES).fill(0x36);
  const outer = new Uint8Array(BLOCK_BYTES).fill(0x5c);
  for (let i = 0; i < k.length; i++) {
    inner[i] = (inner[i] as number) ^ (k[i] as number);
    outer[i] = (outer[i] as number) ^ (k[i] as number);
  }
  return hasher.sha256(outer, hasher.sha256(inner, ...message));
}
