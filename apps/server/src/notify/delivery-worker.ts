// Sends the outbox's due deliveries (docs/notifications.md): claims a batch
// in the store (one node per delivery while its claim lasts), POSTs each
// signed, and records the attempt: delivered, scheduled again with
// exponential backoff and full jitter (the SDK's backoffDelayMs, or the
// receiver's Retry-After when longer), or dead after the configured attempts
// or age. The schedule is durable, in the store: a restart loses nothing.
import { randomBytes } from "node:crypto";
import { type BackoffOptions, backoffDelayMs } from "@trailproof/client";
import type { Hasher } from "@trailproof/core";
import type { AttemptOutcome, ClaimedDelivery, NotificationStore } from "@trailproof/ledger";
import type { FastifyBaseLogger } from "fastify";
import type { NotifyMetrics } from "./notify-metrics.js";
import { renderPayload } from "./render-payload.js";
import { sendWebhook } from "./send-webhook.js";

export interface DeliveryWorkerOptions {
  /** How often due deliveries are looked for; 0 turns the worker off. */
  pollMs: number;
  timeoutMs: number;
  /** Attempts before a delivery is dead. */
  maxAttempts: number;
  /** A delivery failing this long after it was enqueued is dead. */
  maxAgeMs: number;
  backoff: BackoffOptions;
  /** Deliveries claimed per round. */
  batch?: number;
}

export interface DeliveryWorkerDeps {
  notifications: NotificationStore;
  hasher: Hasher;
  metrics: NotifyMetrics;
  log: FastifyBaseLogger;
  now?: () => number;
}

export class DeliveryWorker {
  readonly #deps: DeliveryWorkerDeps;
  readonly #options: DeliveryWorkerOptions;
  readonly #node = `node-${randomBytes(6).toString("hex")}`;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #again = false;
  #stopped = false;

  constructor(deps: DeliveryWorkerDeps, options: DeliveryWorkerOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  start(): void {
    if (this.#options.pollMs <= 0 || this.#timer !== undefined) return;
    this.#stopped = false;
    this.#timer = setInterval(() => this.kick(), this.#options.pollMs);
    this.#timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Looks for due deliveries now (after an enqueue or a redrive); never throws. */
  kick(): void {
    if (this.#options.pollMs <= 0 || this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.runOnce()
      .catch((err: unknown) => {
        this.#deps.log.error({ err }, "notification delivery round failed; retrying at the next poll");
        return 0;
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** Claims and sends every delivery due now, batch after batch; how many attempts were made. */
  async runOnce(): Promise<number> {
    const { notifications } = this.#deps;
    const now = this.#deps.now ?? Date.now;
    const batch = this.#options.batch ?? 20;
    let attempts = 0;
    for (;;) {
      const at = now();
      // The claim outlasts the send's timeout, so it never ends while this node still sends.
      const until = new Date(at + this.#options.timeoutMs + 30_000).toISOString();
      const claimed = await notifications.claimDue(new Date(at).toISOString(), until, this.#node, batch);
      if (claimed.length === 0) return attempts;
      await Promise.all(claimed.map((d) => this.#deliver(d)));
      attempts += claimed.length;
      if (claimed.length < batch || this.#stopped) return attempts;
    }
  }

  async #deliver(d: ClaimedDelivery): Promise<void> {
    const { notifications, hasher, metrics, log } = this.#deps;
    const now = this.#deps.now ?? Date.now;
    const body = JSON.stringify(renderPayload(d.payload, d.format, d.deliveryId));
    const result = await sendWebhook(
      hasher,
      { url: d.url, secret: d.secret, deliveryId: d.deliveryId, kind: d.kind, body },
      this.#options.timeoutMs,
      now,
    );
    const at = now();
    const attempt = d.attempts + 1;
    let outcome: AttemptOutcome;
    if (result.ok) {
      outcome = { status: "delivered", nextAttemptAt: new Date(at).toISOString(), lastError: null };
    } else if (attempt >= this.#options.maxAttempts || at - Date.parse(d.createdAt) >= this.#options.maxAgeMs) {
      outcome = { status: "dead", nextAttemptAt: new Date(at).toISOString(), lastError: result.error };
    } else {
      const delay = Math.max(backoffDelayMs(attempt - 1, this.#options.backoff), result.retryAfterMs ?? 0);
      outcome = { status: "pending", nextAttemptAt: new Date(at + delay).toISOString(), lastError: result.error };
    }
    const recorded = await notifications.recordAttempt(
      d,
      {
        deliveryId: d.deliveryId,
        attempt,
        at: new Date(at).toISOString(),
        httpStatus: result.httpStatus,
        error: result.error,
        durationMs: result.durationMs,
      },
      outcome,
    );
    if (!recorded) return;
    metrics.deliveries.inc({ result: outcome.status === "pending" ? "retry" : outcome.status });
    if (outcome.status === "dead") {
      log.warn(
        { delivery: d.deliveryId, channel: d.channelId, attempts: attempt, error: result.error },
        "notification delivery is dead after its last attempt; redrive it once the receiver is fixed",
      );
    }
  }
}
