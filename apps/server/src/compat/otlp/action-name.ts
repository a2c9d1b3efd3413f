// Source event names (an OTLP eventName, a CloudEvents type) as Trailproof
// action names: dotted lower case, each segment starting with a letter
// (ACTION_NAME_PATTERN). Shared by the OTLP and CloudEvents endpoints; the
// original name is kept in the event's metadata by each caller when it differs.
import { isActionName, MAX_ACTION_NAME_LENGTH } from "@trailproof/core";

/**
 * The action name for `name` (untrusted): camelCase split with `_`, lower
 * cased, runs of anything but a-z, 0-9 and `.` as `_`, a segment starting with
 * a digit prefixed `n`, empty segments dropped, cut at 128 characters; a
 * single segment is placed under `prefix` (`login` from OTLP is `otlp.login`).
 * Undefined when nothing of it is left.
 */
export function normaliseAction(name: string, prefix: string): string | undefined {
  if (isActionName(name as unknown)) return name;
  const segments = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(".")
    .map((s) =>
      s
        .replace(/[^a-z0-9]+/g, "_")
        .replace(/^_+|_+$/g, "")
        .replace(/^([0-9])/, "n$1"),
    )
    .filter((s) => s !== "");
  if (segments.length === 0) return undefined;
  if (segments.length === 1) segments.unshift(prefix);
  let action = segments.join(".");
  if (action.length > MAX_ACTION_NAME_LENGTH) {
    action = action.slice(0, MAX_ACTION_NAME_LENGTH).replace(/[._]+$/, "");
  }
  return isActionName(action) ? action : undefined;
}

/**
 * A source's type word (an audit.target.type, a CloudEvents subject's first
 * segment) as a target type: lower case, runs of anything but a-z, 0-9 and
 * `_` as `_`, prefixed `t_` unless it starts with a letter, cut at 128.
 * Undefined when nothing of it is left.
 */
export function normaliseTypeName(name: string): string | undefined {
  const type = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (type === "") return undefined;
  return (/^[a-z]/.test(type) ? type : `t_${type}`).slice(0, 128);
}
