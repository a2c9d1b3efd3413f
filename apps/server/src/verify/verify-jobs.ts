// Whole-log verifications as jobs (POST /v1/log/verify): a check of a large
// log takes minutes, longer than a request may, so it runs in the background
// on the node that took the request, and any node answers its polls.
import { randomUUID } from "node:crypto";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { LogStore, SharedState, VerifyReport } from "@trailproof/ledger";

/** Finished jobs are kept this long. */
export const JOB_TTL_MS = 3_600_000;
/** Jobs remembered per tenant, running or finished; starting another forgets the oldest. */
export const MAX_JOBS_PER_TENANT = 10;
/** The running node writes progress and renews its claim this often... */
export const HEARTBEAT_MS = 5_000;
/** ...and a job whose node stopped renewing for this long is failed (the node died). */
export const RUNNING_TTL_MS = 30_000;

/** A job as every node sees it (the shared state's copy, or fresher on the node running it). */
export interface VerifyJobState {
  id: string;
  tenant: string;
  status: "running" | "done" | "failed";
  verified: number;
  total: number;
  startedAt: string;
  finishedAt: string | null;
  report: VerifyReport | null;
}

/** What a job runs: the verification, reporting progress through `onProgress`. */
export type VerifyRun = (onProgress: (verified: number, total: number) => void) => Promise<VerifyReport>;

export interface VerifyJobsOptions {
  /** The clock for started and finished times (ms since the epoch). */
  now?: () => number;
  heartbeatMs?: number;
}

const jobKey = (id: string) => `verify-job:${id}`;
/** Held (value: the job id) by the node running the tenant's check: one at a time per tenant. */
const runningKey = (tenant: string) => `verify-running:${tenant}`;
const indexKey = (tenant: string) => `verify-jobs:${tenant}`;

export class VerifyJobs {
  readonly #shared: SharedState;
  readonly #onError: (job: VerifyJobState, err: unknown) => void;
  readonly #now: () => number;
  readonly #heartbeatMs: number;
  /** Jobs this node runs, with what settles when each has finished and been written. */
  readonly #local = new Map<string, { job: VerifyJobState; settled: Promise<void> }>();

  /** `onError` logs a job that could not finish (once, at the boundary); its message is never served. */
  constructor(
    shared: SharedState,
    onError: (job: VerifyJobState, err: unknown) => void,
    options: VerifyJobsOptions = {},
  ) {
    this.#shared = shared;
    this.#onError = onError;
    this.#now = options.now ?? Date.now;
    this.#heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  }

  /** Starts a verification of `tenant` here, or returns the one already running for it on any node. */
  async start(tenant: string, total: number, run: VerifyRun): Promise<VerifyJobState> {
    const id = randomUUID();
    // A claim whose job just finished is released a moment later: look again.
    for (let attempt = 0; attempt < 20; attempt++) {
      if (await this.#shared.claim(runningKey(tenant), id, RUNNING_TTL_MS)) return this.#run(id, tenant, total, run);
      const runningId = await this.#shared.get(runningKey(tenant));
      const running = runningId === undefined ? undefined : await this.get(tenant, runningId);
      if (running?.status === "running") return running;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`the verification claim on ${tenant} is neither free nor held by a running job`);
  }

  /** The job, if it exists and belongs to `tenant` (another tenant's job is absent, never forbidden). */
  async get(tenant: string, id: string): Promise<VerifyJobState | undefined> {
    const local = this.#local.get(id)?.job;
    if (local !== undefined) return local.tenant === tenant ? { ...local } : undefined;
    const stored = await this.#shared.get(jobKey(id));
    if (stored === undefined) return undefined;
    const job = JSON.parse(stored) as VerifyJobState;
    if (job.tenant !== tenant) return undefined;
    // Still "running" but its node no longer holds the claim: that node stopped before finishing.
    if (job.status === "running" && (await this.#shared.get(runningKey(tenant))) !== id) {
      return { ...job, status: "failed", finishedAt: job.finishedAt ?? new Date(this.#now()).toISOString() };
    }
    return job;
  }

  /** Settles when job `id`, run on this node, has finished and been written; at once for any other. */
  async settled(id: string): Promise<void> {
    await this.#local.get(id)?.settled;
  }

  /** Settles when every job running on this node has. */
  async drain(): Promise<void> {
    await Promise.all([...this.#local.values()].map((j) => j.settled));
  }

  async #run(id: string, tenant: string, total: number, run: VerifyRun): Promise<VerifyJobState> {
    const job: VerifyJobState = {
      id,
      tenant,
      status: "running",
      verified: 0,
      total,
      startedAt: new Date(this.#now()).toISOString(),
      finishedAt: null,
      report: null,
    };
    await this.#remember(job);
    // Progress reaches other nodes with each heartbeat, which also renews the claim.
    // A missed heartbeat is made good by the next; only after RUNNING_TTL_MS of them do other
    // nodes call the job failed. The final write's failure is reported below.
    let writes: Promise<void> = Promise.resolve();
    const beat = () => {
      writes = writes.then(() => this.#write(job)).catch(() => undefined);
    };
    const heartbeat = setInterval(beat, this.#heartbeatMs);
    heartbeat.unref();
    const settled = run((verified, of) => {
      job.verified = verified;
      job.total = of;
    })
      .then(
        (report) => {
          job.report = report;
          job.verified = report.treeSize;
          job.total = report.treeSize;
          job.status = "done";
        },
        (err: unknown) => {
          job.status = "failed";
          this.#onError(job, err);
        },
      )
      .then(async () => {
        clearInterval(heartbeat);
        job.finishedAt = new Date(this.#now()).toISOString();
        await writes;
        await this.#write(job);
        // Released only while it is still this job's (it lapses by itself if this node stalled).
        if ((await this.#shared.get(runningKey(tenant))) === id) await this.#shared.delete(runningKey(tenant));
      })
      .catch((err: unknown) => this.#onError(job, err))
      .finally(() => this.#local.delete(id));
    this.#local.set(id, { job, settled });
    return { ...job };
  }

  /**
   * Writes the job and adds it to its tenant's list, forgetting the oldest
   * past MAX_JOBS_PER_TENANT. Only the claim's holder writes a tenant's
   * list, so these writes never race.
   */
  async #remember(job: VerifyJobState): Promise<void> {
    await this.#write(job);
    const listed = JSON.parse((await this.#shared.get(indexKey(job.tenant))) ?? "[]") as string[];
    listed.push(job.id);
    for (const old of listed.splice(0, Math.max(0, listed.length - MAX_JOBS_PER_TENANT)))
      await this.#shared.delete(jobKey(old));
    await this.#shared.put(indexKey(job.tenant), JSON.stringify(listed), JOB_TTL_MS);
  }

  /** A job's record outlives its claim: a running job whose claim lapsed reads as failed, not gone. */
  async #write(job: VerifyJobState): Promise<void> {
    await this.#shared.put(jobKey(job.id), JSON.stringify(job), JOB_TTL_MS);
    if (job.status === "running") await this.#shared.put(runningKey(job.tenant), job.id, RUNNING_TTL_MS);
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
