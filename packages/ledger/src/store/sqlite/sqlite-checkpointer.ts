// WAL checkpoints of the tenant files on a worker thread. With SQLite's own
// autocheckpoint, the commit that takes the WAL past 1,000 pages copies them
// into the database file and fsyncs it before it returns: on the thread that
// acknowledges appends, for hundreds of milliseconds once a tenant's indexes
// outgrow the page cache (docs/benchmarks.md, "Capacity as the log grows").
// Files watched here MUST have wal_autocheckpoint=0 on their writing
// connection; the worker (sqlite-checkpoint-worker-source.ts) checkpoints
// them with PASSIVE, which never blocks a writer.
import { Worker } from "node:worker_threads";
import { SQLITE_CHECKPOINT_WORKER_SOURCE } from "./sqlite-checkpoint-worker-source.js";

export interface SqliteCheckpointerOptions {
  /** The better-sqlite3 entry point, resolved by open-sqlite-store.ts (the one door to the driver). */
  driverPath: string;
  /** Checkpoint once the WAL holds this many frames (pages); default 1,000, SQLite's autocheckpoint. */
  thresholdFrames?: number;
  /** How often the worker reads each WAL's header; default 20 ms. */
  pollMs?: number;
  /** A WAL file larger than this is truncated once PASSIVE has left it almost empty; default 64 MiB. */
  truncateBytes?: number;
  /** The longest a TRUNCATE waits for a writer or reader to finish; default 5 ms. */
  busyTimeoutMs?: number;
}

export const DEFAULT_CHECKPOINT_THRESHOLD_FRAMES = 1000;
export const DEFAULT_WAL_TRUNCATE_BYTES = 64 * 1024 * 1024;

export interface CheckpointStatus {
  path: string;
  checkpoints: number;
  truncations: number;
  /** Of the last checkpoint: frames in the WAL, and frames copied into the database file. */
  walFrames: number;
  checkpointedFrames: number;
  lastMs: number;
  longestMs: number;
  /** The thread that ran the checkpoints (never the one that created the checkpointer). */
  threadId: number;
  /** The last failure, cleared by the next checkpoint. */
  error: string | null;
}

type Report =
  | {
      type: "checkpoint";
      path: string;
      mode: "PASSIVE" | "TRUNCATE";
      ms: number;
      busy: number;
      log: number;
      checkpointed: number;
      threadId: number;
    }
  | { type: "error"; path: string; message: string };

export class SqliteCheckpointer {
  readonly #options: Required<SqliteCheckpointerOptions>;
  readonly #status = new Map<string, CheckpointStatus>();
  #worker: Worker | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: SqliteCheckpointerOptions) {
    this.#options = {
      thresholdFrames: DEFAULT_CHECKPOINT_THRESHOLD_FRAMES,
      pollMs: 20,
      truncateBytes: DEFAULT_WAL_TRUNCATE_BYTES,
      busyTimeoutMs: 5,
      ...options,
    };
  }

  /** The WAL size a file is trimmed back to (SqliteTenantFiles sets it as journal_size_limit too). */
  get truncateBytes(): number {
    return this.#options.truncateBytes;
  }

  /** Starts checkpointing `path` (a database file in WAL mode that exists). */
  watch(path: string): void {
    if (this.#closing) throw new Error("the checkpointer is closed");
    if (this.#status.has(path)) return;
    this.#status.set(path, {
      path,
      checkpoints: 0,
      truncations: 0,
      walFrames: 0,
      checkpointedFrames: 0,
      lastMs: 0,
      longestMs: 0,
      threadId: 0,
      error: null,
    });
    if (this.#worker) this.#worker.postMessage({ type: "watch", path });
    else this.#start();
  }

  status(): CheckpointStatus[] {
    return [...this.#status.values()].map((s) => ({ ...s }));
  }

  /**
   * Stops the worker once its checkpoint in hand is done and closes its
   * connections. Close the writing connections first: then the worker's is
   * the last, and SQLite's final checkpoint on close runs on the worker too.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const worker = this.#worker;
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ type: "close" });
      await exited;
    })();
    return this.#closing;
  }

  /** A new worker, given every watched file. */
  #start(): void {
    const { driverPath, thresholdFrames, pollMs, truncateBytes, busyTimeoutMs } = this.#options;
    const worker = new Worker(SQLITE_CHECKPOINT_WORKER_SOURCE, {
      eval: true,
      workerData: { driverPath, thresholdFrames, pollMs, truncateBytes, busyTimeoutMs },
    });
    // Checkpointing must not keep a process alive that has nothing else to do.
    worker.unref();
    worker.on("message", (r: Report) => this.#record(r));
    worker.on("error", (err) => {
      for (const s of this.#status.values()) s.error = `checkpoint worker failed: ${err.message}`;
    });
    worker.on("exit", () => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      // Supervised: a worker that died is replaced, after a pause so a worker
      // that cannot start does not spin, and given its files again.
      if (this.#closing || this.#status.size === 0) return;
      const restart = setTimeout(() => {
        if (!this.#closing && !this.#worker) this.#start();
      }, 1000);
      restart.unref();
    });
    this.#worker = worker;
    for (const path of this.#status.keys()) worker.postMessage({ type: "watch", path });
  }

  #record(r: Report): void {
    const s = this.#status.get(r.path);
    if (!s) return;
    if (r.type === "error") {
      s.error = r.message;
      return;
    }
    s.checkpoints++;
    if (r.mode === "TRUNCATE" && r.busy === 0) s.truncations++;
    s.walFrames = r.log;
    s.checkpointedFrames = r.checkpointed;
    s.lastMs = r.ms;
    s.longestMs = Math.max(s.longestMs, r.ms);
    s.threadId = r.threadId;
    s.error = null;
  }
}
