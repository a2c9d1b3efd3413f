// Fits a compat source's payloads into an event's metadata: at most 16 KiB in
// RFC 8785 form (docs/event-schema.md, Bounds). Two strategies, since events
// already stored depend on each: fitMetadata adds optional parts in order,
// each kept whole or left out with the reason named, nesting within the
// event's 32 levels and no reserved keys (OPA, Kubernetes); capMetadata drops
// the largest entries of a whole mapped metadata object and names them (OTLP,
// CloudEvents). Neither cuts a value into something the source did not send.
import {
  encodeCanonicalJson,
  encodeCanonicalJsonBytes,
  type JsonObject,
  type JsonValue,
  MAX_EVENT_DEPTH,
  MAX_METADATA_BYTES,
} from "@trailproof/core";

const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);
/** Room left for the short notes a mapping adds after fitting (the list of what was dropped). */
const NOTE_BYTES = 1024;

/** An optional payload: where it goes in the metadata (`[...path, key]`) and its value (untrusted). */
export interface OptionalPart {
  /** Keys from the metadata root to the object the part is set in, then the part's own key. */
  at: readonly string[];
  value: unknown;
}

export interface FittedMetadata {
  metadata: Record<string, unknown>;
  /** One sentence per part left out, e.g. `kubernetes.request_object: 20480 bytes, more than fits in the 16 KiB of metadata`. */
  dropped: string[];
}

/** Why `value` cannot sit `depth` levels into an event, or undefined when it can. */
function unfitReason(value: unknown, depth: number): string | undefined {
  const stack: { v: unknown; d: number }[] = [{ v: value, d: depth }];
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (v === null || typeof v !== "object") continue;
    if (d >= MAX_EVENT_DEPTH) return `nests deeper than the event's ${MAX_EVENT_DEPTH} levels`;
    if (Array.isArray(v)) {
      for (const child of v) stack.push({ v: child, d: d + 1 });
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      if (RESERVED_KEYS.has(key)) return `holds the reserved key "${key}"`;
      stack.push({ v: child, d: d + 1 });
    }
  }
  return undefined;
}

function setAt(root: Record<string, unknown>, at: readonly string[], value: unknown): void {
  let node = root;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[at[at.length - 1] as string] = value;
}

function deleteAt(root: Record<string, unknown>, at: readonly string[]): void {
  let node = root;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string, unknown>;
  delete node[at[at.length - 1] as string];
}

/**
 * `base` (MUST itself fit: built by the caller from bounded fields) with each
 * of `parts` added in order while the whole stays within the metadata limit;
 * the objects on each part's path MUST exist in `base`. 1 KiB is left free
 * for the caller's note of what was dropped. A part that does not
 * fit, nests too deep or holds a reserved key is left out and named in
 * `dropped`; later, smaller parts may still fit.
 */
export function fitMetadata(base: Record<string, unknown>, parts: readonly OptionalPart[]): FittedMetadata {
  const metadata = base;
  const dropped: string[] = [];
  for (const part of parts) {
    if (part.value === undefined) continue;
    const name = part.at.join(".");
    // The metadata object is one level into the event, the part `at.length` more.
    const reason = unfitReason(part.value, 1 + part.at.length);
    if (reason !== undefined) {
      dropped.push(`${name}: ${reason}`);
      continue;
    }
    setAt(metadata, part.at, part.value);
    const bytes = encodeCanonicalJsonBytes(metadata).length;
    if (bytes > MAX_METADATA_BYTES - NOTE_BYTES) {
      deleteAt(metadata, part.at);
      const own = encodeCanonicalJsonBytes(part.value).length;
      dropped.push(`${name}: ${own} bytes, more than fits in the ${MAX_METADATA_BYTES / 1024} KiB of metadata`);
    }
  }
  return { metadata, dropped };
}

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

/**
 * The metadata of a source that keeps its own fields in `own` under the key
 * `source` beside the sender's `rest` (both owned by the caller), capped by
 * capMetadata. A sender's entry named `source` would hide the source's own:
 * it moves into `own` as `clashKey`.
 */
export function sourceMetadata(rest: JsonObject, source: string, own: JsonObject, clashKey: string): JsonObject {
  const clash: JsonValue | undefined = rest[source];
  if (clash !== undefined) {
    delete rest[source];
    own[clashKey] = clash;
  }
  return capMetadata({ ...rest, [source]: own }, source);
}
