// Runs the self-check (self-check.ts) for every tenant each interval, on one
// node at a time (a shared claim per tenant and interval), starting where
// the tenant's last `integrity.check` event ended. A failure is an error in
// the service's log and in /metrics, besides the critical event itself, and
// an operator alert (notify/operator-alerts.ts) through onFailure.
import type { AuditQuery, Ledger, SharedState } from "@trailproof/ledger";
import type { FastifyBaseLogger } from "fastify";
import type { ServiceMetrics } from "../http/metrics.js";
import { checkPointOf, recordSelfCheck, type SelfCheckResult, selfCheckTenant } from "./self-check.js";

export interface SelfCheckDeps {
  ledger: Ledger;
  query: AuditQuery;
  shared: SharedState;
  metrics: ServiceMetrics;
  log: FastifyBaseLogger;
  /** Told of each failed check, with the interval's slot (the alert's key); its own failure is logged. */
  onFailure?: (result: SelfCheckResult, slot: number) => Promise<unknown>;
}

export class SelfCheckSchedule {
  readonly #deps: SelfCheckDeps;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SelfCheckResult[]> | undefined;

  constructor(deps: SelfCheckDeps, intervalMs: number) {
    this.#deps = deps;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    if (this.#intervalMs <= 0) return;
    this.#timer = setInterval(() => {
      void this.runOnce();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Checks every tenant this node gets the claim for; what each check found. */
  runOnce(): Promise<SelfCheckResult[]> {
    this.#running ??= this.#runAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #runAll(): Promise<SelfCheckResult[]> {
    const { ledger, query, shared, metrics, log, onFailure } = this.#deps;
    const results: SelfCheckResult[] = [];
    for (const tenant of await ledger.listTenants()) {
      // One node per tenant and interval: the claim names the interval's slot of the clock.
      const slot = Math.floor(Date.now() / Math.max(1, this.#intervalMs));
      if (!(await shared.claim(`self-check:${tenant.name}:${slot}`, "1", Math.max(1000, this.#intervalMs)))) continue;
      try {
        const [last] = (await query.search(tenant.tenantId, { action: "integrity.check" }, { limit: 1, order: "desc" }))
          .entries;
        // The search answers the entry's own leaf (checked against it): no second read.
        const from = last === undefined ? undefined : checkPointOf(last.leafData);
        const result = await selfCheckTenant(ledger, tenant.name, from);
        await recordSelfCheck(ledger, result, this.#intervalMs);
        const outcome = result.ok ? "ok" : "failed";
        metrics.selfChecks.inc({ tenant: tenant.name, result: outcome });
        metrics.selfCheckLast.remove({ tenant: tenant.name, result: result.ok ? "failed" : "ok" });
        metrics.selfCheckLast.set({ tenant: tenant.name, result: outcome }, Date.now() / 1000);
        if (!result.ok) {
          log.error(
            { tenant: tenant.name, failures: result.failures },
            "self-check failed: the log does not match its signed checkpoint; run trailproof verify (docs/runbooks/operations.md)",
          );
          await onFailure?.(result, slot).catch((err: unknown) =>
            log.error({ tenant: tenant.name, err }, "could not raise the operator alert of a failed self-check"),
          );
        }
        results.push(result);
      } catch (err) {
        metrics.selfChecks.inc({ tenant: tenant.name, result: "failed" });
        log.error({ tenant: tenant.name, err }, "self-check could not run");
      }
    }
    return results;
  }
}
