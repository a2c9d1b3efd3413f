// Client-side downloads: the current result as NDJSON (one committed event
// per line, as read), and any response body the browser fetched itself.
import type { EventItem } from "../api/types.js";

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function eventsToNdjson(items: readonly EventItem[]): string {
  return items.map((item) => `${JSON.stringify(item.event)}\n`).join("");
}

export function timestampedName(prefix: string, ext: string, now = new Date()): string {
  return `${prefix}-${now.toISOString().replace(/[:.]/g, "-").slice(0, 19)}.${ext}`;
}
