// Formatting for people, in one place: numbers with separators, times in the
// reader's zone (the UTC instant stays in tooltips), durations. Everything
// follows the browser's locale, the one Chromium also draws date inputs in,
// so a date reads the same in a table, a chart and a date picker.

/** The reader's locale: the browser's first preferred language, "en" where none is known (tests in Node). */
export function readerLocale(): string {
  const nav = typeof navigator === "undefined" ? undefined : navigator;
  return nav?.languages?.[0] ?? nav?.language ?? "en";
}

interface Formats {
  number: Intl.NumberFormat;
  dateTime: Intl.DateTimeFormat;
  shortDateTime: Intl.DateTimeFormat;
  tableTime: Intl.DateTimeFormat;
  day: Intl.DateTimeFormat;
}

const cache = new Map<string, Formats>();

/** The formatters of one locale, built once (Intl constructors are slow and tables call them per row). */
function formats(locale: string): Formats {
  let f = cache.get(locale);
  if (!f) {
    f = {
      number: new Intl.NumberFormat(locale),
      dateTime: new Intl.DateTimeFormat(locale, {
        year: "numeric",
        month: "short",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      }),
      shortDateTime: new Intl.DateTimeFormat(locale, {
        month: "short",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      }),
      tableTime: new Intl.DateTimeFormat(locale, {
        month: "short",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      }),
      // Day buckets of /v1/stats are UTC days: shown as the UTC date they start on.
      day: new Intl.DateTimeFormat(locale, { month: "short", day: "2-digit", timeZone: "UTC" }),
    };
    cache.set(locale, f);
  }
  return f;
}

function parse(iso: string): Date | undefined {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Compact, to the second, year left out when it is this year (dense tables). */
export function formatTableTime(iso: string | undefined | null, now = new Date(), locale = readerLocale()): string {
  if (!iso) return "—";
  const d = parse(iso);
  if (!d) return iso;
  const f = formats(locale);
  return d.getFullYear() === now.getFullYear() ? f.tableTime.format(d) : f.dateTime.format(d);
}

export function formatNumber(n: number | bigint, locale = readerLocale()): string {
  return formats(locale).number.format(n);
}

export function formatTime(iso: string | undefined | null, locale = readerLocale()): string {
  if (!iso) return "—";
  const d = parse(iso);
  return d ? formats(locale).dateTime.format(d) : iso;
}

export function formatShortTime(iso: string | undefined | null, locale = readerLocale()): string {
  if (!iso) return "—";
  const d = parse(iso);
  return d ? formats(locale).shortDateTime.format(d) : iso;
}

/** The UTC day an instant falls on, month and day (chart axes of daily buckets). */
export function formatDay(iso: string, locale = readerLocale()): string {
  const d = parse(iso);
  return d ? formats(locale).day.format(d) : iso;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = s / 60;
  if (m < 60) return `${Math.floor(m)} min ${Math.round(s % 60)} s`;
  const h = m / 60;
  if (h < 48) return `${Math.floor(h)} h ${Math.round(m % 60)} min`;
  return `${Math.round(h / 24)} days`;
}

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "never";
  const ms = now - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return iso;
  if (ms < 60_000) return "just now";
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  return `${Math.floor(ms / 86_400_000)} days ago`;
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return "—";
  return `${((100 * part) / whole).toFixed(part === whole || part === 0 ? 0 : 1)}%`;
}

/** An ISO instant for a datetime-local input's value (local time), and back. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
