// Deterministic event ids for sources whose events carry none of ours: the
// same source event always maps to the same id, so a redelivery is answered
// `duplicate` by the ledger instead of appended twice. Shared by the OTLP and
// CloudEvents endpoints.
import { createHash } from "node:crypto";
import { encodeCanonicalJson, MAX_EVENT_ID_LENGTH } from "@trailproof/core";

const EVENT_ID = /^[A-Za-z0-9._:-]+$/;

/** `<prefix>-<first 32 hex digits of sha256(RFC 8785 JSON of parts)>`. */
export function hashedEventId(prefix: string, parts: unknown): string {
  return `${prefix}-${createHash("sha256").update(encodeCanonicalJson(parts)).digest("hex").slice(0, 32)}`;
}

/** `id` (untrusted) as it is when it is a valid event id, else hashed under `prefix`. */
export function eventIdFrom(prefix: string, id: string): string {
  return id.length <= MAX_EVENT_ID_LENGTH && EVENT_ID.test(id) ? id : hashedEventId(prefix, id);
}
