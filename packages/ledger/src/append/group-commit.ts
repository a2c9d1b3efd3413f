// Group commit: appends submitted while a write is being prepared or is in
// flight are gathered and written in one transaction (one fsync), so ingest
// throughput does not hang on the disk's fsync rate. Submissions wait in
// lanes (one per tenant) and each write takes them in turn, one submission
// from each lane round the lanes, so a tenant with a long queue cannot hold
// another's append behind its own; within a lane the order is kept. How
// much may wait is decided before submitting (ingest-admission.ts).

export interface GroupCommitOptions {
  /** Items written in one transaction at most (a single larger submission is written alone). */
  maxBatch: number;
  /** Told of each write: how many items it held and how long it took. */
  onWrite?: (timing: WriteTiming) => void;
}

export interface WriteTiming {
  items: number;
  /** The write itself. */
  seconds: number;
  /**
   * From the end of the previous write to the end of this one, where this
   * one followed it without the queue running empty in between: the time
   * the service took per batch while saturated (everything else the thread
   * did included), so items / cycleSeconds is what it can make durable.
   */
  cycleSeconds?: number;
}

interface Waiting<T, R> {
  items: T[];
  resolve: (results: R[]) => void;
  reject: (err: unknown) => void;
}

/**
 * `write` receives items in submission order within each lane and MUST
 * return one result per item in the same order, or throw to fail every
 * submission of that batch.
 */
export class GroupCommitter<T, R> {
  readonly #write: (items: T[]) => Promise<R[]>;
  readonly #options: GroupCommitOptions;
  /** Waiting submissions per lane; a lane is removed when it empties, so the map holds only lanes with work. */
  readonly #lanes = new Map<string, Waiting<T, R>[]>();
  #pending = 0;
  #running: Promise<void> | undefined;

  constructor(write: (items: T[]) => Promise<R[]>, options: GroupCommitOptions) {
    this.#write = write;
    this.#options = options;
  }

  /** Items submitted and not yet written (waiting or in the write). */
  get pending(): number {
    return this.#pending;
  }

  submit(lane: string, items: T[]): Promise<R[]> {
    if (items.length === 0) return Promise.resolve([]);
    this.#pending += items.length;
    const done = new Promise<R[]>((resolve, reject) => {
      const queue = this.#lanes.get(lane);
      const waiting = { items, resolve, reject };
      if (queue) queue.push(waiting);
      else this.#lanes.set(lane, [waiting]);
    });
    this.#running ??= this.#drain();
    return done;
  }

  /** Resolves once everything submitted so far is written (or failed). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /**
   * The next write's submissions: round the lanes, one submission from each
   * in turn, while they fit in maxBatch (the first always goes). A lane
   * served moves to the back of the map, so the next batch starts with
   * another.
   */
  #takeBatch(): Waiting<T, R>[] {
    const batch: Waiting<T, R>[] = [];
    let count = 0;
    let full = false;
    while (!full && this.#lanes.size > 0) {
      full = true;
      for (const [lane, queue] of [...this.#lanes]) {
        const next = queue[0] as Waiting<T, R>;
        if (count > 0 && count + next.items.length > this.#options.maxBatch) continue;
        queue.shift();
        batch.push(next);
        count += next.items.length;
        full = false;
        this.#lanes.delete(lane);
        if (queue.length > 0) this.#lanes.set(lane, queue);
      }
    }
    return batch;
  }

  async #drain(): Promise<void> {
    // Yield once so that submissions made in the same turn share the write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    let previousEnd: number | undefined;
    try {
      while (this.#lanes.size > 0) {
        const batch = this.#takeBatch();
        const items = batch.flatMap((w) => w.items);
        const started = performance.now();
        try {
          const results = await this.#write(items);
          const ended = performance.now();
          this.#options.onWrite?.({
            items: items.length,
            seconds: (ended - started) / 1000,
            ...(previousEnd === undefined ? {} : { cycleSeconds: (ended - previousEnd) / 1000 }),
          });
          previousEnd = ended;
          let offset = 0;
          for (const w of batch) {
            w.resolve(results.slice(offset, offset + w.items.length));
            offset += w.items.length;
          }
        } catch (err) {
          for (const w of batch) w.reject(err);
        } finally {
          this.#pending -= items.length;
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}
