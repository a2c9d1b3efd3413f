// The run's report: markdown tables (ratios against the baselines measured in
// the same run), the targets with PASS/MISS and margin, the profile summary;
// and the JSON record in bench/out/<timestamp>.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchResults } from "./bench-results.js";
import { LARGE_LOG_NOTE } from "./build-large-log.js";
import { renderPostgresStore } from "./postgres-report.js";
import type { LatencySummary } from "./stats.js";

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const ms = (x: number) => (x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1));
const us = (x: number) => n(x * 1000);
const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}x` : "-");

function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

function ingest(r: BenchResults): string {
  const a = r.baselineA?.eventsPerSecond;
  const a0 = r.baselineA0?.eventsPerSecond;
  const b = r.baselineB?.eventsPerSecond;
  const rows: (string | number)[][] = [];
  const row = (name: string, rate: number, how: string) =>
    rows.push([name, n(rate), ratio(rate, a0), ratio(rate, a), ratio(rate, b), how]);
  if (r.baselineA0)
    row(
      "baseline A0: SQLite, primary key only (the disk and driver's ceiling)",
      r.baselineA0.eventsPerSecond,
      `${n(r.baselineA0.batch)} rows per transaction, WAL, synchronous=FULL`,
    );
  if (r.baselineA)
    row(
      "baseline A: SQLite, schema v1 (ten indexes, FTS5, tags), no sealing",
      r.baselineA.eventsPerSecond,
      `${n(r.baselineA.batch)} rows per transaction, WAL, synchronous=FULL`,
    );
  if (r.baselineB)
    row(
      "baseline B: PostgreSQL audit_logs, JSONB, same indexes",
      r.baselineB.eventsPerSecond,
      `INSERT of ${n(r.baselineB.batch)} rows, ${r.baselineB.inflight} in flight, TCP 127.0.0.1`,
    );
  const p = r.inProcess;
  if (p)
    row(
      "Trailproof in-process (validate, seal, tree, index, fsync, searchable)",
      p.eventsPerSecond,
      `batches of ${n(p.batch)}, ${p.concurrency} in flight; ${
        p.waitedForProjection ? "timed until the search projection caught up" : "the store indexes in the commit"
      }; ${p.checkpoints} checkpoints, ${n(p.databaseMb)} MB data directory`,
    );
  const h = r.httpIngest;
  if (h) {
    row(
      "Trailproof over HTTP, batches of 100",
      h.batch100.eventsPerSecond,
      `${h.batch100.clients} clients, ${h.batch100.seconds} s`,
    );
    row(
      "Trailproof over HTTP, batches of 1",
      h.batch1.eventsPerSecond,
      `${h.batch1.clients} clients, ${h.batch1.seconds} s`,
    );
  }
  return table(["ingest path", "events/s", "vs A0", "vs A", "vs B", "how"], rows);
}

function latencyRow(name: string, l: LatencySummary, extra: (string | number)[]): (string | number)[] {
  return [name, ...extra, ms(l.p50Ms), ms(l.p95Ms), ms(l.p99Ms), ms(l.maxMs)];
}

function http(r: BenchResults): string {
  const h = r.httpIngest;
  if (!h) return "";
  const rows = [h.batch100, h.batch1].map((l) =>
    latencyRow(`batches of ${l.eventsPerRequest}, closed loop`, l.latency, [
      l.clients,
      n(l.requests),
      "-",
      n(l.eventsPerSecond),
      l.errors,
    ]),
  );
  const o = h.openLoop;
  if (o)
    rows.splice(
      1,
      0,
      latencyRow(
        `batches of ${o.eventsPerRequest}, open loop at ${Math.round(o.fractionOfMax * 100)}% of the closed-loop rate`,
        o.latency,
        ["-", n(o.requests), n(o.offeredEventsPerSecond), n(o.ackedEventsPerSecond), o.errors],
      ),
    );
  const notes = [
    "Closed loop: each client sends its next request when the last is acknowledged; latency from first byte sent.",
    ...(o
      ? [
          `Open loop: a request every ${((o.eventsPerRequest / o.offeredEventsPerSecond) * 1000).toFixed(1)} ms for ${o.seconds} s whatever the acknowledgements, latency from its scheduled send time (no coordinated omission); the sender ran at most ${o.sendLagMaxMs} ms late.`,
        ]
      : []),
  ];
  return [
    table(
      [
        "POST /v1/events",
        "clients",
        "requests",
        "offered events/s",
        "acked events/s",
        "errors",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
      ],
      rows,
    ),
    "",
    ...notes,
  ].join("\n");
}

function compat(r: BenchResults): string {
  const c = r.httpCompat;
  if (!c) return "";
  const rows = [
    ...c.loads.map((x) => [
      `${x.endpoint} (${x.load.eventsPerRequest} per request)`,
      n(x.eventBytes),
      n(x.load.eventsPerSecond),
      n(x.nativeTwin.eventsPerSecond),
      ratio(x.load.eventsPerSecond, x.nativeTwin.eventsPerSecond),
      `${ms(x.load.latency.p99Ms)} / ${ms(x.nativeTwin.latency.p99Ms)}`,
      x.load.errors + x.nativeTwin.errors,
    ]),
    ...[c.native.batch, c.native.single].map((l) => [
      `native, the bench's own events (${l.eventsPerRequest} per request)`,
      n(r.eventBytes),
      "-",
      n(l.eventsPerSecond),
      "-",
      `- / ${ms(l.latency.p99Ms)}`,
      l.errors,
    ]),
  ];
  return [
    table(
      [
        "endpoint",
        "B/event stored",
        "events/s",
        "native twin events/s",
        "vs native",
        "p99 ms (compat / native)",
        "errors",
      ],
      rows,
    ),
    "",
    `Native twin: the events the endpoint stored, read back and sent again to POST /v1/events with new ids, in the same batch size, right after; so "vs native" is the cost of the wire format and the mapping. ${c.native.batch.clients} closed-loop clients per load, ${c.native.batch.seconds} s each, on one service.`,
  ].join("\n");
}

