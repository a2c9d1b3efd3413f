// A follower of committed entries with a durable cursor: the one shape
// behind the search projection (and, later, alert rules, streams and
// mirrors). It never runs on the append path: the ledger tells it a tenant's
// new size after each commit, and it reads what it has not applied yet from
// the log, in batches, off the acknowledgement's critical path. Its sink keeps
// the cursor durably with what it applied, so after a restart it resumes
// exactly where its last commit ended and the same log yields the same result.
import { hasErrorCode, TrailproofError } from "@trailproof/core";
import type { LogStore, StoredEntry } from "../store/log-store.js";

export interface FollowerSink {
  /** Names the follower in metrics and in the store's cursor table. */
  readonly name: string;
  /** Entries below this index are applied, durably. */
  covered(tenantId: number): Promise<number>;
  /**
   * Applies `entries`, which are contiguous and start at covered(tenantId),
   * and advances the cursor past them, atomically: after a crash either all
   * of them and the new cursor are there, or none. Where several processes
   * follow one store (PostgreSQL nodes), the advance MUST be a compare-and-set:
   * if the cursor is no longer at entries[0].index, it throws
   * FOLLOWER_CURSOR_MOVED and writes nothing; the follower re-reads covered().
   */
  apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void>;
}

export interface LogFollowerOptions {
  /**
   * Entries applied per sink call (one transaction; default 1,000). The
   * sink runs on the acknowledging thread between acknowledgements, so a
   * batch is also the longest it holds them up.
   */
  batchEntries?: number;
  /** Pause before retrying after the sink failed. */
  retryMs?: number;
  /**
   * The pause before the next try after `failures` failures in a row, in
   * place of retryMs (a stream backs off exponentially while its
   * destination is down).
   */
  retryDelayMs?: (failures: number) => number;
  /** Follows only this tenant's log (a stream); default every tenant's. */
  tenantId?: number;
  /** Where entries are read (the ledger's one shared read, recent-entries.ts); default the store. */
  reader?: Pick<LogStore, "readEntries">;
  /**
   * True while appends are waiting to be made durable: the follower then
   * takes batches of at most YIELD_BATCH entries, so the acknowledging
   * thread is never held for a whole batch while clients wait. It keeps
   * its pace otherwise: admission control counts a follower's lag as the
   * service being behind, so the projection is part of what the service
   * can sustain, not work left for later.
   */
  appendsWaiting?: () => boolean;
}

/**
 * Entries per batch while appends are waiting (appendsWaiting). Measured
 * (docs/benchmarks.md): a 1,000-entry projection batch held the thread up to
 * 143 ms; 200-entry batches left the projection 170,000 entries behind after
 * a minute at the maximum rate; 500 keeps each batch near 50 ms.
 */
const YIELD_BATCH = 500;

export interface FollowerStatus {
  follower: string;
  tenantId: number;
  /** Entries applied (the cursor). */
  covered: number;
  /** Entries committed to the log, as last notified. */
  size: number;
  /** The last failure, cleared by the next success. */
  error: string | null;
}

interface Waiter {
  size: number;
  resolve: (reached: boolean) => void;
  timer: NodeJS.Timeout;
}

interface TenantCursor {
  /** Applied, as this process knows it; undefined: read the sink's durable cursor first. */
  covered: number | undefined;
  /** Set by rewind(): re-read the durable cursor before the next batch. */
  rewind: boolean;
  /** Failures in a row. */
  failures: number;
  size: number;
  running: Promise<void> | undefined;
  waiters: Waiter[];
  error: string | null;
  retry: NodeJS.Timeout | undefined;
}

