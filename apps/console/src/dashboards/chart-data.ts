// Shapes /v1/stats answers for charts: series over time, and group totals.
import type { Stats } from "../api/types.js";

export const PALETTE = ["#2563eb", "#0d9488", "#7c3aed", "#db2777", "#ea580c", "#65a30d", "#0891b2", "#64748b"];
export const STATUS_COLOURS: Record<string, string> = {
  success: "#16a34a",
  failure: "#dc2626",
  denied: "#d97706",
  low: "#94a3b8",
  medium: "#d97706",
  high: "#dc2626",
  critical: "#7f1d1d",
  other: "#cbd5e1",
};

export function colourOf(group: string, i: number): string {
  return STATUS_COLOURS[group] ?? PALETTE[i % PALETTE.length] ?? "#64748b";
}

export type SeriesRow = { start: string; label: string; count: number } & Record<string, number | string>;

export function toSeries(stats: Stats, label: (iso: string) => string): SeriesRow[] {
  return stats.buckets.map((b) => {
    const row: SeriesRow = { start: b.start, label: label(b.start), count: b.count };
    for (const g of stats.groups ?? []) row[g] = b.groups?.[g] ?? 0;
    if (b.other) row.other = b.other;
    return row;
  });
}

/** Each named group's total over all buckets, largest first. */
export function groupTotals(stats: Stats): { name: string; count: number }[] {
  const totals = new Map<string, number>();
  for (const b of stats.buckets) {
    for (const [g, n] of Object.entries(b.groups ?? {})) totals.set(g, (totals.get(g) ?? 0) + n);
  }
  const other = stats.buckets.reduce((n, b) => n + (b.other ?? 0), 0);
  const list = [...totals.entries()].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count);
  if (other > 0) list.push({ name: "other", count: other });
  return list;
}
