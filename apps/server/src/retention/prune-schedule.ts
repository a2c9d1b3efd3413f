// Prunes every tenant each interval (TRAILPROOF_PRUNE_INTERVAL_MS), one
// bounded batch per tenant, on one node at a time (a shared claim per tenant
// and interval), as the self-check schedule does. Unfinished prunes (a
// crash between the retention.prune event and the pruning) are completed by
// each run first, so the first run after a start completes them.
import type { Ledger, PruneRunResult, Pruner, SharedState } from "@trailproof/ledger";
import type { FastifyBaseLogger } from "fastify";

export interface PruneScheduleDeps {
  ledger: Ledger;
  pruner: Pruner;
  shared: SharedState;
  log: FastifyBaseLogger;
  now: () => number;
  searchCovers?: (tenantId: number, size: number) => Promise<boolean>;
}

export class PruneSchedule {
  readonly #deps: PruneScheduleDeps;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<PruneRunResult[]> | undefined;

  constructor(deps: PruneScheduleDeps, intervalMs: number) {
    this.#deps = deps;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    if (this.#intervalMs <= 0) return;
    // A first run soon after start completes prunes a crash left unfinished.
    const first = setTimeout(() => void this.runOnce(), 1000);
    first.unref();
    this.#timer = setInterval(() => void this.runOnce(), this.#intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Prunes every tenant this node gets the claim for; never rejects (failures are logged). */
  runOnce(): Promise<PruneRunResult[]> {
    this.#running ??= this.#runAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #runAll(): Promise<PruneRunResult[]> {
    const { ledger, pruner, shared, log, now, searchCovers } = this.#deps;
    const results: PruneRunResult[] = [];
    try {
      for (const tenant of await ledger.listTenants()) {
        const slot = Math.floor(Date.now() / Math.max(1, this.#intervalMs));
        if (!(await shared.claim(`prune:${tenant.name}:${slot}`, "1", Math.max(1000, this.#intervalMs)))) continue;
        try {
          results.push(await pruner.run(tenant.name, { nowMs: now(), ...(searchCovers ? { searchCovers } : {}) }));
        } catch (err) {
          log.error({ tenant: tenant.name, err }, "retention prune could not run");
        }
      }
    } catch (err) {
      log.error({ err }, "retention prune schedule could not list tenants");
    }
    return results;
  }
}
