// Names from other audit clients (untrusted) made into envelope names
// (docs/event-schema.md): actions of dotted lower-case segments, each
// starting with a letter, and lower-case type names. Every mapping is
// deterministic, so a re-sent event maps to the same name; callers keep the
// original in metadata when it differs. One segment rule, two historical
// action styles (named below) that differ in bytes already stored, so both stay.
import { createHash } from "node:crypto";
import { isActionName, MAX_ACTION_NAME_LENGTH } from "@trailproof/core";

/** How a source's words become one segment. */
interface SegmentStyle {
  /** `loginFailed` as `login_failed` before lower-casing. */
  splitCamelCase: boolean;
  /** Runs of `_` kept as sent (true), or collapsed like any other separator into one `_`. */
  keepUnderscores: boolean;
  /** Put before a segment that starts with a digit. */
  digitPrefix: string;
}

/** One segment: lower case, runs of other characters as `_`, trimmed of `_`, starting with a letter; "" when nothing is left. */
function toSegment(raw: string, style: SegmentStyle): string {
  const s = (style.splitCamelCase ? raw.replace(/([a-z0-9])([A-Z])/g, "$1_$2") : raw)
    .toLowerCase()
    .replace(style.keepUnderscores ? /[^a-z0-9_]+/g : /[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (s === "") return "";
  return /^[a-z]/.test(s) ? s : `${style.digitPrefix}${s}`;
}

const EVENT_NAME: SegmentStyle = { splitCamelCase: true, keepUnderscores: false, digitPrefix: "n" };
const ACTION_WORD: SegmentStyle = { splitCamelCase: false, keepUnderscores: true, digitPrefix: "x" };
const TYPE_WORD: SegmentStyle = { splitCamelCase: true, keepUnderscores: true, digitPrefix: "t_" };

/** A boolean, not a type guard: the names tested are strings already. */
const valid = (name: string): boolean => isActionName(name);

/**
 * Event-name style (OTLP eventName, CloudEvents type): a valid action name
 * as it is; else camelCase split with `_`, lower cased, runs of anything but
 * a-z and 0-9 as `_`, a segment starting with a digit prefixed `n`, empty
 * segments dropped, cut at 128 characters; a single segment is placed under
 * `prefix` (`login` from OTLP is `otlp.login`). Undefined when nothing is left.
 */
export function normaliseAction(name: string, prefix: string): string | undefined {
  if (valid(name)) return name;
  const segments = name
    .split(".")
    .map((s) => toSegment(s, EVENT_NAME))
    .filter((s) => s !== "");
  if (segments.length === 0) return undefined;
  if (segments.length === 1) segments.unshift(prefix);
  let action = segments.join(".");
  if (action.length > MAX_ACTION_NAME_LENGTH) {
    action = action.slice(0, MAX_ACTION_NAME_LENGTH).replace(/[._]+$/, "");
  }
  return valid(action) ? action : undefined;
}

/**
 * Action-word style (Retraced, WorkOS actions such as `invoice.create`,
 * `Invoice Created` or `login`): segments split on `.`, lower cased, runs of
 * anything but a-z, 0-9 and `_` as `_`, a segment starting with a digit
 * prefixed `x`; a single segment gets `prefix` in front (`retraced.login`),
 * none is `<prefix>.event`. Too long a name keeps its start and ends in a
 * hash of the original, so two names never meet by truncation.
 */
export function toActionName(raw: string, prefix: string): string {
  const parts = raw
    .split(".")
    .map((s) => toSegment(s, ACTION_WORD))
    .filter((p) => p !== "");
  const joined = (parts.length >= 2 ? parts : [prefix, ...(parts.length === 1 ? parts : ["event"])]).join(".");
  if (valid(joined)) return joined;
  const digest = createHash("sha256").update(raw).digest("hex").slice(0, 16);
  const head = joined.slice(0, MAX_ACTION_NAME_LENGTH - 18).replace(/[._]+$/, "");
  const shortened = `${head}.h${digest}`;
  return valid(shortened) ? shortened : `${prefix}.h${digest}`;
}

/**
 * One action segment of at most `max` characters built from a source's
 * field (a Kubernetes verb, API group or resource): action-word style, `x`
 * when nothing is left, trailing `_` dropped after cutting.
 */
export function toActionSegment(raw: string, max: number): string {
  return (toSegment(raw, ACTION_WORD) || "x").slice(0, max).replace(/_+$/, "");
}

/** A target type in action-word style (`^[a-z][a-z0-9_]*$`, at most 128); `fallback` for a non-string or when nothing is left. */
export function toTypeName(raw: unknown, fallback: string): string {
  if (typeof raw !== "string") return fallback;
  const s = toSegment(raw, ACTION_WORD).slice(0, 128).replace(/_+$/, "");
  return s === "" ? fallback : s;
}

/**
 * A target type in event-name style (an audit.target.type, a CloudEvents
 * subject's first segment): camelCase split, lower case, runs of anything but
 * a-z, 0-9 and `_` as `_`, prefixed `t_` unless it starts with a letter, cut
 * at 128. Undefined when nothing of it is left.
 */
export function normaliseTypeName(name: string): string | undefined {
  const type = toSegment(name, TYPE_WORD);
  return type === "" ? undefined : type.slice(0, 128);
}
