// Operator alerts (docs/notifications.md): the integrity job's failures
// (a failed self-check) and missed checkpoint publications (the publisher's
// error, or entries waiting for a signature longer than twice the checkpoint
// interval) go, signed, through the outbox to every enabled operator channel,
// and are counted in /metrics and logged. Each alert has a key, so the same
// condition seen again (or by another node) is enqueued once.
import { createHash } from "node:crypto";
import type { Ledger, NotificationStore } from "@trailproof/ledger";
import type { FastifyBaseLogger } from "fastify";
import type { SelfCheckResult } from "../verify/self-check.js";
import type { NotifyMetrics } from "./notify-metrics.js";

export type OperatorAlertKind = "self_check_failed" | "checkpoint_missed" | "publisher_error";

export interface OperatorAlertDeps {
  ledger: Ledger;
  notifications: NotificationStore;
  metrics: NotifyMetrics;
  log: FastifyBaseLogger;
  /** Wakes the delivery worker. */
  kick(): void;
  now?: () => number;
}

export class OperatorAlerts {
  readonly #deps: OperatorAlertDeps;
  readonly #checkpointIntervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** Keys this node raised (bounded): a condition that persists is logged and counted once, not each check. */
  readonly #seen = new Set<string>();

  constructor(deps: OperatorAlertDeps, checkpointIntervalMs: number) {
    this.#deps = deps;
    this.#checkpointIntervalMs = checkpointIntervalMs;
  }

  /** Raises an alert once per key; true when it was new. */
  async raise(
    kind: OperatorAlertKind,
    key: string,
    tenant: string | null,
    message: string,
    details: Record<string, string | number | string[]>,
  ): Promise<boolean> {
    const { notifications, metrics, log } = this.#deps;
    const seenKey = `${kind}:${key}`;
    if (this.#seen.has(seenKey)) return false;
    const now = new Date((this.#deps.now ?? Date.now)()).toISOString();
    const channels = (await notifications.listChannels(null)).filter((c) => c.enabled).map((c) => c.channelId);
    const added = await notifications.enqueue(
      null,
      [
        {
          key: `operator:${kind}:${key}`,
          kind: "operator.alert",
          sourceEventId: null,
          sourceIndex: null,
          payload: { type: "operator.alert", alert_kind: kind, tenant, message, raised_at: now, details },
          channelIds: channels,
        },
      ],
      now,
    );
    if (this.#seen.size >= 10_000) this.#seen.clear();
    this.#seen.add(seenKey);
    // Counted and logged on the node that saw it first; a repeat of the same key is neither.
    if (added > 0 || channels.length === 0) {
      metrics.operatorAlerts.inc({ kind });
      log.error({ operator_alert: kind, tenant, details }, `operator alert: ${message}`);
    }
    if (added > 0) this.#deps.kick();
    return added > 0;
  }

  /** The self-check schedule's failure hook. */
  selfCheckFailed(result: SelfCheckResult, slot: number): Promise<boolean> {
    return this.raise(
      "self_check_failed",
      `${result.tenant}:${slot}`,
      result.tenant,
      `the self-check of tenant ${result.tenant} failed: its log does not match its signed checkpoint; run trailproof verify`,
      { checkpoint_size: result.checkpointSize, failures: result.failures.slice(0, 20) },
    );
  }

  /** Looks for missed publications every checkpoint interval (at least every 5 seconds). */
  start(): void {
    if (this.#checkpointIntervalMs <= 0) return;
    this.#timer = setInterval(
      () => {
        this.#running ??= this.checkPublication()
          .catch((err: unknown) => this.#deps.log.error({ err }, "checking checkpoint publication failed"))
          .finally(() => {
            this.#running = undefined;
          });
      },
      Math.max(5000, this.#checkpointIntervalMs),
    );
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Raises checkpoint_missed and publisher_error alerts for what it finds now. */
  async checkPublication(): Promise<void> {
    const { ledger } = this.#deps;
    const now = (this.#deps.now ?? Date.now)();
    const error = ledger.publisherError;
    if (error !== undefined) {
      const hour = Math.floor(now / 3_600_000);
      const digest = createHash("sha256").update(error.message).digest("hex").slice(0, 16);
      await this.raise("publisher_error", `${digest}:${hour}`, null, "the checkpoint publisher is failing", {
        error: error.message.slice(0, 500),
      });
    }
    for (const s of await ledger.logStatus()) {
      if (s.treeSize <= s.checkpointSize || s.oldestUnsignedAt === null) continue;
      const waitedMs = now - Date.parse(s.oldestUnsignedAt);
      if (waitedMs <= 2 * this.#checkpointIntervalMs) continue;
      await this.raise(
        "checkpoint_missed",
        `${s.tenant}:${s.checkpointSize}`,
        s.tenant,
        `tenant ${s.tenant}'s log grew but no checkpoint was published for ${Math.round(waitedMs / 1000)} s (more than twice the checkpoint interval)`,
        { checkpoint_size: s.checkpointSize, tree_size: s.treeSize, oldest_unsigned_at: s.oldestUnsignedAt },
      );
    }
  }
}
