// Deterministic event ids for compat sources: the same source event always
// maps to the same id, so a redelivery is answered `duplicate` by the ledger
// instead of appended twice. Each source keeps its own prefix and the exact
// bytes it hashes: ids already stored must still match redeliveries.
// Ids are 1-128 of A-Za-z0-9._:- (docs/event-schema.md).
import { createHash, randomBytes } from "node:crypto";
import { EVENT_ID_PATTERN, encodeCanonicalJson, MAX_EVENT_ID_LENGTH } from "@trailproof/core";

const EVENT_ID = new RegExp(EVENT_ID_PATTERN);

/** True when `id` (untrusted) may be an event id as it is. */
export function isEventId(id: string): boolean {
  return id.length <= MAX_EVENT_ID_LENGTH && EVENT_ID.test(id);
}

/** `<prefix>-<first 32 hex digits of sha256(text as UTF-8)>`. */
export function digestEventId(prefix: string, text: string): string {
  return `${prefix}-${createHash("sha256").update(text).digest("hex").slice(0, 32)}`;
}

/** `<prefix>-<first 32 hex digits of sha256(RFC 8785 JSON of parts)>`. */
export function hashedEventId(prefix: string, parts: unknown): string {
  return digestEventId(prefix, encodeCanonicalJson(parts));
}

/** `id` (untrusted) as it is when it is a valid event id, else hashed under `prefix` (as a JSON string). */
export function eventIdFrom(prefix: string, id: string): string {
  return isEventId(id) ? id : hashedEventId(prefix, id);
}

/** `<prefix>-<natural>` when that is a valid event id, else `<prefix>-` and the digest of `hashed`. */
export function prefixedEventId(prefix: string, natural: string, hashed: string): string {
  const id = `${prefix}-${natural}`;
  return isEventId(id) ? id : digestEventId(prefix, hashed);
}

/** `<prefix>-<32 random hex>`: for an event its source gives no way to recognise again. */
export function randomEventId(prefix: string): string {
  return `${prefix}-${randomBytes(16).toString("hex")}`;
}
