// The SDK's client: record() checks an event, spools it and resolves its
// receipt once the service has sealed it; delivery batches, retries and
// settles every event exactly once (acknowledged, or handed to onError).
import {
  computePatch,
  encodeCanonicalJson,
  InvalidInputError,
  type JsonObject,
  type JsonValue,
  portableHasher,
  stateHash,
  TrailproofError,
  utf8,
  uuidv7,
} from "@trailproof/core";
import type { AmbientState } from "./ambient-context.js";
import { ambientSource } from "./ambient-context.js";
import { type ResolvedClientOptions, resolveClientOptions, type TrailproofClientOptions } from "./client-options.js";
import { DeliveryQueue, type QueuedEvent, type Settlement } from "./delivery-queue.js";
import { dropSecrets } from "./drop-secrets.js";
import { ClientError, DeliveryError } from "./errors.js";
import type { Change, EventDraft, Receipt } from "./event-draft.js";
import { EventValidator, randomBytes } from "./event-validator.js";
import { plainCopy } from "./plain-copy.js";

/** What record() returns: the receipt to come, the id now, and when the event is safely spooled. */
export interface PendingReceipt extends Promise<Receipt> {
  readonly id: string;
  /** Resolves once the spool holds the event (for FileSpool: written and fsynced). */
  readonly enqueued: Promise<void>;
}

export interface ClientStats {
  /** record() calls accepted by this client. */
  recorded: number;
  /** Events the service sealed (created) or had sealed before (duplicate). */
  acknowledged: number;
  /** Of acknowledged, those that were duplicates of an earlier send. */
  duplicates: number;
  /** Events handed to onError: rejected or refused by the service, or given up. */
  rejected: number;
  /** Requests retried. */
  retries: number;
  /** Events recorded or recovered and not yet settled. */
  pending: number;
  /** Events the spool holds (not yet released). */
  spooled: number;
  /** Events a previous process left in the spool, re-sent by this one. */
  recovered: number;
}

export type ChangeInput = Omit<EventDraft, "change"> & { before?: JsonValue; after?: JsonValue };

export type DecisionInput = EventDraft & {
  /** The id of the earlier decision this one overrides or rescinds. */
  overrides: string;
  rationale: string;
  /** The rules or branches that led here, outermost first. */
  decisionPath?: string[];
};

export interface FlushOptions {
  /** Give up waiting after this long: CLIENT_FLUSH_TIMEOUT (events stay queued). */
  timeoutMs?: number;
}

interface Handlers {
  resolve?: (receipt: Receipt) => void;
  reject?: (error: Error) => void;
  done: () => void;
}

const noop = () => undefined;

/** `state` in RFC 8785 key order (so the patch depends on content only); EVENT_INVALID when it is not JSON. */
function canonicalState(state: unknown, side: "before" | "after"): JsonValue {
  try {
    return JSON.parse(encodeCanonicalJson(plainCopy(state))) as JsonValue;
  } catch (err) {
    if (!(err instanceof TrailproofError)) throw err;
    const problems = (err.problems.length > 0 ? err.problems : [{ pointer: "", message: err.message }]).map((p) => ({
      pointer: `/change/${side}${p.pointer}`,
      message: p.message,
    }));
    throw new InvalidInputError("EVENT_INVALID", `change.${side} is not plain JSON`, { problems });
  }
}

export class TrailproofClient {
  readonly #o: ResolvedClientOptions;
  readonly #validator: EventValidator;
  readonly #queue: DeliveryQueue;
  readonly #handlers = new Map<QueuedEvent, Handlers>();
  readonly #unsettled = new Set<Promise<void>>();
  readonly #reported = new WeakSet<Error>();
  readonly #stats = { recorded: 0, acknowledged: 0, duplicates: 0, rejected: 0, retries: 0, recovered: 0 };
  #toRelease: string[] = [];
  #flushing = 0;
  #closing: Promise<void> | undefined;