export class LogFollower {
  readonly name: string;
  readonly #store: Pick<LogStore, "readEntries">;
  readonly #sink: FollowerSink;
  readonly #batch: number;
  readonly #retryDelayMs: (failures: number) => number;
  readonly #only: number | undefined;
  readonly #appendsWaiting: () => boolean;
  readonly #tenants = new Map<number, TenantCursor>();
  /** Notices still being gathered (the catch-up at start); idle() waits for them first. */
  #gathering: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(store: LogStore, sink: FollowerSink, options: LogFollowerOptions = {}) {
    this.name = sink.name;
    this.#store = options.reader ?? store;
    this.#sink = sink;
    this.#batch = options.batchEntries ?? 1000;
    const retryMs = options.retryMs ?? 1000;
    this.#retryDelayMs = options.retryDelayMs ?? (() => retryMs);
    this.#only = options.tenantId;
    this.#appendsWaiting = options.appendsWaiting ?? (() => false);
  }

  /**
   * Notifies every `[tenantId, size]` that `sizes` resolves to (the logs as
   * they stand at start); idle() counts them as notified from now on.
   */
  catchUp(sizes: Promise<readonly (readonly [number, number])[]>): void {
    const previous = this.#gathering;
    this.#gathering = sizes.then(
      async (list) => {
        await previous;
        for (const [tenantId, size] of list) this.notify(tenantId, size);
      },
      (err: unknown) => {
        throw new TrailproofError("FOLLOWER_FAILED", `${this.name} could not list the logs to follow: ${String(err)}`);
      },
    );
  }

  /** The tenant's log now holds `size` entries; follow up to there. Never throws. */
  notify(tenantId: number, size: number): void {
    if (this.#only !== undefined && tenantId !== this.#only) return;
    const t = this.#cursor(tenantId);
    if (size > t.size) t.size = size;
    this.#kick(tenantId, t);
  }

  /**
   * Resolves true once the first `size` entries are applied, false if
   * `timeoutMs` passes first (read-your-writes for a client that names the
   * index its write received).
   */
  waitFor(tenantId: number, size: number, timeoutMs: number): Promise<boolean> {
    const t = this.#cursor(tenantId);
    if (t.covered !== undefined && t.covered >= size) return Promise.resolve(true);
    if (size > t.size) this.notify(tenantId, size);
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        size,
        resolve,
        timer: setTimeout(() => {
          t.waiters = t.waiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs),
      };
      t.waiters.push(waiter);
    });
  }

  /**
   * Resolves once every tenant notified so far is applied up to its notified
   * size; rejects with FOLLOWER_FAILED while a tenant's last attempt failed.
   */
  async idle(): Promise<void> {
    await this.#gathering;
    for (;;) {
      const behind = [...this.#tenants.entries()].filter(([, t]) => t.covered === undefined || t.covered < t.size);
      if (behind.length === 0 || this.#closed) return;
      const failed = behind.find(([, t]) => t.error !== null && t.running === undefined);
      if (failed) {
        throw new TrailproofError(
          "FOLLOWER_FAILED",
          `${this.name} is stuck on tenant ${failed[0]}: ${failed[1].error}`,
        );
      }
      const running = behind.map(([, t]) => t.running).filter((p): p is Promise<void> => p !== undefined);
      if (running.length > 0) await Promise.all(running);
      else await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Forgets what this process applied past the sink's durable cursor and
   * follows on from that cursor: a sink whose destination lost what it was
   * handed (a syslog connection that broke) re-sends it.
   */
  rewind(tenantId: number): void {
    const t = this.#tenants.get(tenantId);
    if (t === undefined) return;
    t.rewind = true;
    this.#kick(tenantId, t);
  }

  /** Committed entries of the tenant not applied yet (0 for a tenant not followed yet). */
  lag(tenantId: number): number {
    const t = this.#tenants.get(tenantId);
    return t === undefined ? 0 : Math.max(0, t.size - (t.covered ?? 0));
  }

  status(): FollowerStatus[] {
    return [...this.#tenants.entries()].map(([tenantId, t]) => ({
      follower: this.name,
      tenantId,
      covered: t.covered ?? 0,
      size: t.size,
      error: t.error,
    }));
  }

  /** Stops following; resolves once the batch in hand is applied. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#tenants.values()) {
      if (t.retry) clearTimeout(t.retry);
      for (const w of t.waiters) {
        clearTimeout(w.timer);
        w.resolve(false);
      }
      t.waiters = [];
    }
    await Promise.all([...this.#tenants.values()].map((t) => t.running));
  }

  #cursor(tenantId: number): TenantCursor {
    let t = this.#tenants.get(tenantId);
    if (!t) {
      t = {
        covered: undefined,
        rewind: false,
        failures: 0,
        size: 0,
        running: undefined,
        waiters: [],
        error: null,
        retry: undefined,
      };
      this.#tenants.set(tenantId, t);
    }
    return t;
  }

  #kick(tenantId: number, t: TenantCursor): void {
    if (this.#closed || t.running || t.retry) return;
    t.running = this.#run(tenantId, t).finally(() => {
      t.running = undefined;
      if (t.error === null && (t.rewind || (t.covered !== undefined && t.covered < t.size))) this.#kick(tenantId, t);
    });
  }

  /** Applies batches until caught up; a failure is recorded and retried later, never thrown. */
  async #run(tenantId: number, t: TenantCursor): Promise<void> {
    try {
      t.covered ??= await this.#sink.covered(tenantId);
      for (;;) {
        if (t.rewind) {
          t.rewind = false;
          t.covered = await this.#sink.covered(tenantId);
        }
        if (this.#closed || t.covered >= t.size) break;
        // Yield first, so a burst of commits is applied as one batch and the
        // acknowledgements waiting on this thread go out before it; while
        // appends wait, take a smaller batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const yielding = this.#appendsWaiting();
        const end = Math.min(t.size, t.covered + (yielding ? Math.min(YIELD_BATCH, this.#batch) : this.#batch));
        const entries = await this.#store.readEntries(tenantId, t.covered, end);
        if (entries.length === 0) break;
        try {
          await this.#sink.apply(tenantId, entries);
          t.covered += entries.length;
        } catch (err) {
          // Another node applied these first: carry on from where it got to.
          if (!hasErrorCode(err, "FOLLOWER_CURSOR_MOVED")) throw err;
          t.covered = await this.#sink.covered(tenantId);
          if (t.covered > t.size) t.size = t.covered;
        }
        t.error = null;
        t.failures = 0;
        this.#release(t);
      }
      this.#release(t);
    } catch (err) {
      t.error = err instanceof Error ? err.message : String(err);
      t.failures += 1;
      // What this process applied past the durable cursor may not have
      // reached the sink's destination: start again from the cursor.
      t.rewind = true;
      if (!this.#closed) {
        t.retry = setTimeout(() => {
          t.retry = undefined;
          this.#kick(tenantId, t);
        }, this.#retryDelayMs(t.failures));
        t.retry.unref();
      }
    }
  }

  #release(t: TenantCursor): void {
    const covered = t.covered ?? 0;
    t.waiters = t.waiters.filter((w) => {
      if (w.size > covered) return true;
      clearTimeout(w.timer);
      w.resolve(true);
      return false;
    });
  }
}