function alerts(r: BenchResults): string {
  const a = r.httpAlerts;
  if (!a) return "";
  const e = a.evaluation;
  const types = Object.entries(a.alerts.byType)
    .map(([t, c]) => `${t} ${c}`)
    .join(", ");
  return [
    table(
      ["load", "events/s", "p99 ms", "errors"],
      [
        ["no rule", n(a.without.eventsPerSecond), ms(a.without.latency.p99Ms), a.without.errors],
        [`${a.rules} rules`, n(a.with.eventsPerSecond), ms(a.with.latency.p99Ms), a.with.errors],
      ],
    ),
    "",
    table(
      ["evaluation", "value"],
      [
        ["entries evaluated per second (load start to lag 0)", n(e.entriesPerSecond)],
        ["vs the ingest rate of the same load", ratio(e.entriesPerSecond, a.with.eventsPerSecond)],
        ["ingest with rules vs without", ratio(a.with.eventsPerSecond, a.without.eventsPerSecond)],
        ["largest lag during the load (entries)", n(e.maxLagEntries)],
        ["catch-up after the load (s)", e.catchUpSeconds.toFixed(2)],
        ["alerts raised (of the first 500 listed)", `${a.alerts.raised}${types === "" ? "" : ` (${types})`}`],
        [
          "alert latency p50 / p99 ms (occurred to alert committed)",
          a.alerts.latency ? `${ms(a.alerts.latency.p50Ms)} / ${ms(a.alerts.latency.p99Ms)}` : "-",
        ],
      ],
    ),
    "",
    `Evaluation follows the log, never the ingest path: "vs the ingest rate" is 1.00 when the rules kept up with the load (${a.with.clients} closed-loop clients, batches of 100, ${a.with.seconds.toFixed(0)} s).`,
  ].join("\n");
}

