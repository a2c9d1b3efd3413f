// What `npm run bench:growth` watches beside the load, from outside the
// service so no service code changes: a probe that asks GET /healthz every
// intervalMs on its own connection (the handler does no work, so its longest
// answer bounds how long the event loop was blocked, plus the wait behind the
// ingest requests already queued, at most one per client); the tenant file's
// WAL size; and the server's CPU and bytes written and read from /proc (Linux).
import { readFileSync, statSync } from "node:fs";
import { Agent } from "node:http";
import { httpCall } from "./http-load.js";
import { type LatencySummary, summarise } from "./stats.js";

export interface ProbeResult {
  healthz: LatencySummary;
  /** Largest size the WAL reached, in MB. */
  walPeakMb: number;
  /** The server's CPU over the window, in cores (utime + stime of all its threads). */
  serverCores: number;
  /** Bytes the server caused to be written to storage over the window, in MB (/proc/<pid>/io write_bytes). */
  writtenMb: number;
  /** Bytes the server read from storage (not the OS page cache) over the window, in MB (read_bytes). */
  readMb: number;
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces: fields count from the last ")".
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

function ioBytes(pid: number, field: "read_bytes" | "write_bytes"): number {
  try {
    return Number(new RegExp(`^${field}: (\\d+)`, "m").exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Linux's USER_HZ: 100 on every architecture Node runs on there. */
const TICKS_PER_SECOND = 100;

export class GrowthProbe {
  readonly #url: string;
  readonly #pid: number;
  readonly #walPath: string;
  readonly #intervalMs: number;
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  #samples: number[] = [];
  #walPeak = 0;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #t0 = 0;
  #ticks0 = 0;
  #written0 = 0;
  #read0 = 0;

  constructor(options: { url: string; pid: number; walPath: string; intervalMs?: number }) {
    this.#url = options.url;
    this.#pid = options.pid;
    this.#walPath = options.walPath;
    this.#intervalMs = options.intervalMs ?? 20;
  }

  start(): void {
    this.#samples = [];
    this.#walPeak = fileBytes(this.#walPath);
    this.#t0 = performance.now();
    this.#ticks0 = processTicks(this.#pid);
    this.#written0 = ioBytes(this.#pid, "write_bytes");
    this.#read0 = ioBytes(this.#pid, "read_bytes");
    this.#running = true;
    this.#loop = this.#run();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const start = performance.now();
      const res = await httpCall(this.#agent, `${this.#url}/healthz`, { method: "GET", key: "" });
      if (res.status !== 200) throw new Error(`GET /healthz: ${res.status} ${res.body.slice(0, 200)}`);
      const ms = performance.now() - start;
      this.#samples.push(ms);
      this.#walPeak = Math.max(this.#walPeak, fileBytes(this.#walPath));
      if (ms < this.#intervalMs) await new Promise((resolve) => setTimeout(resolve, this.#intervalMs - ms));
    }
  }

  async stop(): Promise<ProbeResult> {
    this.#running = false;
    await this.#loop;
    const seconds = (performance.now() - this.#t0) / 1000;
    const cores = (processTicks(this.#pid) - this.#ticks0) / TICKS_PER_SECOND / seconds;
    this.#agent.destroy();
    return {
      healthz: summarise(this.#samples),
      walPeakMb: Math.round(this.#walPeak / 2 ** 20),
      serverCores: Math.round(cores * 100) / 100,
      writtenMb: Math.round((ioBytes(this.#pid, "write_bytes") - this.#written0) / 2 ** 20),
      readMb: Math.round((ioBytes(this.#pid, "read_bytes") - this.#read0) / 2 ** 20),
    };
  }
}
