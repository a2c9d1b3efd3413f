// One stream as a follower of its tenant's log (docs/streams.md): the
// engine's LogFollower hands it committed entries in order from the durable
// cursor; it keeps those its filter matches, projects each for its privacy
// mode, formats and sends them, and only then moves the cursor. Delivery is
// at least once: after a crash, a failure or a lost connection the same
// entries are sent again from the cursor, as the same messages (the same
// prev_index chain), so a consumer drops what it holds by index.
//
// Where the destination acknowledges (settleMs 0), the cursor moves as soon
// as a batch is sent. Where it cannot (syslog: the kernel took the bytes, the
// receiver may still die before reading them), a sent batch waits settleMs
// with no connection lost before the cursor moves past it; a connection lost
// meanwhile rewinds the follower to the cursor, and what was unsettled is
// sent again.
import { type JsonObject, TrailproofError } from "@trailproof/core";
import type { FollowerSink, StoredEntry, StreamAdvance, StreamStore } from "@trailproof/ledger";
import type { StreamProjection } from "./stream-projection.js";
import type { MessageFormatter, OutgoingMessage, StreamDestination } from "./stream-types.js";

/** The event's outcome.status and risk, for a transport's own severity (syslog's PRI). */
function severityOf(committed: JsonObject): { outcome?: string; risk?: string } {
  const out: { outcome?: string; risk?: string } = {};
  const outcome = committed.outcome as JsonObject | undefined;
  if (typeof outcome?.status === "string") out.outcome = outcome.status;
  if (typeof committed.risk === "string") out.risk = committed.risk;
  return out;
}

export interface StreamSinkDeps {
  store: StreamStore;
  destination: StreamDestination;
  formatter: MessageFormatter;
  projection: StreamProjection;
  /** The stream's filter over the committed event. */
  matches: (event: JsonObject) => boolean;
  now?: () => number;
}

export interface StreamSinkIdentity {
  streamId: string;
  tenantId: number;
  origin: string;
}

interface Pending extends StreamAdvance {
  /** The destination's generation when the batch was handed over. */
  generation: number;
  sentMs: number;
}

export class StreamSink implements FollowerSink {
  readonly name: string;
  readonly #deps: StreamSinkDeps;
  readonly #id: StreamSinkIdentity;
  readonly #now: () => number;
  /** The last index handed to the destination (the next message's prev_index). */
  #lastSent: number | null = null;
  /** Batches handed over and not settled yet, oldest first (settleMs > 0 only). */
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** Cursor moves in flight, one at a time. */
  #saving: Promise<void> = Promise.resolve();
  /** What the last failure asked to wait (a receiver's Retry-After). */
  #retryAfterMs = 0;
  #closed = false;
  /** Called when what was handed over is to be sent again from the cursor (set by the stream's runner). */
  onRewind: () => void = () => undefined;
  /** Called with the count of messages whose delivery the cursor now records. */
  onDelivered: (messages: number) => void = () => undefined;
  /** Called with a failure's short cause. */
  onFailed: (error: string) => void = () => undefined;

  constructor(id: StreamSinkIdentity, deps: StreamSinkDeps) {
    this.name = `stream:${id.streamId}`;
    this.#id = id;
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** A receiver's Retry-After from the last failure, taken once (the follower's backoff honours it). */
  takeRetryAfterMs(): number {
    const ms = this.#retryAfterMs;
    this.#retryAfterMs = 0;
    return ms;
  }

  async covered(tenantId: number): Promise<number> {
    await this.#saving;
    const progress = await this.#deps.store.progress(tenantId, this.#id.streamId);
    if (progress === undefined) {
      throw new TrailproofError("STREAM_NOT_FOUND", `stream ${this.#id.streamId} is gone`);
    }
    // Whatever was handed over past the cursor is sent again from here.
    this.#pending = [];
    this.#lastSent = progress.lastSent;
    return progress.covered;
  }

