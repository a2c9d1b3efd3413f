// What every simulated activity shares: the SDK client, the seeded random,
// deterministic event ids, the rate limit, and the workspace's current state
// (so each change's before is the previous change's after). The first event
// waits for the service's answer, so a wrong URL or key stops the simulation
// before the rest is sent.
import type { ChangeInput, DecisionInput, EventDraft, PendingReceipt, TrailproofClient } from "@trailproof/client";
import type { JsonObject } from "@trailproof/core";
import type { RateLimiter } from "./rate-limiter.js";
import type { SeededRandom } from "./seeded-random.js";

export class SimContext {
  readonly client: TrailproofClient;
  readonly rnd: SeededRandom;
  readonly #limiter: RateLimiter;
  readonly #idPrefix: string;
  readonly #signal: AbortSignal | undefined;
  #next = 0;
  #answered = false;
  /** Events sent, by action. */
  readonly counts = new Map<string, number>();
  /** Current state of pages, records, workflows: the `before` of their next change. */
  readonly states = new Map<string, JsonObject>();
  /** Ids worth reporting (the override, the suspicious sequence). */
  readonly marks: Record<string, string> = {};

  constructor(
    client: TrailproofClient,
    rnd: SeededRandom,
    limiter: RateLimiter,
    idPrefix: string,
    signal?: AbortSignal,
  ) {
    this.client = client;
    this.rnd = rnd;
    this.#limiter = limiter;
    this.#idPrefix = idPrefix;
    this.#signal = signal;
  }

  /** A deterministic id for the next event or run. */
  nextId(kind = "evt"): string {
    return `${this.#idPrefix}-${kind}-${this.#next++}`;
  }

  get total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  emit(draft: EventDraft, atMs: number): Promise<string> {
    return this.#send(draft.action, atMs, (id, at) => this.client.record({ ...draft, id, occurred_at: at }));
  }

  /** A change of the entity `key`: before is its current state, and `after` becomes it. */
  emitChange(key: string, input: Omit<ChangeInput, "before">, atMs: number): Promise<string> {
    const before = this.states.get(key);
    if (input.after !== undefined) this.states.set(key, input.after as JsonObject);
    const change = before === undefined ? input : { ...input, before };
    return this.#send(input.action, atMs, (id, at) => this.client.recordChange({ ...change, id, occurred_at: at }));
  }

  emitDecision(input: DecisionInput, atMs: number): Promise<string> {
    return this.#send(input.action, atMs, (id, at) => this.client.recordDecision({ ...input, id, occurred_at: at }));
  }

  async #send(action: string, atMs: number, record: (id: string, at: string) => PendingReceipt): Promise<string> {
    this.#signal?.throwIfAborted();
    await this.#limiter.take();
    this.#signal?.throwIfAborted();
    const pending = record(this.nextId(), new Date(atMs).toISOString());
    this.counts.set(action, (this.counts.get(action) ?? 0) + 1);
    // Backpressure: a full spool in "block" mode slows the simulation instead of piling up.
    await pending.enqueued;
    if (!this.#answered) {
      // Whatever the answer, it is known now: a refused key makes the next record() throw
      // DELIVERY_UNAUTHORISED, and the caller's onError aborts `signal` when the service is unreachable.
      await untilAborted(
        pending.then(
          () => undefined,
          () => undefined,
        ),
        this.#signal,
      );
      this.#answered = true;
    }
    return pending.id;
  }
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return promise;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    const done = () => signal.removeEventListener("abort", onAbort);
    void promise.then(
      () => {
        done();
        resolve();
      },
      (err: unknown) => {
        done();
        reject(err);
      },
    );
  });
}
