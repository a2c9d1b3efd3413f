// Cryptographically secure random bytes for the append path, drawn from
// node:crypto a block at a time: ids, commitment salts and the nonces that
// seal personal values (privacy/sealed-disclosure.ts).
import { randomFillSync } from "node:crypto";

/**
 * node:crypto's randomness costs microseconds per call whatever the size, and
 * an event takes one 32-byte salt per personal value (and one 12-byte AES-GCM
 * nonce when it is sealed), so bytes are drawn a
 * block at a time and handed out once each, in order. Per thread (module state).
 */
const RANDOM_BLOCK_BYTES = 4096;
let randomBlock = new Uint8Array(0);
let randomOffset = 0;

export function pooledRandomBytes(n: number): Uint8Array {
  if (n > RANDOM_BLOCK_BYTES) return randomFillSync(new Uint8Array(n));
  if (randomOffset + n > randomBlock.length) {
    randomBlock = randomFillSync(new Uint8Array(RANDOM_BLOCK_BYTES));
    randomOffset = 0;
  }
  // A copy: what is handed out never aliases the block, which is refilled later.
  const out = randomBlock.slice(randomOffset, randomOffset + n);
  randomOffset += n;
  return out;
}