  constructor(options: TrailproofClientOptions) {
    this.#o = resolveClientOptions(options);
    this.#validator = new EventValidator(this.#o.registry, this.#o.unknownActions);
    this.#queue = new DeliveryQueue({
      target: {
        url: this.#o.url,
        apiKey: this.#o.apiKey,
        fetch: this.#o.fetch,
        requestTimeoutMs: this.#o.requestTimeoutMs,
      },
      batchSize: this.#o.batchSize,
      maxBatchBytes: this.#o.maxBatchBytes,
      flushIntervalMs: this.#o.flushIntervalMs,
      maxRetries: this.#o.maxRetries,
      backoff: this.#o.backoff,
      random: this.#o.random,
      settle: (event, outcome) => this.#settle(event, outcome),
      retried: (reason, attempt, delayMs) => {
        this.#stats.retries++;
        this.#o.onRetry(reason, attempt, delayMs);
      },
      failed: (error) => this.#report(error),
    });
    const recovered = this.#o.spool.recovered().map((e) => this.#track(e.id, e.json, { done: noop }));
    this.#stats.recovered = recovered.length;
    this.#queue.pushFront(recovered);
  }

  /**
   * Checks `draft` and spools it. Throws synchronously EVENT_INVALID (every
   * problem listed), SPOOL_FULL (spool full and whenFull "throw"),
   * CLIENT_CLOSED, or DELIVERY_UNAUTHORISED once the service refused the key; nothing
   * is spooled then. The returned promise resolves with
   * the receipt once the service sealed the event, or rejects with the
   * DeliveryError also handed to onError; left unawaited it never causes an
   * unhandled rejection.
   */
  record(draft: EventDraft): PendingReceipt {
    if (this.#closing) throw new ClientError("CLIENT_CLOSED", "the client is closed; create a new one to record");
    if (this.#queue.refusal) throw this.#queue.refusal;
    const ambient = (this.#o.ambient ?? ambientSource())?.current();
    const event = this.#complete(draft, ambient);
    this.#validator.check(event);
    const id = event.id as string;
    const json = JSON.stringify(event);
    const appended = this.#o.spool.append({ id, json });
    ambient?.run?.noteRecorded(id);
    this.#stats.recorded++;

    let handlers: Handlers = { done: noop };
    const receipt = new Promise<Receipt>((resolve, reject) => {
      handlers = { resolve, reject, done: noop };
    });
    const queued = this.#track(id, json, handlers);
    const enqueued = appended.then(
      () => {
        queued.queuedAtMs = Date.now();
        this.#queue.push(queued);
        // Deferred a turn so events spooled together during a flush still go in one batch.
        if (this.#flushing > 0) queueMicrotask(() => this.#queue.hurry());
      },
      (cause: unknown) => {
        const error = new DeliveryError("DELIVERY_NOT_SPOOLED", `event ${id} could not be spooled`, {
          events: [{ id, json }],
          cause,
        });
        this.#settle(queued, { kind: "rejected", error }, false);
        throw error;
      },
    );
    enqueued.catch(noop);
    receipt.catch(noop);
    return Object.assign(receipt, { id, enqueued }) as PendingReceipt;
  }

  /**
   * Records a change of state: the RFC 6902 patch and both state hashes are
   * computed here, after the action's secret fields were dropped, so neither
   * the secrets nor anything derived from them leaves the process.
   */
  recordChange(input: ChangeInput): PendingReceipt {
    const { before, after, ...rest } = input;
    const privacy = this.#validator.privacyOf(input.action, input.action_version);
    const change: JsonObject = {};
    if (before !== undefined) change.before = canonicalState(before, "before");
    if (after !== undefined) change.after = canonicalState(after, "after");
    dropSecrets({ change }, privacy?.state === undefined ? undefined : { state: privacy.state });
    const out = change as Change;
    out.patch = computePatch(out.before, out.after);
    if (out.before !== undefined) out.before_hash = stateHash(portableHasher, out.before);
    if (out.after !== undefined) out.after_hash = stateHash(portableHasher, out.after);
    return this.record({ ...rest, change: out });
  }

  /** Records an automation's decision that overrides or rescinds an earlier one, with its rationale and path. */
  recordDecision(input: DecisionInput): PendingReceipt {
    const { overrides, rationale, decisionPath, ...rest } = input;
    const automation = { ...rest.automation, overrides, rationale };
    return this.record({
      ...rest,
      automation: decisionPath ? { ...automation, decision_path: decisionPath } : automation,
    });
  }

  /**
   * Resolves once every event recorded (or recovered) so far is acknowledged or
   * handed to onError. While the service cannot be reached it keeps waiting
   * (delivery retries); with timeoutMs it then throws CLIENT_FLUSH_TIMEOUT whose
   * `cause` is the outage's DELIVERY_CONNECTION_FAILED error.
   */
  async flush(options: FlushOptions = {}): Promise<void> {
    const waiting = Promise.all([...this.#unsettled]);
    this.#flushing++;
    this.#queue.hurry();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (options.timeoutMs === undefined) return void (await waiting);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const outage = this.#queue.outage;
          const message = `${this.#unsettled.size} event(s) still pending${outage ? `; ${outage.message}` : ""}`;
          reject(new ClientError("CLIENT_FLUSH_TIMEOUT", message, outage ? { cause: outage } : undefined));
        }, options.timeoutMs);
      });
      await Promise.race([waiting, timeout]);
    } finally {
      clearTimeout(timer);
      this.#flushing--;
    }
  }

  /**
   * Stops taking events, flushes (at most timeoutMs when given), stops timers
   * and closes the spool. Events still unsettled then stay in a durable spool
   * for the next client on it; from a memory spool they go to onError as
   * DELIVERY_ABANDONED.
   */
  close(options: FlushOptions = {}): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.flush(options);
      } catch (err) {
        if (!(err instanceof ClientError && err.code === "CLIENT_FLUSH_TIMEOUT")) throw err;
      }
      const left = this.#queue.stop();
      if (left.length > 0) {
        const durable = this.#o.spool.durable;
        const error = durable
          ? new ClientError("CLIENT_CLOSED", "closed before the service acknowledged; the event stays spooled")
          : new DeliveryError("DELIVERY_ABANDONED", `closed with ${left.length} event(s) unacknowledged`, {
              events: left.map(({ id, json }) => ({ id, json })),
            });
        for (const event of left) {
          const h = this.#handlers.get(event);
          this.#handlers.delete(event);
          h?.reject?.(error);
          h?.done();
        }
        if (error instanceof DeliveryError) this.#report(error);
      }
      this.#releaseNow();
      await this.#o.spool.close();
    })();
    return this.#closing;
  }

  stats(): ClientStats {
    return { ...this.#stats, pending: this.#unsettled.size, spooled: this.#o.spool.size().events };
  }

  /** id, occurred_at, context, actor and automation filled from the clock and the ambient context. */
  #complete(draft: EventDraft, ambient: AmbientState | undefined): JsonObject {
    const event = plainCopy(draft) as JsonObject;
    if (typeof event !== "object" || event === null || Array.isArray(event)) return event;
    const now = this.#o.now();
    event.id ??= uuidv7(randomBytes, now);
    event.occurred_at ??= new Date(now).toISOString();
    const context = { ...this.#o.defaultContext, ...ambient?.context, ...(event.context as JsonObject | undefined) };
    if (Object.keys(context).length > 0) event.context = context;
    const run = ambient?.run;
    const actor = run?.actor ?? ambient?.actor;
    if (event.actor === undefined && actor !== undefined) event.actor = { ...actor };
    if (run !== undefined) {
      event.automation = { ...run.automationFor(String(event.id)), ...(event.automation as JsonObject | undefined) };
    }
    return event;
  }

  #track(id: string, json: string, handlers: Handlers): QueuedEvent {
    const queued: QueuedEvent = { id, json, queuedAtMs: Date.now(), bytes: utf8(json).length };
    const settled = new Promise<void>((resolve) => {
      handlers.done = () => {
        this.#unsettled.delete(settled);
        resolve();
      };
    });
    this.#unsettled.add(settled);
    this.#handlers.set(queued, handlers);
    return queued;
  }

  #settle(event: QueuedEvent, outcome: Settlement, spooled = true): void {
    const h = this.#handlers.get(event);
    if (h === undefined) return;
    this.#handlers.delete(event);
    if (outcome.kind === "acknowledged") {
      this.#stats.acknowledged++;
      if (outcome.receipt.status === "duplicate") this.#stats.duplicates++;
      h.resolve?.(outcome.receipt);
    } else {
      this.#stats.rejected++;
      h.reject?.(outcome.error);
      this.#report(outcome.error);
    }
    // A refused key leaves a durable spool's events for a client with a valid key; they were never in the log.
    const keep = outcome.kind === "rejected" && outcome.error.code === "DELIVERY_UNAUTHORISED" && this.#o.spool.durable;
    if (spooled && !keep) this.#release(event.id);
    h.done();
  }

  #report(error: DeliveryError): void {
    if (this.#reported.has(error)) return;
    this.#reported.add(error);
    try {
      this.#o.onError(error);
    } catch {
      // onError is the platform's code; its failure must not stop delivery.
    }
  }

  /** Releases are gathered and handed to the spool once per turn of the event loop. */
  #release(id: string): void {
    this.#toRelease.push(id);
    if (this.#toRelease.length === 1) queueMicrotask(() => this.#releaseNow());
  }

  #releaseNow(): void {
    if (this.#toRelease.length === 0) return;
    const ids = this.#toRelease;
    this.#toRelease = [];
    // A failed release only means these events are sent again after a restart, as duplicates.
    this.#o.spool.release(ids).catch(noop);
  }
}
