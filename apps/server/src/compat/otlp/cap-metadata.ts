// Keeps a mapped event's metadata within MAX_METADATA_BYTES (16 KiB as RFC
// 8785 JSON): sources carry far bigger payloads (an OTLP record's attributes, a
// CloudEvent's data) than an audit event may. The largest entries go first,
// and the names of what was dropped are kept, so a reader knows the record
// had more. Shared by the OTLP and CloudEvents endpoints.
import { encodeCanonicalJson, type JsonObject, type JsonValue, MAX_METADATA_BYTES } from "@trailproof/core";

/** Room left for the `trimmed` list itself. */
const TRIMMED_ROOM = 2048;
const MAX_TRIMMED_NAMES = 32;

const sizeOf = (value: JsonValue) => Buffer.byteLength(encodeCanonicalJson(value), "utf8");

/**
 * `metadata` with its largest entries (top-level ones, and those of the
 * `source` object within it) removed until it fits, and
 * `metadata[source].trimmed` naming them (`attributes.x` style, at most 32).
 * Unchanged when it fits already.
 */
export function capMetadata(metadata: JsonObject, source: string): JsonObject {
  const limit = MAX_METADATA_BYTES - TRIMMED_ROOM;
  if (sizeOf(metadata) <= MAX_METADATA_BYTES) return metadata;
  const top: JsonObject = { ...metadata };
  const inner: JsonObject = { ...((metadata[source] as JsonObject | undefined) ?? {}) };
  const candidates: { name: string; bytes: number; drop: () => void }[] = [];
  for (const [key, value] of Object.entries(top)) {
    if (key === source) continue;
    candidates.push({ name: key, bytes: sizeOf(value), drop: () => delete top[key] });
  }
  for (const [key, value] of Object.entries(inner)) {
    candidates.push({ name: `${source}.${key}`, bytes: sizeOf(value), drop: () => delete inner[key] });
  }
  candidates.sort((a, b) => b.bytes - a.bytes);
  const trimmed: string[] = [];
  let total = sizeOf(metadata);
  for (const c of candidates) {
    if (total <= limit) break;
    c.drop();
    total -= c.bytes;
    trimmed.push(c.name.slice(0, 64));
  }
  const names = trimmed.slice(0, MAX_TRIMMED_NAMES);
  if (trimmed.length > names.length) names.push(`(and ${trimmed.length - names.length} more)`);
  return { ...top, [source]: { ...inner, trimmed: names } };
}
