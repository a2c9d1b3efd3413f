// Sending what the spool holds: batches by count, bytes and age, one request
// in flight at a time (so the log keeps record order), retries with backoff
// and Retry-After, halving a batch the service finds too large. Every event
// handed to push() is settled exactly once, unless stop() is called first.
// A refused key (401/403) ends sending for good; an unreachable service is
// reported once per outage and retried.
import { type BackoffOptions, backoffDelayMs } from "./backoff.js";
import { DeliveryError, type UndeliveredEvent } from "./errors.js";
import type { Receipt } from "./event-draft.js";
import { type PostTarget, postEvents } from "./post-events.js";
import type { SpooledEvent } from "./spool.js";

export type Settlement = { kind: "acknowledged"; receipt: Receipt } | { kind: "rejected"; error: DeliveryError };

export interface QueuedEvent extends SpooledEvent {
  /** When it became sendable (after its spool append), for flushIntervalMs. */
  queuedAtMs: number;
  /** UTF-8 length of `json`. */
  bytes: number;
}

export interface DeliveryOptions {
  target: PostTarget;
  batchSize: number;
  maxBatchBytes: number;
  flushIntervalMs: number;
  /** Retries of one batch before it is given up (Infinity: never). */
  maxRetries: number;
  backoff: BackoffOptions;
  random: () => number;
  settle(event: QueuedEvent, outcome: Settlement): void;
  retried(reason: string, attempt: number, delayMs: number): void;
  /** A failure that settles nothing but the platform must see: DELIVERY_CONNECTION_FAILED, once per outage. */
  failed(error: DeliveryError): void;
}

