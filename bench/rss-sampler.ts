// Resident memory of another process from /proc/<pid>/status: VmRSS sampled
// on an interval, and the kernel's own peak (VmHWM), reset at the start of a
// phase through /proc/<pid>/clear_refs ("5") so each phase gets its own peak.
import { readFileSync, writeFileSync } from "node:fs";

export interface RssPeak {
  /** Largest VmRSS seen by sampling. */
  sampledPeakMb: number;
  /** VmHWM at the end: the exact peak since the reset (or since start when the reset was refused). */
  hwmMb: number;
  hwmSincePhaseStart: boolean;
}

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Current resident memory of `pid` in MB (0 when it cannot be read). */
export function currentRssMb(pid: number): number {
  return Math.round(statusKb(pid, "VmRSS") / 1024);
}

export class RssSampler {
  readonly #pid: number;
  #timer: NodeJS.Timeout | undefined;
  #peakKb = 0;
  #reset = false;

  constructor(pid: number) {
    this.#pid = pid;
  }

  /** Starts a phase: resets the kernel peak when allowed, then samples every intervalMs. */
  start(intervalMs = 100): void {
    try {
      writeFileSync(`/proc/${this.#pid}/clear_refs`, "5");
      this.#reset = true;
    } catch {
      this.#reset = false;
    }
    this.#peakKb = statusKb(this.#pid, "VmRSS");
    this.#timer = setInterval(() => {
      this.#peakKb = Math.max(this.#peakKb, statusKb(this.#pid, "VmRSS"));
    }, intervalMs);
  }

  stop(): RssPeak {
    clearInterval(this.#timer);
    this.#peakKb = Math.max(this.#peakKb, statusKb(this.#pid, "VmRSS"));
    return {
      sampledPeakMb: Math.round(this.#peakKb / 1024),
      hwmMb: Math.round(statusKb(this.#pid, "VmHWM") / 1024),
      hwmSincePhaseStart: this.#reset,
    };
  }
}
