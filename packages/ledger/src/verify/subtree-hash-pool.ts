// core's SubtreeHasher on worker threads: SHA-256 of every leaf and interior
// node is most of whole-log verification's work, and one core hashes about
// 250k leaves of 1.4 KB per second. Batches move to a worker with their
// buffer (no copy) and their nodes come back the same way. A worker that
// fails rejects its batches, so verification stops rather than passing.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import {
  type HashedSubtrees,
  leafCount,
  type PackedLeaves,
  type SubtreeHasher,
  TrailproofError,
} from "@trailproof/core";
import { SUBTREE_HASH_WORKER_SOURCE } from "./subtree-hash-worker-source.js";

export interface SubtreeHashPoolOptions {
  /** Worker threads; default: the machine's parallelism, at most 4. */
  workers?: number;
}

interface Job {
  resolve: (hashed: HashedSubtrees) => void;
  reject: (err: unknown) => void;
  leaves: number;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  /** Leaves in flight, for least-loaded dispatch. */
  load: number;
  failure: string | undefined;
}

type Reply = { id: number; nodes: Uint8Array; bytes: Uint8Array } | { id: number; error: string };

export class SubtreeHashPool implements SubtreeHasher {
  readonly #slots: (Slot | undefined)[] = [];
  #nextJob = 1;
  #closed = false;

  /** Workers start on first use. */
  constructor(options: SubtreeHashPoolOptions = {}) {
    const size = options.workers ?? Math.min(4, availableParallelism());
    for (let i = 0; i < Math.max(1, size); i++) this.#slots.push(undefined);
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Rejects with VERIFY_WORKER_FAILED if the worker dies or errs; nothing is retried. */
  hashSubtrees(first: number, leaves: PackedLeaves): Promise<HashedSubtrees> {
    if (this.#closed) return Promise.reject(new TrailproofError("VERIFY_WORKER_FAILED", "the hash pool is closed"));
    let slot: Slot | undefined;
    for (let i = 0; i < this.#slots.length; i++) {
      const s = this.#slots[i] ?? this.#start(i);
      if (!slot || s.load < slot.load) slot = s;
    }
    const target = slot as Slot;
    const id = this.#nextJob++;
    const count = leafCount(leaves);
    return new Promise<HashedSubtrees>((resolve, reject) => {
      target.jobs.set(id, { resolve, reject, leaves: count });
      target.load += count;
      if (target.jobs.size === 1) target.worker.ref();
      const transfer = [leaves.bytes.buffer, leaves.offsets.buffer].filter(
        (b): b is ArrayBuffer => b instanceof ArrayBuffer,
      );
      target.worker.postMessage({ id, first, bytes: leaves.bytes, offsets: leaves.offsets }, transfer);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s?.worker.terminate()));
  }

  #start(i: number): Slot {
    const worker = new Worker(SUBTREE_HASH_WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, jobs: new Map(), load: 0, failure: undefined };
    this.#slots[i] = slot;
    // An idle worker must not keep the process alive; one with work does.
    worker.unref();
    worker.on("message", (reply: Reply) => {
      const job = slot.jobs.get(reply.id);
      if (!job) return;
      this.#finish(slot, reply.id, job);
      if ("error" in reply) job.reject(new TrailproofError("VERIFY_WORKER_FAILED", `hashing failed: ${reply.error}`));
      else job.resolve({ nodes: reply.nodes, bytes: reply.bytes });
    });
    worker.on("error", (err) => {
      slot.failure = err.message;
    });
    worker.on("exit", (code) => {
      const reason = slot.failure ?? `the hash worker exited with code ${code}`;
      for (const [id, job] of slot.jobs) {
        this.#finish(slot, id, job);
        job.reject(new TrailproofError("VERIFY_WORKER_FAILED", reason));
      }
      // The next batch starts a fresh worker in this slot.
      if (this.#slots[i] === slot) this.#slots[i] = undefined;
    });
    return slot;
  }

  #finish(slot: Slot, id: number, job: Job): void {
    slot.jobs.delete(id);
    slot.load -= job.leaves;
    if (slot.jobs.size === 0) slot.worker.unref();
  }
}
