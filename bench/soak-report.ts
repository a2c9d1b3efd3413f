// The soak's output: a markdown row per window as it closes (stdout), one CSV
// row per window for plotting, and the targets "every window's p99 < 100 ms"
// and "service RSS < 300 MB" as PASS/MISS lines.
import { markdownLine, markdownTable, type Verdict } from "./load-verdict.js";
import type { SoakWindow } from "./soak-windows.js";

export const SOAK_P99_TARGET_MS = 100;
export const RSS_TARGET_MB = 300;

const MARKDOWN: [string, (w: SoakWindow) => string | number][] = [
  ["window", (w) => w.window],
  ["end s", (w) => w.endS],
  ["acked events/s", (w) => w.ackedEventsPerSecond],
  ["p50 ms", (w) => w.p50Ms.toFixed(1)],
  ["p99 ms", (w) => w.p99Ms.toFixed(1)],
  ["max ms", (w) => w.maxMs.toFixed(0)],
  ["in flight (max)", (w) => `${w.inFlightEnd} (${w.inFlightMax})`],
  ["refused (Retry-After)", (w) => `${w.refused} (${w.refusedWithRetryAfter})`],
  ["errors", (w) => w.errors],
  ["RSS max MB", (w) => w.rssMaxMb],
  ["data dir MB", (w) => (w.dbBytes / 2 ** 20).toFixed(1)],
  ["log entries", (w) => w.logEntries],
  ["bench send lag ms", (w) => w.sendLagMaxMs.toFixed(0)],
];

/** The table's header lines; rows follow as windows close. */
export function markdownHeader(): string {
  return markdownTable(
    MARKDOWN.map(([name]) => name),
    [],
  );
}

export function markdownRow(w: SoakWindow): string {
  return markdownLine(MARKDOWN.map(([, cell]) => cell(w)));
}

/** CSV columns: snake_case, units in the names, first error last (quoted). */
const CSV: [string, (w: SoakWindow) => string | number][] = [
  ["window", (w) => w.window],
  ["end_s", (w) => w.endS],
  ["seconds", (w) => w.seconds],
  ["offered_events_per_s", (w) => w.offeredEventsPerSecond],
  ["acked_events", (w) => w.ackedEvents],
  ["acked_events_per_s", (w) => w.ackedEventsPerSecond],
  ["requests", (w) => w.requests],
  ["p50_ms", (w) => w.p50Ms],
  ["p99_ms", (w) => w.p99Ms],
  ["max_ms", (w) => w.maxMs],
  ["in_flight_end", (w) => w.inFlightEnd],
  ["in_flight_max", (w) => w.inFlightMax],
  ["refused", (w) => w.refused],
  ["refused_with_retry_after", (w) => w.refusedWithRetryAfter],
  ["errors", (w) => w.errors],
  ["timeouts", (w) => w.timeouts],
  ["rss_max_mb", (w) => w.rssMaxMb],
  ["data_dir_bytes", (w) => w.dbBytes],
  ["log_entries", (w) => w.logEntries],
  ["send_lag_max_ms", (w) => w.sendLagMaxMs],
  ["first_error", (w) => (w.firstError === null ? "" : `"${w.firstError.replaceAll('"', '""').replace(/\s+/g, " ")}"`)],
];

export const CSV_HEADER = `${CSV.map(([name]) => name).join(",")}\n`;

export function csvRow(w: SoakWindow): string {
  return `${CSV.map(([, cell]) => cell(w)).join(",")}\n`;
}

export function soakVerdicts(windows: readonly SoakWindow[]): Verdict[] {
  const worst = windows.reduce<SoakWindow | null>((a, w) => (a === null || w.p99Ms > a.p99Ms ? w : a), null);
  const rss = Math.max(0, ...windows.map((w) => w.rssMaxMb));
  const errors = windows.reduce((n, w) => n + w.errors, 0);
  const refused = windows.reduce((n, w) => n + w.refused, 0);
  return [
    {
      target: `every window's p99 < ${SOAK_P99_TARGET_MS} ms`,
      measured: worst
        ? `worst ${worst.p99Ms.toFixed(1)} ms (window ${worst.window}); ${windows.filter((w) => w.p99Ms >= SOAK_P99_TARGET_MS).length} of ${windows.length} windows at or over; ${errors} errors, ${refused} refused in all`
        : "no windows",
      pass: worst !== null && worst.p99Ms < SOAK_P99_TARGET_MS && errors === 0,
    },
    {
      target: `service RSS < ${RSS_TARGET_MB} MB`,
      measured: `max ${rss} MB`,
      pass: windows.length > 0 && rss < RSS_TARGET_MB,
    },
  ];
}