function undelivered(events: readonly QueuedEvent[]): UndeliveredEvent[] {
  return events.map(({ id, json }) => ({ id, json }));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export class DeliveryQueue {
  readonly #options: DeliveryOptions;
  readonly #abort = new AbortController();
  #queue: QueuedEvent[] = [];
  #inFlight: QueuedEvent[] = [];
  #sending = false;
  #hurry = false;
  #stopped = false;
  /** Set by a 401/403: the key never heals, so nothing more is sent. */
  #refusal: DeliveryError | undefined;
  /** The current outage's DELIVERY_CONNECTION_FAILED, until the service answers again. */
  #outage: DeliveryError | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: DeliveryOptions) {
    this.#options = options;
  }

  /** The DELIVERY_UNAUTHORISED error that ended sending, if the key was refused. */
  get refusal(): DeliveryError | undefined {
    return this.#refusal;
  }

  /** The DELIVERY_CONNECTION_FAILED error of the outage in progress, if the service cannot be reached now. */
  get outage(): DeliveryError | undefined {
    return this.#outage;
  }

  push(event: QueuedEvent): void {
    if (this.#stopped) return;
    if (this.#refusal) {
      this.#refuse([event], this.#refusal);
      return;
    }
    this.#queue.push(event);
    this.#pump();
  }

  /** Puts recovered events ahead of everything queued, in their order. */
  pushFront(events: readonly QueuedEvent[]): void {
    if (this.#stopped || events.length === 0) return;
    if (this.#refusal) {
      this.#refuse(events, this.#refusal);
      return;
    }
    this.#queue = [...events, ...this.#queue];
    this.#pump();
  }

  /** Sends what is queued now without waiting for full batches or flushIntervalMs. */
  hurry(): void {
    this.#hurry = true;
    this.#pump();
  }

  /** Stops sending and aborts the request and any backoff in progress; returns the events left unsettled. */
  stop(): QueuedEvent[] {
    this.#stopped = true;
    this.#clearTimer();
    this.#abort.abort(new DeliveryError("DELIVERY_STOPPED", "the client stopped sending", { events: [] }));
    const left = [...this.#inFlight, ...this.#queue];
    this.#queue = [];
    this.#inFlight = [];
    return left;
  }

  #pump(): void {
    if (this.#sending || this.#stopped) return;
    const head = this.#queue[0];
    if (head === undefined) {
      this.#clearTimer();
      this.#hurry = false;
      return;
    }
    const { batchSize, flushIntervalMs } = this.#options;
    const dueAt = head.queuedAtMs + flushIntervalMs;
    const now = Date.now();
    if (!this.#hurry && this.#queue.length < batchSize && now < dueAt) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.#pump();
      }, dueAt - now);
      return;
    }
    this.#clearTimer();
    const batch = this.#takeBatch();
    this.#sending = true;
    this.#inFlight = batch;
    this.#deliver(batch)
      .catch(() => {
        // Only stop() makes deliver() throw (an abort); stop() hands the batch back.
      })
      .finally(() => {
        this.#sending = false;
        this.#inFlight = [];
        this.#pump();
      });
  }

  #takeBatch(): QueuedEvent[] {
    const { batchSize, maxBatchBytes } = this.#options;
    let bytes = 0;
    let n = 0;
    while (n < this.#queue.length && n < batchSize) {
      const next = (this.#queue[n] as QueuedEvent).bytes + 1;
      if (n > 0 && bytes + next > maxBatchBytes) break;
      bytes += next;
      n++;
    }
    return this.#queue.splice(0, n);
  }

  async #deliver(batch: QueuedEvent[]): Promise<void> {
    const o = this.#options;
    for (let attempt = 0; ; attempt++) {
      const outcome = await postEvents(o.target, batch, this.#abort.signal);
      if (outcome.kind !== "unreachable") this.#outage = undefined;
      if (outcome.kind === "unauthorised") {
        const code = outcome.problem?.code ?? "no problem details";
        const refusal = new DeliveryError(
          "DELIVERY_UNAUTHORISED",
          `the service refused the key with HTTP ${outcome.status} (${code}); nothing more is sent`,
          {
            events: [],
            status: outcome.status,
            url: o.target.url,
            ...(outcome.problem ? { problem: outcome.problem } : {}),
          },
        );
        this.#refusal = refusal;
        // Everything waiting behind this batch would meet the same answer: settle it now, unsent.
        const rest = this.#queue;
        this.#queue = [];
        this.#refuse([...batch, ...rest], refusal);
        return;
      }
      if (outcome.kind === "results") {
        outcome.results.forEach((r, i) => {
          const event = batch[i] as QueuedEvent;
          if (r.status === "rejected") {
            const error = new DeliveryError("DELIVERY_REJECTED", `the service rejected event ${event.id}`, {
              events: undelivered([event]),
              problems: r.errors ?? [],
            });
            o.settle(event, { kind: "rejected", error });
          } else {
            const receipt: Receipt = {
              id: event.id,
              status: r.status,
              index: r.index as number,
              leafHash: r.leaf_hash as string,
              receivedAt: r.received_at as string,
            };
            o.settle(event, { kind: "acknowledged", receipt });
          }
        });
        return;
      }
      if (outcome.kind === "too_large" && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await this.#deliver(batch.slice(0, half));
        await this.#deliver(batch.slice(half));
        return;
      }
      if (outcome.kind === "too_large" || outcome.kind === "refused") {
        const code = outcome.problem?.code ?? "no problem details";
        const error = new DeliveryError(
          "DELIVERY_REJECTED",
          `the service refused ${batch.length} event(s) with HTTP ${outcome.status} (${code})`,
          {
            events: undelivered(batch),
            status: outcome.status,
            ...(outcome.problem ? { problem: outcome.problem } : {}),
          },
        );
        for (const event of batch) o.settle(event, { kind: "rejected", error });
        return;
      }
      if (outcome.kind === "unreachable" && this.#outage === undefined) {
        this.#outage = new DeliveryError(
          "DELIVERY_CONNECTION_FAILED",
          `cannot connect to ${o.target.url}: ${outcome.reason}`,
          {
            events: [],
            url: o.target.url,
          },
        );
        o.failed(this.#outage);
      }
      if (attempt >= o.maxRetries) {
        const error = new DeliveryError(
          "DELIVERY_GAVE_UP",
          `gave up on ${batch.length} event(s) after ${attempt} retries; last: ${outcome.reason}`,
          { events: undelivered(batch), ...(outcome.status === undefined ? {} : { status: outcome.status }) },
        );
        for (const event of batch) o.settle(event, { kind: "rejected", error });
        return;
      }
      // A Retry-After of 0 would make a hot loop of a struggling service: backoff then.
      const delayMs = outcome.retryAfterMs || backoffDelayMs(attempt, o.backoff, o.random);
      o.retried(outcome.reason, attempt + 1, delayMs);
      await sleep(delayMs, this.#abort.signal);
    }
  }

  /** Settles `events` with one DELIVERY_UNAUTHORISED error that carries them all (onError hears of it once). */
  #refuse(events: readonly QueuedEvent[], refusal: DeliveryError): void {
    const error = new DeliveryError(refusal.code, refusal.message, {
      events: undelivered(events),
      ...(refusal.status === undefined ? {} : { status: refusal.status }),
      ...(refusal.url === undefined ? {} : { url: refusal.url }),
      ...(refusal.problem ? { problem: refusal.problem } : {}),
    });
    for (const event of events) this.#options.settle(event, { kind: "rejected", error });
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
