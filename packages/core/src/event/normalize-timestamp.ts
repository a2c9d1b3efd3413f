// occurred_at normalisation (log format v1): an RFC 3339 section 5.6 date-time
// WITH an offset becomes UTC with exactly millisecond precision. Digits below
// the millisecond are truncated, never rounded, so the result never moves later.
import { InvalidInputError } from "../errors.js";

const RFC3339 =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))$/;
const MIN_MS = -62167219200000; // 0000-01-01T00:00:00.000Z
const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The last text parsed and its outcome: sealing an event checks occurred_at
 * and then normalises it, so each event's timestamp is parsed once.
 */
let lastText: string | undefined;
let lastParsed: { ms: number } | { problem: string } = { problem: "" };

/**
 * Milliseconds since the epoch of `text` (untrusted), or a sentence saying why
 * it is not an RFC 3339 timestamp with an offset that Trailproof can store.
 */
export function parseTimestamp(text: string): { ms: number } | { problem: string } {
  if (text !== lastText) {
    lastParsed = parseUncached(text);
    lastText = text;
  }
  return { ...lastParsed };
}

function parseUncached(text: string): { ms: number } | { problem: string } {
  const m = RFC3339.exec(text);
  if (m === null) {
    return { problem: "must be an RFC 3339 timestamp with a UTC offset, e.g. 2026-05-01T10:00:00.123+02:00" };
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12) return { problem: `has month ${month}, which does not exist` };
  if (day < 1 || day > daysInMonth(year, month)) {
    return { problem: `has day ${day}, which month ${month} of ${year} does not have` };
  }
  if (hour > 23 || minute > 59) return { problem: "has a time of day that does not exist" };
  if (second > 59) return { problem: "has second 60 or more; leap seconds are not supported, use 59.999" };
  const offsetSign = m[8] === "-" ? -1 : 1;
  const offsetHours = Number(m[9] ?? 0);
  const offsetMinutes = Number(m[10] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return { problem: "has a UTC offset that does not exist" };
  const millis = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  const ms =
    utcMs(year, month, day, hour, minute, second, millis) - offsetSign * (offsetHours * 60 + offsetMinutes) * 60_000;
  if (ms < MIN_MS || ms > MAX_MS) return { problem: "is outside years 0000 to 9999 once converted to UTC" };
  return { ms };
}

function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number) {
  // Date.UTC reads years 0 to 99 as 1900 to 1999; setUTCFullYear takes them as written.
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}

/**
 * `text` as UTC with millisecond precision, e.g. "2026-05-01T08:00:00.123Z".
 * Throws EVENT_TIMESTAMP_INVALID when parseTimestamp refuses it.
 */
export function normalizeTimestamp(text: string): string {
  const parsed = parseTimestamp(text);
  if ("problem" in parsed) {
    throw new InvalidInputError("EVENT_TIMESTAMP_INVALID", `timestamp ${parsed.problem}`, {
      problems: [{ pointer: "", message: parsed.problem }],
    });
  }
  return new Date(parsed.ms).toISOString();
}
