// The checkpoint publisher: signs each tenant's tree head as a C2SP
// tlog-checkpoint on a time trigger (at most intervalMs after new entries)
// and a size trigger (everyEntries unsigned), through one serialised publish
// path, so two signatures never race for the same tenant. Reads never sign:
// a tenant's first checkpoint (the empty tree) is signed when it is created.
// Where several nodes share a store, only the holder of the publisher lease
// signs on the triggers, for every tenant, at the size the store holds.
import { signCheckpoint } from "@trailproof/core";
import type { SigningKeyStore } from "../keys/signing-keys.js";
import type { LeaseStore } from "../store/lease-store.js";
import type { CheckpointRow, LogStore } from "../store/log-store.js";
import type { TenantLog } from "../tenant-log.js";
import type { PublishedCheckpointRecord } from "./published-record.js";

export interface CheckpointPublisherOptions {
  /** Sign at most this long after new entries (the time trigger); 0 disables the timer. */
  intervalMs: number;
  /** Also sign as soon as this many entries are unsigned (the size trigger). */
  everyEntries: number;
  now: () => number;
  /** Where each tenant's latest checkpoint is recorded outside the database (rollback detection). */
  published?: PublishedCheckpointRecord;
  /** Decides which node signs on the triggers; the embedded store's single process always does. */
  leases: LeaseStore;
  /** This node's name in the lease. */
  holder: string;
  /** Brings a tenant's log up to the store (other nodes' appends) before it is signed. */
  resync: (log: TenantLog) => Promise<unknown>;
  /** Told each time the lease holder's trigger ran (followers catch up with other nodes' commits). */
  onLeaderTick?: () => void;
}

/** The lease that elects the signing node. */
export const PUBLISHER_LEASE = "checkpoint-publisher";

export class CheckpointPublisher {
  readonly #store: LogStore;
  readonly #keys: SigningKeyStore;
  readonly #options: CheckpointPublisherOptions;
  readonly #logs: () => Promise<TenantLog[]>;
  #timer: NodeJS.Timeout | undefined;
  /** A trigger is running (taking the lease, signing): the next tick skips rather than queues. */
  #ticking = false;
  /** The single publish path: every signature is chained here. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Last failure of a triggered publish, for readiness; cleared by the next success. */
  error: Error | undefined;

  /** `logs` lists the tenant logs to sign: every tenant's, where nodes share a store. */
  constructor(
    store: LogStore,
    keys: SigningKeyStore,
    logs: () => Promise<TenantLog[]>,
    options: CheckpointPublisherOptions,
  ) {
    this.#store = store;
    this.#keys = keys;
    this.#logs = logs;
    this.#options = options;
  }

  start(): void {
    if (this.#options.intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => this.#trigger(), this.#options.intervalMs);
    this.#timer.unref();
  }

  /** The lease's term: a dead holder is replaced within this long. */
  get leaseTtlMs(): number {
    return Math.max(5_000, 3 * this.#options.intervalMs);
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Gives the lease up (a clean shutdown), so another node signs at once. */
  release(): Promise<void> {
    return this.#options.leases.release(PUBLISHER_LEASE, this.#options.holder);
  }

  /** The size trigger, checked after each commit of `log`. */
  committed(log: TenantLog): void {
    if (Number(log.range.size) - log.lastCheckpointSize >= this.#options.everyEntries) this.#trigger();
  }

  /** Signs the tree head of `log` now (a no-op when that size is signed already). */
  publish(log: TenantLog): Promise<CheckpointRow> {
    const run = this.#queue.then(() => this.#sign(log));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Signs a checkpoint for every loaded tenant with unsigned entries. */
  publishAll(): Promise<void> {
    const run = this.#queue.then(async () => {
      for (const log of await this.#logs()) {
        await this.#options.resync(log);
        if (Number(log.range.size) > log.lastCheckpointSize) await this.#sign(log);
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #trigger(): void {
    if (this.#ticking) return;
    this.#ticking = true;
    this.#options.leases
      .acquire(PUBLISHER_LEASE, this.#options.holder, this.leaseTtlMs)
      .then(async (leader) => {
        if (!leader) return;
        this.#options.onLeaderTick?.();
        await this.publishAll();
      })
      .then(
        () => {
          this.error = undefined;
        },
        (err: unknown) => {
          this.error = err instanceof Error ? err : new Error(String(err));
        },
      )
      .finally(() => {
        this.#ticking = false;
      });
  }

  async #sign(log: TenantLog): Promise<CheckpointRow> {
    await this.#options.resync(log);
    // One snapshot: appends may move log.range on while this signs.
    const range = log.range;
    const treeSize = Number(range.size);
    const latest = await this.#store.latestCheckpoint(log.record.tenantId);
    if (latest !== undefined && latest.treeSize >= treeSize) {
      log.lastCheckpointSize = latest.treeSize;
      return latest;
    }
    const signer = await this.#keys.signer(log.record.name, log.record.origin);
    const rootHash = range.rootHash();
    const note = signCheckpoint(
      { origin: log.record.origin, treeSize: BigInt(treeSize), rootHash, extensions: [] },
      signer,
    );
    const row = { treeSize, rootHash, note, signedAt: new Date(this.#options.now()).toISOString() };
    try {
      await this.#store.putCheckpoint(log.record.tenantId, row);
    } catch (err) {
      // Another node signed this size a moment ago (a tenant's creation, a
      // shutdown): its checkpoint stands.
      const now = await this.#store.latestCheckpoint(log.record.tenantId);
      if (now === undefined || now.treeSize < treeSize) throw err;
      log.lastCheckpointSize = now.treeSize;
      return now;
    }
    // After the store has it: a crash in between leaves the record one
    // checkpoint behind, which a start accepts; never ahead of the store.
    await this.#options.published?.record(log.record.name, note);
    log.lastCheckpointSize = treeSize;
    return row;
  }
}
