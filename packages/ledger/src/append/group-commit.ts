// Group commit: appends submitted while a write is being prepared or is in
// flight are gathered and written in one transaction (one fsync), so ingest
// throughput does not hang on the disk's fsync rate. The queue is bounded:
// past `maxPending` a submission fails fast with INGEST_OVERLOADED instead of
// growing memory without limit.
import { TrailproofError } from "@trailproof/core";

export class IngestOverloadedError extends TrailproofError {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number) {
    super("INGEST_OVERLOADED", "too many appends are waiting to be written; retry later");
    this.retryAfterMs = retryAfterMs;
  }
}

export interface GroupCommitOptions {
  /** Items waiting at most; beyond it submit() rejects. */
  maxPending: number;
  /** Items written in one transaction at most. */
  maxBatch: number;
}

interface Waiting<T, R> {
  items: T[];
  resolve: (results: R[]) => void;
  reject: (err: unknown) => void;
}

/**
 * `write` receives items in submission order and MUST return one result per
 * item in the same order, or throw to fail every submission of that batch.
 */
export class GroupCommitter<T, R> {
  readonly #write: (items: T[]) => Promise<R[]>;
  readonly #options: GroupCommitOptions;
  #queue: Waiting<T, R>[] = [];
  #pending = 0;
  #running: Promise<void> | undefined;

  constructor(write: (items: T[]) => Promise<R[]>, options: GroupCommitOptions) {
    this.#write = write;
    this.#options = options;
  }

  get pending(): number {
    return this.#pending;
  }

  submit(items: T[]): Promise<R[]> {
    if (items.length === 0) return Promise.resolve([]);
    if (this.#pending + items.length > this.#options.maxPending) {
      return Promise.reject(new IngestOverloadedError(1000));
    }
    this.#pending += items.length;
    const done = new Promise<R[]>((resolve, reject) => this.#queue.push({ items, resolve, reject }));
    this.#running ??= this.#drain();
    return done;
  }

  /** Resolves once everything submitted so far is written (or failed). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    // Yield once so that submissions made in the same turn share the write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.#queue.length > 0) {
        const batch: Waiting<T, R>[] = [];
        let count = 0;
        while (
          this.#queue.length > 0 &&
          (count === 0 || count + (this.#queue[0]?.items.length ?? 0) <= this.#options.maxBatch)
        ) {
          const w = this.#queue.shift() as Waiting<T, R>;
          batch.push(w);
          count += w.items.length;
        }
        const items = batch.flatMap((w) => w.items);
        try {
          const results = await this.#write(items);
          let offset = 0;
          for (const w of batch) {
            w.resolve(results.slice(offset, offset + w.items.length));
            offset += w.items.length;
          }
        } catch (err) {
          for (const w of batch) w.reject(err);
        } finally {
          this.#pending -= count;
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
