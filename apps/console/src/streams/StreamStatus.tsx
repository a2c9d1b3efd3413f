// A stream's status and the words its health is shown in, shared by the list
// and the detail page: lag in entries and seconds, delivered, last error.
import type { WireStream, WireStreamHealth } from "@trailproof/protocol";
import { Badge } from "../components/Badge.js";
import { formatDuration, formatNumber } from "../lib/format.js";

export function StreamStatusBadge({ stream }: { stream: WireStream }) {
  if (stream.status === "paused") return <Badge tone="neutral">paused</Badge>;
  if (stream.health?.last_error) {
    return (
      <Badge tone="bad" title="the last send failed; it is retried after a backoff">
        failing
      </Badge>
    );
  }
  // `running` is the answering node's view; with several nodes another may hold the stream.
  if (stream.health && !stream.health.running) {
    return (
      <Badge tone="warn" title="active, but not running on the node that answered">
        active (not here)
      </Badge>
    );
  }
  return <Badge tone="ok">active</Badge>;
}

export function lagEntriesText(h: WireStreamHealth | undefined): string {
  return h ? formatNumber(h.lag_entries) : "—";
}

export function lagSecondsText(h: WireStreamHealth | undefined): string {
  if (!h) return "—";
  return h.lag_seconds === 0 ? "0 s" : formatDuration(h.lag_seconds * 1000);
}

export function deliveredText(h: WireStreamHealth | undefined): string {
  return h ? formatNumber(h.delivered) : "—";
}
