// The markdown `npm run bench:growth` prints: one row per log size, and the
// ratio of the largest size's rate to the smallest's, both from this run.
import type { GrowthPoint } from "./growth.js";
import type { Machine } from "./machine.js";

export interface GrowthReport {
  command: string;
  label: string;
  startedAt: string;
  machine: Machine;
  clients: number;
  seconds: number;
  buildNote: string;
  points: GrowthPoint[];
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const ms = (x: number) => (x < 10 ? x.toFixed(1) : n(x));

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

export function renderGrowthReport(r: GrowthReport): string {
  const m = r.machine;
  const rows = r.points.map((p) => [
    n(p.startSize),
    n(p.load.eventsPerSecond),
    `${ms(p.load.latency.p50Ms)} / ${ms(p.load.latency.p99Ms)} / ${ms(p.load.latency.maxMs)}`,
    `${ms(p.probe.healthz.p99Ms)} / ${ms(p.probe.healthz.maxMs)}`,
    `${n(p.lagAtEnd)} (${p.catchUpSeconds} s)`,
    n(p.probe.walPeakMb),
    p.probe.serverCores.toFixed(2),
    p.load.events > 0 ? (((p.probe.writtenMb * 2 ** 20) / p.load.events) * 1e-3).toFixed(1) : "-",
    n(p.probe.readMb),
    p.load.errors,
    n(p.rss.sampledPeakMb),
  ]);
  const first = r.points[0];
  const last = r.points[r.points.length - 1];
  const ratio =
    first && last && first !== last && first.load.eventsPerSecond > 0
      ? `${(last.load.eventsPerSecond / first.load.eventsPerSecond).toFixed(2)}`
      : "-";
  const built = r.points
    .map((p) =>
      p.log.reused
        ? `${n(p.size)}: reused (built earlier at ${n(p.log.buildEventsPerSecond)} events/s)`
        : `${n(p.size)}: built in ${p.log.buildSeconds} s (${n(p.log.buildEventsPerSecond)} events/s)`,
    )
    .join("; ");
  return `## Capacity as the log grows${r.label ? ` (${r.label})` : ""}

\`${r.command}\`, started ${r.startedAt}; ${m.cpuModel}, ${m.nproc} cores, ${m.memoryGiB} GiB, Node ${m.node}, SQLite ${m.sqlite}.
Closed loop: POST /v1/events, batches of 100, ${r.clients} clients, ${r.seconds} s per size, each after a warm-up and with the search follower caught up.

${table(
  [
    "entries at start",
    "events/s",
    "ack p50 / p99 / max ms",
    "GET /healthz p99 / max ms",
    "search lag at end (catch-up)",
    "WAL peak MB",
    "server cores",
    "KB written per event",
    "MB read from storage",
    "errors",
    "RSS peak MB",
  ],
  rows,
)}

Ratio ${last ? n(last.startSize) : "-"} / ${first ? n(first.startSize) : "-"} (events/s, same run): **${ratio}**.

GET /healthz is probed every 20 ms on its own connection during the load: its handler does no work, so
its longest answer bounds the longest stall of the service's event loop (plus the wait behind the ingest
requests already queued). KB written per event: the server's /proc write_bytes over the load (WAL,
checkpoints, projection) per acknowledged event; MB read from storage: its read_bytes (reads the OS
page cache answered are not counted).

Logs: ${r.buildNote} (the fast path, not the service's own appends). ${built}.
`;
}
