// Keyed pseudonyms of subject ids (actor ids, target ids, any personal
// value's owner): HMAC-SHA-256 under the tenant's pseudonym key, so that
// dashboards, stats, alerts and viewers can count and group by a person
// without learning who it is, and nobody without the key can test a guess.
// The same id always gives the same pseudonym within a tenant, never across
// tenants (each has its own key).
import { toHex, utf8 } from "../bytes.js";
import { TrailproofError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import { hmacSha256 } from "../hmac-sha256.js";

/** Every pseudonym starts with this; 32 hex digits (128 bits of the HMAC) follow. */
export const PSEUDONYM_PREFIX = "psn_";

/** The size of a tenant's pseudonym key, in bytes. */
export const PSEUDONYM_KEY_BYTES = 32;

/** Domain separation: a pseudonym is never equal to another HMAC made with the same key. */
const DOMAIN = utf8("trailproof pseudonym v1\n");

const PSEUDONYM_PATTERN = /^psn_[0-9a-f]{32}$/;

/** The pseudonym of `id` under `key`: "psn_" and the first 16 bytes of the HMAC, in hex. */
export function pseudonymOf(hasher: Hasher, key: Uint8Array, id: string): string {
  if (key.length !== PSEUDONYM_KEY_BYTES) {
    throw new TrailproofError("PSEUDONYM_KEY_INVALID", `a pseudonym key holds ${PSEUDONYM_KEY_BYTES} bytes`);
  }
  return PSEUDONYM_PREFIX + toHex(hmacSha256(hasher, key, DOMAIN, utf8(id)).subarray(0, 16));
}

/** Whether `value` has the form of a pseudonym (it may still name nobody). */
export function isPseudonym(value: string): boolean {
  return PSEUDONYM_PATTERN.test(value);
}
