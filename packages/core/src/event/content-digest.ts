// The idempotency digest of an entry (log format v2): HMAC-SHA-256 under the
// tenant's secret digest key of the RFC 8785 form of the committed event
// without received_at, each commitment in privacy.commitments replaced by the
// personal value it commits to. It covers everything the log keeps of the
// event (personal values and the appender included), so a retry is a
// duplicate only when it would be sealed identically; keyed, so that the
// stored digest confirms no guess about personal values to anyone without the
// key; and recomputable from the leaf and its disclosures, so verification can
// check the stored column.
import { fromUtf8, toHex, utf8 } from "../bytes.js";
import { encodeCanonicalJsonShared, type JsonObject, type JsonValue } from "../canonical-json.js";
import type { Hasher } from "../hasher.js";
import { hmacSha256 } from "../hmac-sha256.js";

/** Keyed digests start with this; a v1 entry's digest is 64 bare hex digits (unkeyed SHA-256). */
export const CONTENT_DIGEST_PREFIX = "hmac-sha256:";

/** The size of a tenant's digest key, in bytes. */
export const DIGEST_KEY_BYTES = 32;

/** Whether `digest` (a stored content_digest) is the keyed form of log format v2. */
export function isKeyedContentDigest(digest: string): boolean {
  return digest.startsWith(CONTENT_DIGEST_PREFIX);
}

/**
 * The digest of a committed event (`committed`, final: nothing in it changes
 * afterwards) whose personal values are `values`, by pointer: exactly one per
 * pointer of committed.privacy.commitments. `memo` may hold the RFC 8785
 * encodings of `committed`'s parts (encodeCanonicalJsonShared's contract).
 */
export function buildContentDigest(
  hasher: Hasher,
  digestKey: Uint8Array,
  committed: JsonObject,
  values: Record<string, JsonValue>,
  memo: Map<object, string> = new Map(),
): string {
  const { received_at: _receivedAt, privacy, ...rest } = committed;
  const basis: JsonObject = {
    ...rest,
    privacy: { ...(privacy as JsonObject), commitments: values },
  };
  return `${CONTENT_DIGEST_PREFIX}${toHex(hmacSha256(hasher, digestKey, utf8(encodeCanonicalJsonShared(basis, memo))))}`;
}

/**
 * Why an entry's digest cannot be recomputed: a v1 entry (its stored digest is
 * the unkeyed form, over the event as sent, which the leaf does not keep), a
 * personal value erased (or missing), or a leaf that is not a JSON object.
 */
export type ContentDigestUnavailable = "legacy_entry" | "disclosure_missing" | "leaf_malformed";

/**
 * Recomputes the stored content_digest of an entry from its leaf data, its
 * disclosures (pointer and value; the salts are not part of the digest) and
 * the tenant's digest key. Compare the result with entries.content_digest.
 * Disclosures are not checked against their commitments here: that is
 * verifyDisclosure's job; one without a commitment is ignored.
 */
export function recomputeContentDigest(
  hasher: Hasher,
  digestKey: Uint8Array,
  leafData: Uint8Array,
  disclosures: readonly { pointer: string; value: JsonValue }[],
): { digest: string } | { unavailable: ContentDigestUnavailable } {
  let committed: JsonObject;
  try {
    committed = JSON.parse(fromUtf8(leafData)) as JsonObject;
  } catch {
    return { unavailable: "leaf_malformed" };
  }
  if (typeof committed !== "object" || committed === null || Array.isArray(committed)) {
    return { unavailable: "leaf_malformed" };
  }
  if (committed.schema_version === 1) return { unavailable: "legacy_entry" };
  const privacy = committed.privacy;
  const commitments =
    typeof privacy === "object" && privacy !== null && !Array.isArray(privacy) ? privacy.commitments : undefined;
  if (typeof commitments !== "object" || commitments === null || Array.isArray(commitments)) {
    return { unavailable: "leaf_malformed" };
  }
  const byPointer = new Map(disclosures.map((d) => [d.pointer, d.value]));
  const values: Record<string, JsonValue> = {};
  for (const pointer of Object.keys(commitments)) {
    // Every pointer starts with "/": a leaf with another key is not one prepareEvent wrote.
    if (!pointer.startsWith("/")) return { unavailable: "leaf_malformed" };
    if (!byPointer.has(pointer)) return { unavailable: "disclosure_missing" };
    values[pointer] = byPointer.get(pointer) as JsonValue;
  }
  return { digest: buildContentDigest(hasher, digestKey, committed, values) };
}
