// A small pool of worker_threads that seal events (seal-worker.ts), so the
// main thread only stamps, sequences and writes. A worker that dies fails
// its in-flight jobs with SEAL_WORKER_FAILED and is replaced; nothing it
// held was acknowledged, since sealing precedes the group commit.
import { Worker } from "node:worker_threads";
import { type ActionDefinition, type AppendedBy, type OccurredAtBounds, TrailproofError } from "@trailproof/core";
import type { SealOutcome } from "../prepare-entry.js";
import type { UnknownActionPolicy } from "../store/log-store.js";
import type { SealJob, SealReply } from "./seal-messages.js";

export interface SealRequest {
  registryKey: string;
  registryVersion: number;
  /** Called only when some worker lacks this registry version. */
  definitions: () => ActionDefinition[];
  unknownActions: UnknownActionPolicy;
  occurredAtBounds: OccurredAtBounds;
  appendedBy: AppendedBy;
  digestKey: Uint8Array;
  inputs: readonly unknown[];
  receivedMs: readonly number[];
}

interface Job {
  resolve: (outcomes: SealOutcome[]) => void;
  reject: (err: unknown) => void;
  size: number;
}

interface Slot {
  worker: Worker;
  /** registryKey -> version this worker holds. */
  registries: Map<string, number>;
  jobs: Map<number, Job>;
  /** Events in flight, for least-loaded dispatch. */
  load: number;
  failure: string | undefined;
  /** Whether this worker ever answered; one that never did is restarted after a pause. */
  answered: boolean;
}

// Compiled (dist/, production) the worker is plain JS beside this file; run
// from TypeScript sources (tests, tsx) an entry registers tsx in the worker first.
const WORKER_URL = import.meta.url.endsWith(".ts")
  ? new URL("./seal-worker-entry.mjs", import.meta.url)
  : new URL("./seal-worker.js", import.meta.url);

/**
 * Young generation of each seal worker, in MiB. V8's default (48 on 64-bit)
 * let two workers hold about 50 MB of short-lived garbage between
 * scavenges; a job's live data is one batch (measured in docs/benchmarks.md).
 */
const SEAL_WORKER_YOUNG_MB = 8;

export class SealPool {
  readonly #slots: (Slot | undefined)[] = [];
  #nextJob = 1;
  #closed = false;

  /**
   * Requires size >= 1. Workers start on first use (loading TS through tsx
   * takes a second or two), so a ledger that only sees small appends never
   * pays for them.
   */
  constructor(size: number) {
    for (let i = 0; i < size; i++) this.#slots.push(undefined);
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Events being sealed by workers right now. */
  get busy(): number {
    return this.#slots.reduce((n, s) => n + (s?.load ?? 0), 0);
  }

  /**
   * Seals `inputs` in one or more jobs (split across idle workers) and
   * resolves with one outcome per input, in order. Rejects with
   * SEAL_WORKER_FAILED if a worker dies or errs; nothing is retried.
   */
  async seal(request: SealRequest, minChunk: number): Promise<SealOutcome[]> {
    if (this.#closed) throw new TrailproofError("LEDGER_CLOSED", "the ledger is shutting down");
    const n = request.inputs.length;
    const chunks = Math.max(1, Math.min(this.#slots.length, Math.floor(n / minChunk)));
    const per = Math.ceil(n / chunks);
    const parts: Promise<SealOutcome[]>[] = [];
    for (let from = 0; from < n; from += per) parts.push(this.#dispatch(request, from, Math.min(n, from + per)));
    return (await Promise.all(parts)).flat();
  }

  /** Test hook: kills one worker as a crash would. */
  async crashWorkerForTest(index: number): Promise<void> {
    await this.#slots[index]?.worker.terminate();
  }

  /** Test hook: the thread id of each worker (a replaced worker gets a new one). */
  threadIdsForTest(): number[] {
    return this.#slots.map((s) => s?.worker.threadId ?? -1);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s?.worker.terminate()));
  }

  #dispatch(request: SealRequest, from: number, to: number): Promise<SealOutcome[]> {
    let slot: Slot | undefined;
    for (let i = 0; i < this.#slots.length; i++) {
      const s = this.#slots[i] ?? this.#start();
      this.#slots[i] = s;
      if (!slot || s.load < slot.load) slot = s;
    }
    if (!slot) throw new TrailproofError("SEAL_WORKER_FAILED", "the seal pool has no workers");
    const id = this.#nextJob++;
    const job: SealJob = {
      id,
      registryKey: request.registryKey,
      registryVersion: request.registryVersion,
      unknownActions: request.unknownActions,
      occurredAtBounds: request.occurredAtBounds,
      appendedBy: request.appendedBy,
      digestKey: request.digestKey,
      inputs: request.inputs.slice(from, to),
      receivedMs: request.receivedMs.slice(from, to),
    };
    if (slot.registries.get(request.registryKey) !== request.registryVersion) {
      job.definitions = request.definitions();
      slot.registries.set(request.registryKey, request.registryVersion);
    }
    return new Promise<SealOutcome[]>((resolve, reject) => {
      slot.jobs.set(id, { resolve, reject, size: to - from });
      slot.load += to - from;
      if (slot.jobs.size === 1) slot.worker.ref();
      slot.worker.postMessage(job);
    });
  }

  #start(): Slot {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxYoungGenerationSizeMb: SEAL_WORKER_YOUNG_MB } });
    const slot: Slot = { worker, registries: new Map(), jobs: new Map(), load: 0, failure: undefined, answered: false };
    // Idle workers must not keep the process alive; one with work does.
    worker.unref();
    worker.on("message", (reply: SealReply) => {
      const job = slot.jobs.get(reply.id);
      slot.answered = true;
      if (!job) return;
      this.#finish(slot, reply.id, job);
      if ("error" in reply) {
        // The worker may hold no registry now; resend it with the next job.
        slot.registries.clear();
        job.reject(new TrailproofError("SEAL_WORKER_FAILED", `sealing failed: ${reply.error}`));
      } else {
        job.resolve(reply.outcomes);
      }
    });
    worker.on("error", (err) => {
      slot.failure = err.message;
    });
    worker.on("exit", (code) => {
      const reason = slot.failure ?? `the seal worker exited with code ${code}`;
      for (const [id, job] of slot.jobs) {
        this.#finish(slot, id, job);
        job.reject(new TrailproofError("SEAL_WORKER_FAILED", reason));
      }
      const i = this.#slots.indexOf(slot);
      if (this.#closed || i < 0) return;
      // A worker that never answered may be unable to start at all: restart
      // it on the next dispatch rather than in a tight loop.
      this.#slots[i] = slot.answered ? this.#start() : undefined;
    });
    return slot;
  }

  #finish(slot: Slot, id: number, job: Job): void {
    slot.jobs.delete(id);
    slot.load -= job.size;
    if (slot.jobs.size === 0) slot.worker.unref();
  }
}
