// WAL checkpoints of the tenant files, run between acknowledgements rather
// than inside a commit. With SQLite's autocheckpoint, the commit that takes
// the WAL past 1,000 pages copies them into the database file and fsyncs it
// before it returns, so that batch's acknowledgements wait for it (25-50 ms
// per checkpoint at 100k-5M entries here). Files watched here MUST have
// wal_autocheckpoint set to backstopFrames on their writing connection (a
// commit then checkpoints only if the WAL reached ten times the threshold:
// when the event loop has not turned, as in a bulk import loop that awaits
// nothing but its own writes); a timer reads each WAL's
// header from the -shm file (mxFrame at byte 16, nBackfill at byte 96,
// native byte order: https://www.sqlite.org/walformat.html) and runs
// PRAGMA wal_checkpoint(PASSIVE) on that connection once the WAL holds
// thresholdFrames frames not yet copied.
//
// On the same thread, not a worker, by measurement (docs/benchmarks.md,
// "Capacity as the log grows"): a worker's checkpoint, concurrent with the
// writer, stalled the writer for seconds at 5M entries on this machine's
// ext4 (its WAL writes waited on journal commits tied to the checkpoint's
// writeback), and under steady appends it seldom left the WAL fully copied,
// so the WAL stopped restarting. Run here, with no writer in between, each
// checkpoint copies every frame and the next commit restarts the WAL, which
// keeps it near thresholdFrames; journal_size_limit trims the file.
import { closeSync, openSync, readSync } from "node:fs";
import { endianness } from "node:os";
import type { SqliteDatabase } from "./sqlite-database.js";

/** The wal-index header is in the machine's byte order. */
const BIG_ENDIAN = endianness() === "BE";

export interface SqliteCheckpointerOptions {
  /** Checkpoint once the WAL holds this many frames (pages) not yet copied; default 1,000, SQLite's autocheckpoint. */
  thresholdFrames?: number;
  /** How often each WAL's header is read; default 20 ms. */
  pollMs?: number;
  /** The WAL file is trimmed back to this size after it restarts (journal_size_limit); default 64 MiB. */
  truncateBytes?: number;
}

export const DEFAULT_CHECKPOINT_THRESHOLD_FRAMES = 1000;

export interface CheckpointStatus {
  path: string;
  checkpoints: number;
  /** Of the last checkpoint: frames in the WAL, and frames copied into the database file. */
  walFrames: number;
  checkpointedFrames: number;
  lastMs: number;
  longestMs: number;
  /** The last failure, cleared by the next checkpoint. */
  error: string | null;
}

interface Watched {
  db: SqliteDatabase;
  shm: number;
  status: CheckpointStatus;
}

export class SqliteCheckpointer {
  readonly #options: Required<SqliteCheckpointerOptions>;
  readonly #files = new Map<string, Watched>();
  readonly #head = Buffer.alloc(100);
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SqliteCheckpointerOptions = {}) {
    this.#options = {
      thresholdFrames: DEFAULT_CHECKPOINT_THRESHOLD_FRAMES,
      pollMs: 20,
      truncateBytes: 64 * 1024 * 1024,
      ...options,
    };
  }

  /** The writing connection's wal_autocheckpoint: commits checkpoint only past this many frames. */
  get backstopFrames(): number {
    return 10 * this.#options.thresholdFrames;
  }

  /** The WAL size a file is trimmed back to (SqliteTenantFiles sets it as journal_size_limit). */
  get truncateBytes(): number {
    return this.#options.truncateBytes;
  }

  /** Starts checkpointing `path`, whose writing connection is `db` (WAL mode, wal_autocheckpoint = backstopFrames). */
  watch(path: string, db: SqliteDatabase): void {
    if (this.#files.has(path)) return;
    this.#files.set(path, {
      db,
      shm: -1,
      status: { path, checkpoints: 0, walFrames: 0, checkpointedFrames: 0, lastMs: 0, longestMs: 0, error: null },
    });
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), this.#options.pollMs);
      // Checkpointing must not keep a process alive that has nothing else to do.
      this.#timer.unref();
    }
  }

  status(): CheckpointStatus[] {
    return [...this.#files.values()].map((f) => ({ ...f.status }));
  }

  /** Stops checkpointing. The writing connections' close runs SQLite's final checkpoint. */
  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const f of this.#files.values()) if (f.shm !== -1) closeSync(f.shm);
    this.#files.clear();
  }

  /** Frames not yet copied, from the -shm header; null when it cannot be read (then checkpoint anyway). */
  #behind(path: string, f: Watched): number | null {
    try {
      if (f.shm === -1) f.shm = openSync(`${path}-shm`, "r");
      if (readSync(f.shm, this.#head, 0, 100, 0) < 100) return null;
      const read = (at: number) => (BIG_ENDIAN ? this.#head.readUInt32BE(at) : this.#head.readUInt32LE(at));
      return read(16) - read(96);
    } catch {
      return null;
    }
  }

  #tick(): void {
    for (const [path, f] of this.#files) {
      const behind = this.#behind(path, f);
      if (behind !== null && behind < this.#options.thresholdFrames) continue;
      const t0 = performance.now();
      try {
        const [row] = f.db.pragma("wal_checkpoint(PASSIVE)") as { log: number; checkpointed: number }[];
        const ms = performance.now() - t0;
        const s = f.status;
        s.checkpoints++;
        s.walFrames = row?.log ?? 0;
        s.checkpointedFrames = row?.checkpointed ?? 0;
        s.lastMs = ms;
        s.longestMs = Math.max(s.longestMs, ms);
        s.error = null;
      } catch (err) {
        // Reported, and tried again at the next tick; the WAL only grows meanwhile.
        f.status.error = err instanceof Error ? err.message : String(err);
      }
    }
  }
}