function streams(r: BenchResults): string {
  const s = r.httpStreams;
  if (!s) return "";
  return [
    table(
      ["load", "events/s", "p99 ms", "errors"],
      [
        ["no stream", n(s.without.eventsPerSecond), ms(s.without.latency.p99Ms), s.without.errors],
        [`${s.streams.length} streams`, n(s.with.eventsPerSecond), ms(s.with.latency.p99Ms), s.with.errors],
      ],
    ),
    "",
    table(
      [
        "destination",
        "messages/s (load start to lag 0)",
        "vs ingest rate",
        "largest lag (entries / s)",
        "catch-up (s)",
        "received",
      ],
      s.streams.map((f) => [
        f.destination,
        n(f.messagesPerSecond),
        ratio(f.messagesPerSecond, s.with.eventsPerSecond),
        `${n(f.maxLagEntries)} / ${f.maxLagSeconds.toFixed(1)}`,
        f.catchUpSeconds.toFixed(2),
        n(f.received),
      ]),
    ),
    "",
    `Three streams of every entry at once (syslog CEF to a TCP frame counter, webhook native NDJSON to an HTTP receiver, NATS JetStream OCSF on the machine's nats-server) while ${s.with.clients} closed-loop clients send batches of 100 for ${s.with.seconds.toFixed(0)} s. "vs ingest rate" is 1.00 when a stream kept up with the same load; streams are left out of ingest admission, so a slow one lags rather than slowing ingest. "received" counts at the receiver, redeliveries included.${s.skipped.length > 0 ? ` Skipped: ${s.skipped.join("; ")}.` : ""}`,
  ].join("\n");
}

function search(r: BenchResults): string {
  if (!r.search) return "";
  const rows = r.search.cases.map((c) => [
    c.name,
    ms(c.trailproof.p50Ms),
    ms(c.trailproof.p95Ms),
    c.postgres ? ms(c.postgres.p50Ms) : "-",
    c.postgres ? ms(c.postgres.p95Ms) : "-",
    c.postgres ? ratio(c.trailproof.p95Ms, c.postgres.p95Ms) : "-",
    c.postgresPlan,
  ]);
  for (const read of r.httpRead) {
    if (read.search)
      rows.push([
        `HTTP ${read.search.query}`,
        ms(read.search.latency.p50Ms),
        ms(read.search.latency.p95Ms),
        "-",
        "-",
        "-",
        read.note,
      ]);
  }
  const small = r.inProcess
    ? [
        "",
        `The small tenant holds ${n(r.inProcess.smallTenantEvents)} events of the same generator, beside the big tenant's ${n(r.search?.events ?? r.inProcess.events)} in the same data directory.`,
      ]
    : [];
  return [
    table(
      [
        "query (50 newest)",
        "Trailproof p50 ms",
        "p95 ms",
        "baseline B p50 ms",
        "p95 ms",
        "p95 TP/B",
        "baseline B index",
      ],
      rows,
    ),
    ...small,
  ].join("\n");
}

function proofs(r: BenchResults): string {
  if (r.proofs.length === 0) return "";
  return table(
    ["tree size", "inclusion p50 µs", "p95 µs", "consistency p50 µs", "p95 µs", "hashes (incl./cons.)", "log"],
    r.proofs.map((p) => [
      n(p.treeSize),
      us(p.inclusion.p50Ms),
      us(p.inclusion.p95Ms),
      us(p.consistency.p50Ms),
      us(p.consistency.p95Ms),
      `${p.inclusionHashes} / ${p.consistencyHashes}`,
      p.note,
    ]),
  );
}

function verify(r: BenchResults): string {
  const rows: (string | number)[][] = [];
  for (const v of r.verify) {
    rows.push([
      `whole log from the store (verify --data: tenantLogReport), ${n(v.treeSize)} entries`,
      n(v.wholeLogEventsPerSecond),
      v.note,
    ]);
    if (v.exportEventsPerSecond !== null)
      rows.push([
        `export bundle in-process (bundleLines to a file, ${v.bundleMb} MB)`,
        n(v.exportEventsPerSecond),
        v.note,
      ]);
    if (v.bundleEventsPerSecond !== null)
      rows.push(["verify the bundle offline (verify --bundle: bundleFileReport)", n(v.bundleEventsPerSecond), v.note]);
  }
  for (const read of r.httpRead)
    rows.push([
      `GET /v1/export streamed, ${n(read.export.events)} entries, ${read.export.mb} MB`,
      n(read.export.eventsPerSecond),
      read.note,
    ]);
  return rows.length ? table(["verification and export", "events/s", "log"], rows) : "";
}

