// Period rules of report schedules: the calendar period (UTC) before the
// time a schedule fires, e.g. fired at 2026-10-01T06:00Z, previous_month is
// September and previous_quarter is July to September.
import type { ReportPeriodRule } from "@trailproof/protocol";

export function periodBefore(rule: ReportPeriodRule, firedMs: number): { from: string; to: string } {
  const d = new Date(firedMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = Date.UTC(y, m, d.getUTCDate());
  let from: number;
  let to: number;
  switch (rule) {
    case "previous_day":
      to = day;
      from = to - 86_400_000;
      break;
    case "previous_week": {
      // Weeks start on Monday (ISO 8601).
      to = day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
      from = to - 7 * 86_400_000;
      break;
    }
    case "previous_month":
      to = Date.UTC(y, m, 1);
      from = Date.UTC(y, m - 1, 1);
      break;
    case "previous_quarter": {
      const q = Math.floor(m / 3) * 3;
      to = Date.UTC(y, q, 1);
      from = Date.UTC(y, q - 3, 1);
      break;
    }
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