  async apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void> {
    const first = entries[0];
    const last = entries[entries.length - 1];
    if (first === undefined || last === undefined) return;
    const { destination } = this.#deps;
    const oldest = this.#pending[0];
    if (oldest !== undefined && oldest.generation !== destination.generation) {
      this.#pending = [];
      throw new TrailproofError(
        "STREAM_DESTINATION_FAILED",
        "the connection was lost with messages not settled; sending again from the cursor",
      );
    }
    let lastSent = this.#lastSent;
    const out: OutgoingMessage[] = [];
    for (const entry of entries) {
      // A pruned entry's body is gone: nothing of it can leave.
      if (entry.leafData.length === 0) continue;
      const committed = JSON.parse(Buffer.from(entry.leafData).toString("utf8")) as JsonObject;
      if (!this.#deps.matches(committed)) continue;
      const event = await this.#deps.projection.project(entry.index, committed);
      const text = this.#deps.formatter({
        streamId: this.#id.streamId,
        origin: this.#id.origin,
        index: entry.index,
        prevIndex: lastSent,
        eventId: entry.eventId,
        event,
      });
      out.push({
        index: entry.index,
        prevIndex: lastSent,
        eventId: entry.eventId,
        occurredAt: typeof committed.occurred_at === "string" ? committed.occurred_at : "",
        action: typeof committed.action === "string" ? committed.action : "",
        ...severityOf(committed),
        text,
      });
      lastSent = entry.index;
    }
    const generation = destination.generation;
    if (out.length > 0) {
      try {
        await destination.send(out);
      } catch (err) {
        this.#failed(tenantId, err);
        throw err;
      }
    }
    this.#lastSent = lastSent;
    const batch: Pending = {
      from: first.index,
      to: last.index + 1,
      lastSent,
      delivered: out.length,
      at: new Date(this.#now()).toISOString(),
      generation,
      sentMs: this.#now(),
    };
    if (destination.settleMs <= 0 && this.#pending.length === 0) {
      await this.#save(tenantId, [batch]);
      return;
    }
    this.#pending.push(batch);
    await this.#settle(tenantId);
  }

  /** Moves the cursor past every batch that has settled and schedules the next look. */
  async #settle(tenantId: number): Promise<void> {
    const { destination } = this.#deps;
    if (this.#pending.some((p) => p.generation !== destination.generation)) {
      this.#pending = [];
      this.onRewind();
      return;
    }
    const now = this.#now();
    const due = this.#pending.filter((p) => now - p.sentMs >= destination.settleMs);
    if (due.length > 0) {
      this.#pending = this.#pending.slice(due.length);
      await this.#save(tenantId, due);
    }
    clearTimeout(this.#timer);
    const next = this.#pending[0];
    if (next !== undefined && !this.#closed) {
      this.#timer = setTimeout(
        () => {
          this.#settle(tenantId).catch((err: unknown) => {
            // Another node moved the cursor, or the store failed: carry on from the cursor.
            this.#pending = [];
            this.#failed(tenantId, err);
            this.onRewind();
          });
        },
        Math.max(10, destination.settleMs - (now - next.sentMs)),
      );
      this.#timer.unref();
    }
  }

  /** One compare-and-set for `batches` (contiguous, oldest first). */
  #save(tenantId: number, batches: readonly Pending[]): Promise<void> {
    const first = batches[0];
    const last = batches[batches.length - 1];
    if (first === undefined || last === undefined) return Promise.resolve();
    const delivered = batches.reduce((n, b) => n + b.delivered, 0);
    const advance: StreamAdvance = { from: first.from, to: last.to, lastSent: last.lastSent, delivered, at: last.at };
    const run = this.#saving.then(async () => {
      await this.#deps.store.advance(tenantId, this.#id.streamId, advance);
      if (delivered > 0) this.onDelivered(delivered);
    });
    this.#saving = run.catch(() => undefined);
    return run;
  }

  #failed(tenantId: number, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    const retryAfter = (err as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof retryAfter === "number" && retryAfter > 0) this.#retryAfterMs = retryAfter;
    this.onFailed(message);
    this.#deps.store
      .recordError(tenantId, this.#id.streamId, message, new Date(this.#now()).toISOString())
      .catch(() => undefined);
  }

  /**
   * Stops looking at the clock; saves what has settled. What has not is
   * dropped here and sent again when the stream runs next.
   */
  async close(tenantId: number): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const { destination } = this.#deps;
    const now = this.#now();
    const due = this.#pending.filter(
      (p) => p.generation === destination.generation && now - p.sentMs >= destination.settleMs,
    );
    this.#pending = [];
    await this.#save(tenantId, due).catch(() => undefined);
    await this.#saving.catch(() => undefined);
  }
}
