// Whole-log verifications as jobs (POST /v1/log/verify): a check of a large
// log takes minutes, longer than a request may, so it runs in the background
// with its progress, and its report is polled. Bounded: one running job per
// tenant (a second request joins it), finished jobs kept for an hour, at most
// MAX_JOBS remembered.
import { randomUUID } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { LogStore, VerifyReport } from "@trailproof/ledger";

export const MAX_JOBS = 100;
export const JOB_TTL_MS = 3_600_000;

export interface VerifyJobState {
  id: string;
  tenant: string;
  status: "running" | "done" | "failed";
  verified: number;
  total: number;
  startedAt: string;
  finishedAt: string | null;
  report: VerifyReport | null;
  /** Settles when the job does; never rejects (a failure is the job's status). */
  settled: Promise<void>;
}

/** What a job runs: the verification, reporting progress through `onProgress`. */
export type VerifyRun = (onProgress: (verified: number, total: number) => void) => Promise<VerifyReport>;

export class VerifyJobs {
  readonly #jobs = new Map<string, VerifyJobState>();
  readonly #onError: (job: VerifyJobState, err: unknown) => void;
  readonly #now: () => number;

  /** `onError` logs a job that could not finish (once, at the boundary); its message is never served. */
  constructor(onError: (job: VerifyJobState, err: unknown) => void, now: () => number = Date.now) {
    this.#onError = onError;
    this.#now = now;
  }

  /** Starts a verification of `tenant`, or returns the one already running for it. */
  start(tenant: string, total: number, run: VerifyRun): VerifyJobState {
    this.#evict();
    for (const job of this.#jobs.values()) if (job.tenant === tenant && job.status === "running") return job;
    const job: VerifyJobState = {
      id: randomUUID(),
      tenant,
      status: "running",
      verified: 0,
      total,
      startedAt: new Date(this.#now()).toISOString(),
      finishedAt: null,
      report: null,
      settled: Promise.resolve(),
    };
    job.settled = run((verified, of) => {
      job.verified = verified;
      job.total = of;
    }).then(
      (report) => {
        job.report = report;
        job.verified = report.treeSize;
        job.total = report.treeSize;
        job.status = "done";
        job.finishedAt = new Date(this.#now()).toISOString();
      },
      (err: unknown) => {
        job.status = "failed";
        job.finishedAt = new Date(this.#now()).toISOString();
        this.#onError(job, err);
      },
    );
    this.#jobs.set(job.id, job);
    return job;
  }

  /** The job, if it exists and belongs to `tenant` (another tenant's job is absent, never forbidden). */
  get(tenant: string, id: string): VerifyJobState | undefined {
    this.#evict();
    const job = this.#jobs.get(id);
    return job?.tenant === tenant ? job : undefined;
  }

  /** Settles when every running job has. */
  async drain(): Promise<void> {
    await Promise.all([...this.#jobs.values()].map((j) => j.settled));
  }

  #evict(): void {
    const now = this.#now();
    for (const [id, job] of this.#jobs) {
      if (job.finishedAt !== null && now - Date.parse(job.finishedAt) > JOB_TTL_MS) this.#jobs.delete(id);
    }
    // Oldest finished first; running jobs are bounded by one per tenant.
    for (const [id, job] of this.#jobs) {
      if (this.#jobs.size < MAX_JOBS) break;
      if (job.status !== "running") this.#jobs.delete(id);
    }
  }
}

/**
 * The store as the verifier reads it, giving the event loop a turn before each
 * chunk of entries: the SQLite driver is synchronous, so without it a check
 * of a large log would hold the loop (and every ingest request) until it ends.
 */
export function yieldingStore(store: LogStore): LogStore {
  return new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "readEntries" || prop === "readLeaves") {
        return async (...args: unknown[]) => {
          await yieldToEventLoop();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}
