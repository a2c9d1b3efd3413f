// RFC 9562 section 5.7 UUIDv7: 48-bit Unix milliseconds, version 7, 74 random
// bits, variant 10. Ids sort by creation time across milliseconds; within one
// millisecond their order is random (no counter, so no shared state).
import { toHex } from "../bytes.js";
import { TrailproofError } from "../errors.js";

const MAX_UNIX_MS = 2 ** 48 - 1;

export function uuidv7(randomBytes: (n: number) => Uint8Array, nowMs: number): string {
  if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs > MAX_UNIX_MS) {
    throw new TrailproofError("UUID_TIME_INVALID", "nowMs must be an integer from 0 to 2^48 - 1");
  }
  const random = randomBytes(10);
  if (random.length < 10) throw new TrailproofError("UUID_RANDOM_INVALID", "randomBytes(10) returned too few bytes");
  const bytes = new Uint8Array(16);
  let time = nowMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
