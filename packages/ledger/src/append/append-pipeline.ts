// The append pipeline: admit (or refuse at once, ingest-admission.ts), stamp
// received_at, seal (validate, canonicalise, commit personal fields, hash;
// on worker threads for larger appends), then sequence and integrate in a
// group commit. One tenant's appends take turns in stamping order, so
// entries reach its log in the order their received_at was stamped,
// whichever seal worker finishes first; tenants do not wait for each other.
import type { AppendedBy, Hasher, OccurredAtBounds } from "@trailproof/core";
import { type PendingEntry, type SealOutcome, sealEntry } from "../prepare-entry.js";
import type { SubjectVault } from "../privacy/subject-vault.js";
import { sealBatch } from "../seal/seal-batch.js";
import type { SealPool } from "../seal/seal-pool.js";
import type { LogStore } from "../store/log-store.js";
import type { TenantLog } from "../tenant-log.js";
import type { AppendResult } from "./append-result.js";
import { GroupCommitter, type WriteTiming } from "./group-commit.js";
import type { IngestAdmission } from "./ingest-admission.js";
import { type WriteOutcome, writeEntries } from "./write-entries.js";

export interface AppendPipelineOptions {
  /** Seals each batch's personal values under their subjects' data keys. */
  vault: SubjectVault;
  /** Decides whether an append may enter (bounds what is stamped and not yet durable). */
  admission: IngestAdmission;
  /** Events written in one group commit at most. */
  maxBatchEvents: number;
  now: () => number;
  /** The plausible range of occurred_at, applied to every event wherever it is sealed. */
  occurredAtBounds: OccurredAtBounds;
  /** Called after each tenant's batch is durable, with the tenant's log (its new size). */
  onCommitted: (log: TenantLog) => void;
  /** Told of each group commit's size and duration. */
  onWrite?: (timing: WriteTiming) => void;
}

export class AppendPipeline {
  readonly #store: LogStore;
  readonly #hasher: Hasher;
  readonly #sealPool: SealPool | undefined;
  readonly #options: AppendPipelineOptions;
  readonly #committer: GroupCommitter<PendingEntry, WriteOutcome>;
  /**
   * Per tenant, resolves when its latest append has submitted to the
   * committer. Each append waits for its predecessor's turn (of the same
   * tenant: received_at orders one log, not the service) before submitting.
   */
  readonly #turns = new Map<string, Promise<void>>();

  constructor(store: LogStore, hasher: Hasher, sealPool: SealPool | undefined, options: AppendPipelineOptions) {
    this.#store = store;
    this.#hasher = hasher;
    this.#sealPool = sealPool;
    this.#options = options;
    this.#committer = new GroupCommitter(
      (items) => writeEntries(this.#store, hasher, options.vault, items, this.#options.onCommitted),
      { maxBatch: options.maxBatchEvents, onWrite: options.onWrite },
    );
  }

  /** Events stamped and not yet durable. */
  get pendingEvents(): number {
    return this.#options.admission.queuedEvents;
  }

  /**
   * Validates, seals and durably appends `inputs` to `log`, in order, each
   * naming `appendedBy` as its appender. Resolves once every accepted event
   * is fsynced, with one result per input; one bad event does not block the
   * others, unless `allOrNothing`: then one refused input withholds them all.
   * Throws IngestOverloadedError when admission control refuses it (nothing
   * is stamped then), unless `alwaysAdmit` (the service's own records).
   */
  async append(
    log: TenantLog,
    inputs: readonly unknown[],
    appendedBy: AppendedBy,
    options: { alwaysAdmit?: boolean; allOrNothing?: boolean } = {},
  ): Promise<AppendResult[]> {
    const release = this.#options.admission.admit(log.record.name, inputs.length, options.alwaysAdmit === true);
    try {
      return await this.#append(log, inputs, appendedBy, options.allOrNothing === true);
    } finally {
      release();
    }
  }

  async #append(
    log: TenantLog,
    inputs: readonly unknown[],
    appendedBy: AppendedBy,
    allOrNothing: boolean,
  ): Promise<AppendResult[]> {
    // Stamp and take a turn synchronously, in call order: the turn order is
    // the stamp order, whichever worker finishes first.
    const receivedMs = inputs.map(() => {
      log.lastReceivedMs = Math.max(this.#options.now(), log.lastReceivedMs);
      return log.lastReceivedMs;
    });
    const lane = log.record.name;
    const previous = this.#turns.get(lane) ?? Promise.resolve();
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#turns.set(lane, turn);
    let outcomes: SealOutcome[] | undefined;
    let failure: unknown;
    try {
      outcomes = await sealBatch(this.#sealPool, this.#hasher, log, inputs, receivedMs, {
        appendedBy,
        occurredAtBounds: this.#options.occurredAtBounds,
      });
    } catch (err) {
      failure = err;
    }
    // `previous` never rejects; waiting for it even on failure keeps later turns behind earlier ones.
    await previous;
    let written: Promise<WriteOutcome[]>;
    const results: AppendResult[] = new Array(inputs.length);
    const slots: number[] = [];
    try {
      if (outcomes === undefined) throw failure;
      const pending: PendingEntry[] = [];
      outcomes.forEach((o, slot) => {
        if ("problems" in o) {
          results[slot] = { status: "rejected", id: o.id, problems: o.problems };
        } else {
          const input = inputs[slot];
          const eventId = o.row.eventId;
          pending.push({ log, row: o.row, input, reseal: (ms) => this.#reseal(log, input, eventId, ms, appendedBy) });
          slots.push(slot);
        }
      });
      if (allOrNothing && pending.length < inputs.length) {
        slots.forEach((slot, k) => {
          results[slot] = { status: "withheld", id: (pending[k] as PendingEntry).row.eventId };
        });
        slots.length = 0;
        written = Promise.resolve([]);
      } else {
        written = this.#committer.submit(lane, pending);
      }
    } finally {
      release();
      if (this.#turns.get(lane) === turn) this.#turns.delete(lane);
    }
    const outcome = await written;
    for (const [k, r] of outcome.entries()) {
      if (r instanceof Error) throw r;
      results[slots[k] as number] = r;
    }
    return results;
  }

  /** The event sealed again at `receivedMs`, keeping the id it was given or drew. */
  #reseal(log: TenantLog, input: unknown, eventId: string, receivedMs: number, appendedBy: AppendedBy): SealOutcome {
    const withId =
      typeof input === "object" && input !== null && !Array.isArray(input) ? { ...input, id: eventId } : input;
    return sealEntry(withId, {
      registry: log.registry,
      unknownActions: log.record.unknownActions,
      hasher: this.#hasher,
      receivedMs,
      appendedBy,
      digestKey: log.digestKey,
      occurredAtBounds: this.#options.occurredAtBounds,
    });
  }

  /** Resolves once every append submitted so far is written or failed. */
  async idle(): Promise<void> {
    await Promise.all(this.#turns.values());
    await this.#committer.idle();
  }

  /** Waits for appends in flight; the caller stops new ones first. */
  async close(): Promise<void> {
    // Appends still sealing submit (or fail) before their turn resolves.
    await Promise.all(this.#turns.values());
    await this.#sealPool?.close();
    await this.#committer.idle();
  }
}
