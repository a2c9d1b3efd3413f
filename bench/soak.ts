// Sustained load (issue 17): the real service in a child process on a fresh
// data directory takes an open loop of POST /v1/events batches of 100 at a
// fixed rate (by default 80% of the closed-loop maximum measured first) for N
// minutes. Every window (30 s) prints a markdown row and appends a CSV row:
// throughput, latency from each request's scheduled send time, requests in
// flight, refusals and their Retry-After, errors, the service's RSS, the data
// directory's size and the log's. Ends with PASS/MISS against the targets.
//
//   npm run bench:soak -- --minutes 30            80% of the measured maximum
//   npm run bench:soak -- --minutes 5 --rate 2000  a given rate, no measurement
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { measureClosedLoopMax } from "./closed-loop-max.js";
import { dirBytes } from "./dir-bytes.js";
import { ingestBodies, ingestKeyOn, liveIngestBodies } from "./http-ingest.js";
import type { LoadResult } from "./http-load.js";
import { formatVerdict } from "./load-verdict.js";
import { describeMachine } from "./machine.js";
import { startOpenLoopSchedule } from "./open-loop-schedule.js";
import { startServerChild } from "./server-child.js";
import { parseSoakOptions } from "./soak-options.js";
import { CSV_HEADER, csvRow, markdownHeader, markdownRow, soakVerdicts } from "./soak-report.js";
import { type SoakWindow, SoakWindows } from "./soak-windows.js";
import { progress } from "./stats.js";

const BATCH = 100;
const RSS_SAMPLE_MS = 250;

const o = parseSoakOptions(process.argv.slice(2));
const startedAt = new Date().toISOString();
const stamp = startedAt.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
mkdirSync(o.outDir, { recursive: true });
const csvPath = join(o.outDir, `soak-${stamp}.csv`);
const jsonPath = join(o.outDir, `soak-${stamp}.json`);
const dataDir = join(o.dir, "data");
mkdirSync(dataDir, { recursive: true });
// Removed at the end of a run that completes (unless given or kept); a run that fails leaves it for a look.
progress(`soak: working in ${o.dir}`);
const t0 = performance.now();

const server = await startServerChild({ dataDir, logLevel: o.serverLogLevel });
const windows: SoakWindow[] = [];
let maximum: LoadResult | null = null;
let offered = 0;
try {
  const key = await ingestKeyOn(server, "soak");
  if (o.rate === null) {
    progress(`soak: measuring the closed-loop maximum (batches of ${BATCH}, ${o.measureSeconds} s) ...`);
    maximum = await measureClosedLoopMax(server, key, o.measureSeconds, "c");
    offered = maximum.eventsPerSecond * o.fraction;
  } else offered = o.rate;
  const intro = maximum
    ? `${Math.round(offered)} events/s offered, ${Math.round(o.fraction * 100)}% of the closed-loop maximum ${maximum.eventsPerSecond} events/s (p99 ${maximum.latency.p99Ms} ms)`
    : `${Math.round(offered)} events/s offered (--rate)`;
  process.stdout.write(
    `## Soak: ${o.minutes} min, batches of ${BATCH}, ${intro}; ${o.windowSeconds} s windows\n\nservice RSS at start ${server.startRssMb} MB; CSV ${csvPath}\n\n${markdownHeader()}\n`,
  );
  writeFileSync(csvPath, CSV_HEADER);

  // Built before the clock starts: the event pool takes a second or two to generate.
  const body = o.live ? liveIngestBodies(BATCH, "s") : ingestBodies(BATCH, "s");
  const recorder = new SoakWindows(BATCH, offered);
  const schedule = startOpenLoopSchedule({
    url: `${server.url}/v1/events`,
    key,
    offeredEventsPerSecond: offered,
    eventsPerRequest: BATCH,
    durationMs: o.minutes * 60_000,
    maxSockets: o.maxSockets,
    timeoutMs: o.timeoutMs,
    // Every request times out by then; the margin covers the last answers' own delivery.
    drainMs: o.timeoutMs + 5000,
    body,
    onAnswer: (answer) => recorder.add(answer, schedule.inFlight()),
  });
  const closeWindow = () => {
    const rss = server.rss.stop();
    server.rss.start(RSS_SAMPLE_MS);
    const row = recorder.close({
      inFlight: schedule.inFlight(),
      sendLagMaxMs: schedule.takeSendLagMs(),
      rssMaxMb: Math.max(rss.sampledPeakMb, rss.hwmSincePhaseStart ? rss.hwmMb : 0),
      dbBytes: dirBytes(dataDir),
    });
    windows.push(row);
    process.stdout.write(`${markdownRow(row)}\n`);
    appendFileSync(csvPath, csvRow(row));
    if (row.firstError) progress(`  window ${row.window}: first error ${row.firstError.slice(0, 200)}`);
  };
  server.rss.start(RSS_SAMPLE_MS);
  // The window the schedule ends in stays open through the drain and closes once every answer is in.
  const lastCloseMs = performance.now() + o.minutes * 60_000 - 1000;
  const timer = setInterval(() => {
    if (performance.now() < lastCloseMs) closeWindow();
  }, o.windowSeconds * 1000);
  const end = await schedule.done.finally(() => clearInterval(timer));
  for (const age of end.unansweredAgesMs) recorder.addUnanswered(age);
  closeWindow();
  server.rss.stop();
  if (end.sendLagMaxMs > 50) progress(`  the bench itself started a request up to ${end.sendLagMaxMs} ms late`);
} finally {
  await server.close();
}

const verdicts = soakVerdicts(windows);
const totals = {
  ackedEvents: windows.reduce((n, w) => n + w.ackedEvents, 0),
  requests: windows.reduce((n, w) => n + w.requests, 0),
  refused: windows.reduce((n, w) => n + w.refused, 0),
  refusedWithRetryAfter: windows.reduce((n, w) => n + w.refusedWithRetryAfter, 0),
  errors: windows.reduce((n, w) => n + w.errors, 0),
  timeouts: windows.reduce((n, w) => n + w.timeouts, 0),
};
const seconds = Math.round(performance.now() - t0) / 1000;
writeFileSync(
  jsonPath,
  `${JSON.stringify(
    {
      startedAt,
      command: `npm run bench:soak -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, ""),
      machine: describeMachine(null),
      options: o,
      maximum,
      offeredEventsPerSecond: Math.round(offered),
      startRssMb: server.startRssMb,
      windows,
      totals,
      verdicts,
      seconds,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(
  `\n${totals.requests} requests, ${totals.ackedEvents} events acknowledged: ${totals.refused} refused (${totals.refusedWithRetryAfter} with Retry-After), ${totals.errors} errors (${totals.timeouts} timeouts); ${seconds} s in all\n\n${verdicts.map(formatVerdict).join("\n")}\n\nCSV ${csvPath}\nJSON ${jsonPath}\n`,
);
if (!o.dirGiven && !o.keep) rmSync(o.dir, { recursive: true, force: true });
else progress(`soak: data directory kept in ${dataDir}`);