function memory(r: BenchResults): string {
  const rows: (string | number)[][] = [];
  type Peak = { hwmMb: number; sampledPeakMb: number; hwmSincePhaseStart: boolean };
  const peak = (name: string, start: number, p: Peak) =>
    rows.push([
      name,
      start,
      p.hwmMb,
      p.sampledPeakMb,
      p.hwmSincePhaseStart ? "the phase (VmHWM reset)" : "the process",
    ]);
  if (r.httpIngest)
    peak(`ingest (HTTP, log level ${r.httpIngest.logLevel})`, r.httpIngest.startRssMb, r.httpIngest.rss);
  for (const read of r.httpRead)
    peak(`export of ${n(read.export.events)} entries`, read.export.startRssMb, read.export.rss);
  if (r.inProcess)
    rows.push([
      "the bench process (in-process append, generated events included)",
      "-",
      r.inProcess.benchProcessPeakRssMb,
      "-",
      "the process",
    ]);
  const head = ["process", "RSS after start MB", "peak RSS MB (VmHWM)", "sampled peak MB", "peak over"];
  return rows.length ? table(head, rows) : "";
}

function targets(r: BenchResults): string {
  return table(
    ["target", "measured", "goal", "result", "margin"],
    r.targets.map((t) => [
      t.scale ? `${t.target} (${t.scale})` : t.target,
      t.measured,
      t.goal,
      t.pass ? "PASS" : "MISS",
      t.margin,
    ]),
  );
}

function profile(r: BenchResults): string {
  const p = r.profile;
  if (!p) return "";
  const rows = p.summary.inclusive.map((e) => [`${e.pct}%`, n(e.ms), `\`${e.name}\``, e.location]);
  const self = p.summary.self.slice(0, 10).map((e) => [`${e.pct}%`, n(e.ms), `\`${e.name}\``, e.location]);
  return [
    `Profile of ${p.workload}; ${n(p.summary.busyMs)} ms busy, ${p.summary.idlePct}% idle.`,
    "",
    "Top functions by inclusive time:",
    "",
    table(["share", "ms", "function", "where"], rows),
    "",
    "Top functions by self time:",
    "",
    table(["share", "ms", "function", "where"], self),
  ].join("\n");
}

export function renderReport(r: BenchResults): string {
  const m = r.machine;
  const sections: [string, string][] = [
    ["Ingest", ingest(r)],
    ["HTTP acknowledgement latency", http(r)],
    ["Drop-in ingest endpoints", compat(r)],
    ["Alert rules under ingest", alerts(r)],
    ["SIEM streams under ingest", streams(r)],
    [`Search latency at ${n(r.search?.events ?? r.events)} events`, search(r)],
    ["Proofs", proofs(r)],
    ["Verification and export", verify(r)],
    ["Service memory", memory(r)],
    ["PostgreSQL store", renderPostgresStore(r)],
    ["Targets", targets(r)],
    ["Where the time goes", profile(r)],
  ];
  return [
    `# Trailproof benchmark: ${r.mode} mode, ${n(r.events)} events (~${n(r.eventBytes)} B of JSON each)`,
    "",
    `${r.startedAt}, \`${r.command}\`, ${Math.round(r.seconds)} s.`,
    `Machine: ${m.cpuModel}, ${m.nproc} cores, ${m.memoryGiB} GiB, Node ${m.node}, Linux ${m.kernel}, SQLite ${m.sqlite}, ${m.postgres ?? "no PostgreSQL"}.`,
    ...(r.largeLog
      ? [
          `Large log: ${n(r.largeLog.events)} events built at ${n(r.largeLog.buildEventsPerSecond)} events/s in ${n(r.largeLog.buildSeconds)} s, ${n(r.largeLog.indexSeconds)} s of it building indexes (${LARGE_LOG_NOTE}).`,
        ]
      : []),
    ...r.notes.map((x) => `Note: ${x}`),
    ...sections.filter(([, body]) => body !== "").flatMap(([title, body]) => ["", `## ${title}`, "", body]),
    "",
  ].join("\n");
}

/** Writes the JSON record; returns its path. */
export function writeResults(outDir: string, r: BenchResults): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${r.startedAt.replaceAll(":", "-").replace(/\.\d+Z$/, "Z")}.json`);
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
  return path;
}
