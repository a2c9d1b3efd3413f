// CPU profile of the biggest miss: the in-process append in its own process,
// or the service during HTTP ingest, each under node --cpu-prof, summarised.
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type ProfileSummary, summariseProfile } from "./cpu-profile.js";
import { type HttpIngestOptions, runHttpIngest } from "./http-ingest.js";

export type ProfileTarget = "append" | "http";

export interface ProfileRun {
  target: ProfileTarget;
  /** What ran under the profiler, for the report. */
  workload: string;
  summary: ProfileSummary;
}

/** The main thread's profile (CPU.<date>.<time>.<pid>.<thread>.<seq>): tsx's loader thread writes one too. */
function mainThreadProfile(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile") && f.split(".")[4] === "0");
  if (files.length === 0) throw new Error(`no main-thread .cpuprofile written in ${dir}`);
  return join(dir, files.sort().at(-1) as string);
}

export async function profileAppend(
  dir: string,
  outDir: string,
  events: number,
  batch: number,
  concurrency: number,
): Promise<ProfileRun> {
  mkdirSync(outDir, { recursive: true });
  const entry = fileURLToPath(new URL("./profile-append.ts", import.meta.url));
  const dataDir = join(dir, "profile-append");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "--cpu-prof",
      `--cpu-prof-dir=${outDir}`,
      "--import",
      "tsx",
      entry,
      dataDir,
      String(events),
      String(batch),
      String(concurrency),
    ],
    { maxBuffer: 1 << 20 },
  );
  const rate = (JSON.parse(stdout.trim().split("\n").at(-1) as string) as { eventsPerSecond: number }).eventsPerSecond;
  return {
    target: "append",
    workload: `in-process append of ${events} events, batches of ${batch}, ${concurrency} in flight (${rate} events/s under the profiler)`,
    summary: summariseProfile(mainThreadProfile(outDir)),
  };
}

export async function profileHttp(dir: string, outDir: string, o: HttpIngestOptions): Promise<ProfileRun> {
  mkdirSync(outDir, { recursive: true });
  const run = await runHttpIngest(join(dir, "profile-http"), { ...o, cpuProfDir: outDir });
  return {
    target: "http",
    workload: `the service during POST /v1/events, batches of 100 from ${o.clients[0]} clients for ${o.seconds[0]} s (${run.batch100.eventsPerSecond} events/s under the profiler), then batches of 1`,
    summary: summariseProfile(mainThreadProfile(outDir)),
  };
}
