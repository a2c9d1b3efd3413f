// RFC 5424 section 6.2 header fields other than PRI: each is NILVALUE ("-")
// or 1..N printable US-ASCII characters (33-126); TIMESTAMP is the section
// 6.2.3 subset of RFC 3339 (upper-case T and Z, at most six fraction digits).

export const NILVALUE = "-";

/** RFC 5424 field limits (section 6). */
export const MAX_HOSTNAME_LENGTH = 255;
export const MAX_APP_NAME_LENGTH = 48;
export const MAX_MSGID_LENGTH = 32;

/**
 * `value` as a header field: characters outside 33-126 are dropped (they
 * cannot appear in the field, and a space would shift every field after it),
 * then cut to `maxLength`; NILVALUE when nothing is left.
 */
export function headerField(value: string, maxLength: number): string {
  let out = "";
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 33 && code <= 126) out += ch;
    if (out.length === maxLength) break;
  }
  return out === "" ? NILVALUE : out;
}

const RFC3339 =
  /^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.([0-9]+))?([Zz]|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * An RFC 3339 timestamp (occurred_at) as an RFC 5424 TIMESTAMP: fraction
 * digits past the sixth are truncated (never rounded, so it never moves
 * later); NILVALUE when `value` is not RFC 3339.
 */
export function syslogTimestamp(value: string): string {
  const m = RFC3339.exec(value);
  if (m === null) return NILVALUE;
  const fraction = m[3] === undefined ? "" : `.${m[3].slice(0, 6)}`;
  const offset = m[4] === "z" ? "Z" : m[4];
  return `${m[1]}T${m[2]}${fraction}${offset}`;
}
