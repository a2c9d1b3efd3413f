// Filtered exports through the service (docs/exports.md): GET /v1/export with
// format=ndjson, csv and ocsf each streamed to the end from a server child
// while its memory is watched, to show the export pages through the store in
// constant memory: the peak RSS growth must not scale with the events exported.
// A phase of `npm run bench` (--only ledger,httpexport), or on its own:
//
//   npm run build:packages && NODE_OPTIONS=--conditions=@trailproof/source \
//     node --import tsx bench/http-export.ts --events 50000
import { mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runInProcessAppend } from "./in-process-append.js";
import { currentRssMb } from "./rss-sampler.js";
import { startServerChild } from "./server-child.js";
import { perSecond, progress } from "./stats.js";

export const EXPORT_FORMATS = ["ndjson", "csv", "ocsf"] as const;

export interface HttpExportFormatRun {
  format: (typeof EXPORT_FORMATS)[number];
  /** Lines received (ndjson, ocsf: one per event; csv: a header, and a row may span lines). */
  lines: number;
  mb: number;
  seconds: number;
  eventsPerSecond: number;
  /** Resident memory before the request, and the peak growth above it while it streamed. */
  rssBeforeMb: number;
  peakGrowthMb: number;
}

/** Streams one export to the end, keeping only a byte count and a newline count. */
function streamExport(url: string, key: string): Promise<{ bytes: number; lines: number }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { authorization: `Bearer ${key}` } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`GET ${url}: ${res.statusCode}`));
        res.resume();
        return;
      }
      let bytes = 0;
      let lines = 0;
      res.on("data", (c: Buffer) => {
        bytes += c.length;
        for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
      });
      res.on("end", () => resolve({ bytes, lines }));
      res.on("error", reject);
    }).on("error", reject);
  });
}

export async function runHttpExport(
  dataDir: string,
  adminKey: string,
  options: { logLevel: string; events: number },
): Promise<HttpExportFormatRun[]> {
  const server = await startServerChild({ dataDir, logLevel: options.logLevel });
  const runs: HttpExportFormatRun[] = [];
  try {
    for (const format of EXPORT_FORMATS) {
      const rssBeforeMb = currentRssMb(server.pid);
      server.rss.start();
      const t0 = performance.now();
      const { bytes, lines } = await streamExport(`${server.url}/v1/export?format=${format}`, adminKey);
      const ms = performance.now() - t0;
      const peak = server.rss.stop();
      runs.push({
        format,
        lines,
        mb: Math.round((bytes / 2 ** 20) * 10) / 10,
        seconds: Math.round(ms) / 1000,
        eventsPerSecond: perSecond(options.events, ms),
        rssBeforeMb,
        // The kernel's peak only counts when it was reset for this request; else the samples' (every 100 ms).
        peakGrowthMb: Math.max(
          0,
          (peak.hwmSincePhaseStart ? Math.max(peak.sampledPeakMb, peak.hwmMb) : peak.sampledPeakMb) - rssBeforeMb,
        ),
      });
    }
  } finally {
    await server.close();
  }
  return runs;
}

export function renderHttpExport(events: number, runs: readonly HttpExportFormatRun[]): string {
  return [
    `GET /v1/export of ${events} events, streamed to the end:`,
    "",
    "| format | lines | MB | seconds | events/s | RSS before (MB) | peak RSS growth (MB) |",
    "| ------ | ----: | -: | ------: | -------: | --------------: | -------------------: |",
    ...runs.map(
      (r) =>
        `| ${r.format} | ${r.lines} | ${r.mb} | ${r.seconds} | ${r.eventsPerSecond} | ${r.rssBeforeMb} | ${r.peakGrowthMb} |`,
    ),
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { events: { type: "string", default: "50000" }, "log-level": { type: "string", default: "warn" } },
  });
  const events = Number(values.events);
  const dir = mkdtempSync(join(tmpdir(), "trailproof-bench-export-"));
  try {
    progress(`http-export: appending ${events} events ...`);
    const { adminKey } = await runInProcessAppend(join(dir, "ledger"), events, 500, 4);
    progress("http-export: exporting ...");
    const runs = await runHttpExport(join(dir, "ledger"), adminKey, { logLevel: values["log-level"], events });
    process.stdout.write(renderHttpExport(events, runs));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
