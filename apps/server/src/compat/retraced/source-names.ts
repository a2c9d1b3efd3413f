// Names from other audit clients (untrusted) made into envelope names: an
// action of dotted lower-case segments, and a lower-case type name
// (docs/event-schema.md). The mapping is deterministic, so a re-sent event
// maps to the same action; callers keep the original in metadata.
// Shared by the Retraced and WorkOS endpoints.
import { createHash } from "node:crypto";
import { isActionName, MAX_ACTION_NAME_LENGTH } from "@trailproof/core";

const SEGMENT_CHARS = /[^a-z0-9_]+/g;
/** A boolean, not a type guard: the names tested are strings already. */
const valid = (name: string): boolean => isActionName(name);

/** One segment: lower case, runs of other characters as `_`, starting with a letter. */
function segment(raw: string): string {
  const s = raw
    .toLowerCase()
    .replace(SEGMENT_CHARS, "_")
    .replace(/^_+|_+$/g, "");
  if (s === "") return "";
  return /^[a-z]/.test(s) ? s : `x${s}`;
}

/**
 * The envelope action for a source action such as `invoice.create`,
 * `Invoice Created` or `login`: segments split on `.`, each normalised; a
 * single segment gets `prefix` in front (`retraced.login`). Too long a name
 * keeps its start and ends in a hash of the original, so two names never
 * meet by truncation.
 */
export function toActionName(raw: string, prefix: string): string {
  const parts = raw
    .split(".")
    .map(segment)
    .filter((p) => p !== "");
  const joined = (parts.length >= 2 ? parts : [prefix, ...(parts.length === 1 ? parts : ["event"])]).join(".");
  if (valid(joined)) return joined;
  const digest = createHash("sha256").update(raw).digest("hex").slice(0, 16);
  const head = joined.slice(0, MAX_ACTION_NAME_LENGTH - 18).replace(/[._]+$/, "");
  const shortened = `${head}.h${digest}`;
  return valid(shortened) ? shortened : `${prefix}.h${digest}`;
}

/** A target or resource type (`^[a-z][a-z0-9_]*$`, at most 128), `fallback` when nothing is left. */
export function toTypeName(raw: unknown, fallback: string): string {
  if (typeof raw !== "string") return fallback;
  const s = segment(raw).slice(0, 128).replace(/_+$/, "");
  return s === "" ? fallback : s;
}
