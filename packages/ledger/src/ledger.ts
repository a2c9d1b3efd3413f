// The engine: sequence (durably assign indexes, group-committed), integrate
// (extend the tree in the same write), publish (sign checkpoints on a timer
// or size trigger, separately), and prove. One Ledger serves many tenants;
// each tenant has its own log, origin and signing key.

import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import {
  type ActionDefinition,
  consistencyProofRanges,
  type Disclosure,
  type Hasher,
  InvalidInputError,
  inclusionProofRanges,
  type LeafRange,
  type Problem,
  signCheckpoint,
  TrailproofError,
  toBase64,
} from "@trailproof/core";
import { GroupCommitter, IngestOverloadedError } from "./group-commit.js";
import { SigningKeyStore, type VerifierKeyRecord } from "./keys/signing-keys.js";
import { nodeHasher } from "./node-hasher.js";
import type { PendingEntry, SealOutcome } from "./prepare-entry.js";
import { hashRangesFromStore } from "./prove.js";
import { sealBatch } from "./seal/seal-batch.js";
import { SealPool } from "./seal/seal-pool.js";
import type { CheckpointRow, LogStore, StoredEntry, TenantRecord, UnknownActionPolicy } from "./store/log-store.js";
import { openSqliteStore } from "./store/sqlite/open-sqlite-store.js";
import { loadTenantLog, type TenantLog } from "./tenant-log.js";
import { writeEntries } from "./write-entries.js";

export interface LedgerOptions {
  /** Holds trailproof.db and keys/. Created with mode 0700 if missing. */
  dataDir: string;
  /** Defaults to SQLite at `<dataDir>/trailproof.db`. */
  store?: LogStore;
  /** Checkpoint origins are `<originPrefix>/<tenant>`. */
  originPrefix?: string;
  /** Sign a checkpoint at most this long after new entries (the time trigger). */
  checkpointIntervalMs?: number;
  /** Also sign as soon as this many entries are unsigned (the size trigger). */
  checkpointEveryEntries?: number;
  maxPendingEvents?: number;
  maxBatchEvents?: number;
  /**
   * Worker threads that validate and seal events. Defaults to
   * os.availableParallelism() (measured on 2 cores: two workers beat one,
   * the main thread only sequences and writes); 0 seals on the main thread.
   * A custom `hasher` cannot cross threads, so it forces 0.
   */
  sealingWorkers?: number;
  hasher?: Hasher;
  now?: () => number;
}

export type AppendResult =
  | { status: "created" | "duplicate"; id: string; index: number; leafHash: string; receivedAt: string }
  | { status: "rejected"; id: string | null; problems: Problem[] };

const TENANT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

export class Ledger {
  readonly store: LogStore;
  readonly keys: SigningKeyStore;
  readonly hasher: Hasher;
  readonly #options: Required<Omit<LedgerOptions, "store" | "hasher" | "sealingWorkers">>;
  readonly #tenants = new Map<string, Promise<TenantLog>>();
  readonly #committer: GroupCommitter<PendingEntry, AppendResult>;
  #timer: NodeJS.Timeout | undefined;
  #publishing: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** Workers sealing events; undefined when sealing inline. */
  readonly sealPool: SealPool | undefined;
  /**
   * Resolves when the latest append has submitted to the committer. Each
   * append waits for its predecessor's turn before submitting its own, so
   * entries reach the log in the order their received_at was stamped.
   */
  #submitTurn: Promise<void> = Promise.resolve();
  /** Events stamped but not yet submitted (being sealed), counted against maxPendingEvents. */
  #sealing = 0;
  /** Last publisher failure, for readiness checks; cleared by the next success. */
  publisherError: Error | undefined;

  private constructor(options: LedgerOptions, store: LogStore) {
    this.#options = {
      dataDir: options.dataDir,
      originPrefix: options.originPrefix ?? "trailproof.localhost/log",
      checkpointIntervalMs: options.checkpointIntervalMs ?? 1000,
      checkpointEveryEntries: options.checkpointEveryEntries ?? 100_000,
      maxPendingEvents: options.maxPendingEvents ?? 100_000,
      maxBatchEvents: options.maxBatchEvents ?? 5_000,
      now: options.now ?? Date.now,
    };
    this.store = store;
    this.hasher = options.hasher ?? nodeHasher;
    this.keys = new SigningKeyStore(join(options.dataDir, "keys"), this.hasher);
    const workers = options.hasher ? 0 : (options.sealingWorkers ?? Math.max(1, availableParallelism()));
    this.sealPool = workers > 0 ? new SealPool(workers) : undefined;
    this.#committer = new GroupCommitter((items) => this.#write(items), {
      maxPending: this.#options.maxPendingEvents,
      maxBatch: this.#options.maxBatchEvents,
    });
  }

  static async open(options: LedgerOptions): Promise<Ledger> {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const store = options.store ?? openSqliteStore(join(options.dataDir, "trailproof.db"));
    const ledger = new Ledger(options, store);
    if (ledger.#options.checkpointIntervalMs > 0) {
      ledger.#timer = setInterval(() => ledger.#schedulePublish(), ledger.#options.checkpointIntervalMs);
      ledger.#timer.unref();
    }
    return ledger;
  }

  /** Items queued for the next group commit. */
  get pendingEvents(): number {
    return this.#committer.pending;
  }

  async createTenant(name: string, options: { unknownActions?: UnknownActionPolicy } = {}): Promise<TenantRecord> {
    if (!TENANT_NAME.test(name)) {
      throw new InvalidInputError("TENANT_NAME_INVALID", "tenant names are 1-63 characters of a-z, 0-9 and -", {
        problems: [{ pointer: "/name", message: "must match ^[a-z0-9][a-z0-9-]{0,62}$" }],
      });
    }
    const record = await this.store.createTenant({
      name,
      origin: `${this.#options.originPrefix}/${name}`,
      unknownActions: options.unknownActions ?? "reject",
      createdAt: new Date(this.#options.now()).toISOString(),
    });
    const log = await this.#tenant(name);
    // Sign the empty tree at once: the verifier key exists from the start and
    // the first checkpoint shows when the log began.
    await this.#publish(log);
    return record;
  }

  async getTenant(name: string): Promise<TenantRecord | undefined> {
    return this.store.getTenant(name);
  }

  /** The tenant's record; throws TENANT_NOT_FOUND. */
  async tenantRecord(name: string): Promise<TenantRecord> {
    return (await this.#tenant(name)).record;
  }

  async setUnknownActions(tenant: string, policy: UnknownActionPolicy): Promise<TenantRecord> {
    const log = await this.#tenant(tenant);
    await this.store.setUnknownActions(log.record.tenantId, policy);
    log.record = { ...log.record, unknownActions: policy };
    return log.record;
  }

  /** One entry by event id, or undefined. Its personal values are read separately (disclosures). */
  async findEntry(tenant: string, eventId: string): Promise<StoredEntry | undefined> {
    const log = await this.#tenant(tenant);
    return this.store.findEntryByEventId(log.record.tenantId, eventId);
  }

  /** Personal values of one entry, as core's Disclosure (salt in base64). */
  async disclosures(tenant: string, index: number): Promise<Disclosure[]> {
    const log = await this.#tenant(tenant);
    const rows = await this.store.readDisclosures(log.record.tenantId, index);
    return rows.map((d) => ({ pointer: d.pointer, salt: toBase64(d.salt), value: d.value }));
  }

  /** Entries start <= index < end (end clamped to the tree size). */
  async readEntries(tenant: string, start: number, end: number): Promise<StoredEntry[]> {
    const log = await this.#tenant(tenant);
    return this.store.readEntries(log.record.tenantId, start, Math.min(end, Number(log.range.size)));
  }

  listTenants(): Promise<TenantRecord[]> {
    return this.store.listTenants();
  }

  /**
   * Validates, seals and durably appends `inputs`, in order. Resolves once
   * every accepted event is fsynced, with one result per input; one bad event
   * does not block the others. Throws INGEST_OVERLOADED when the queue is full.
   */
  async append(tenant: string, inputs: readonly unknown[]): Promise<AppendResult[]> {
    if (this.#closed) throw new TrailproofError("LEDGER_CLOSED", "the ledger is shutting down");
    const log = await this.#tenant(tenant);
    if (this.#sealing + this.#committer.pending + inputs.length > this.#options.maxPendingEvents) {
      throw new IngestOverloadedError(1000);
    }
    // Stamp and take a turn synchronously, in call order: the turn order is
    // the stamp order, whichever worker finishes first.
    const receivedMs = inputs.map(() => {
      log.lastReceivedMs = Math.max(this.#options.now(), log.lastReceivedMs);
      return log.lastReceivedMs;
    });
    const previous = this.#submitTurn;
    let release!: () => void;
    this.#submitTurn = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#sealing += inputs.length;
    let outcomes: SealOutcome[] | undefined;
    let failure: unknown;
    try {
      outcomes = await sealBatch(this.sealPool, this.hasher, log, inputs, receivedMs);
    } catch (err) {
      failure = err;
    }
    // `previous` never rejects; waiting for it even on failure keeps later turns behind earlier ones.
    await previous;
    let written: Promise<AppendResult[]>;
    const results: AppendResult[] = new Array(inputs.length);
    const slots: number[] = [];
    try {
      this.#sealing -= inputs.length;
      if (outcomes === undefined) throw failure;
      const pending: PendingEntry[] = [];
      outcomes.forEach((o, slot) => {
        if ("problems" in o) {
          results[slot] = { status: "rejected", id: o.id, problems: o.problems };
        } else {
          pending.push({ log, row: o.row });
          slots.push(slot);
        }
      });
      written = this.#committer.submit(pending);
    } finally {
      release();
    }
    (await written).forEach((r, k) => {
      results[slots[k] as number] = r;
    });
    return results;
  }

  async #write(items: PendingEntry[]): Promise<AppendResult[]> {
    const results = await writeEntries(this.store, items);
    for (const log of new Set(items.map((i) => i.log))) {
      if (Number(log.range.size) - log.lastCheckpointSize >= this.#options.checkpointEveryEntries)
        this.#schedulePublish();
    }
    return results;
  }

  /** Registers a new version of an action schema for one tenant; refused if not backward compatible. */
  async registerActionSchema(tenant: string, definition: ActionDefinition): Promise<ActionDefinition> {
    const log = await this.#tenant(tenant);
    const registered = log.registry.register(definition);
    log.registryVersion++;
    await this.store.putActionSchema(log.record.tenantId, {
      action: registered.action,
      version: registered.version,
      definition: JSON.stringify(registered),
      registeredAt: new Date(this.#options.now()).toISOString(),
    });
    return registered;
  }

  async actionSchemas(tenant: string): Promise<ActionDefinition[]> {
    return (await this.#tenant(tenant)).registry.list();
  }

  /** Signs a checkpoint for every tenant with unsigned entries. */
  publishCheckpoints(): Promise<void> {
    const run = this.#publishing.then(async () => {
      for (const p of this.#tenants.values()) {
        const log = await p;
        if (Number(log.range.size) > log.lastCheckpointSize) await this.#publish(log);
      }
    });
    this.#publishing = run.catch(() => undefined);
    return run;
  }

  #schedulePublish(): void {
    this.publishCheckpoints().then(
      () => {
        this.publisherError = undefined;
      },
      (err: unknown) => {
        this.publisherError = err instanceof Error ? err : new Error(String(err));
      },
    );
  }

  async #publish(log: TenantLog): Promise<CheckpointRow> {
    const signer = this.keys.signer(log.record.name, log.record.origin);
    const treeSize = Number(log.range.size);
    const rootHash = log.range.rootHash();
    const note = signCheckpoint(
      { origin: log.record.origin, treeSize: BigInt(treeSize), rootHash, extensions: [] },
      signer,
    );
    const row = { treeSize, rootHash, note, signedAt: new Date(this.#options.now()).toISOString() };
    const latest = await this.store.latestCheckpoint(log.record.tenantId);
    if (latest?.treeSize === treeSize) return latest;
    await this.store.putCheckpoint(log.record.tenantId, row);
    log.lastCheckpointSize = treeSize;
    return row;
  }

  async latestCheckpoint(tenant: string): Promise<CheckpointRow> {
    const log = await this.#tenant(tenant);
    return (await this.store.latestCheckpoint(log.record.tenantId)) ?? this.#publish(log);
  }

  async checkpoints(tenant: string): Promise<CheckpointRow[]> {
    const log = await this.#tenant(tenant);
    return this.store.listCheckpoints(log.record.tenantId);
  }

  /** Signs what is unsigned with the current key, then retires it for a new one. */
  async rotateSigningKey(tenant: string): Promise<VerifierKeyRecord[]> {
    const log = await this.#tenant(tenant);
    await this.#committer.idle();
    await this.publishCheckpoints();
    this.keys.rotate(log.record.name, log.record.origin);
    return this.keys.verifiers(log.record.name);
  }

  async verifierKeys(tenant: string): Promise<VerifierKeyRecord[]> {
    const log = await this.#tenant(tenant);
    this.keys.signer(log.record.name, log.record.origin);
    return this.keys.verifiers(log.record.name);
  }

  /** Size and checkpoint of every tenant log loaded in this process, for metrics and readiness. */
  async logStatus(): Promise<
    { tenant: string; origin: string; treeSize: number; checkpointSize: number; checkpointSignedAt: string | null }[]
  > {
    const out = [];
    for (const p of this.#tenants.values()) {
      const log = await p.catch(() => undefined);
      if (!log) continue;
      const latest = await this.store.latestCheckpoint(log.record.tenantId);
      out.push({
        tenant: log.record.name,
        origin: log.record.origin,
        treeSize: Number(log.range.size),
        checkpointSize: latest?.treeSize ?? 0,
        checkpointSignedAt: latest?.signedAt ?? null,
      });
    }
    return out;
  }

  /** Current number of entries (sequenced and durable) in the tenant's log. */
  async treeSize(tenant: string): Promise<number> {
    return Number((await this.#tenant(tenant)).range.size);
  }

  /** Inclusion proof of entry `index` in the tree of `treeSize`. Requires index < treeSize <= current size. */
  async inclusionProof(tenant: string, index: number, treeSize: number): Promise<Uint8Array[]> {
    const log = await this.#tenant(tenant);
    this.#checkSize(log, treeSize, "size");
    if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
      throw outOfRange("index", `index must be below the tree size ${treeSize}`);
    }
    return this.#prove(log, inclusionProofRanges(index, treeSize));
  }

  /** Consistency proof from size1 to size2. Requires 0 < size1 <= size2 <= current size. */
  async consistencyProof(tenant: string, size1: number, size2: number): Promise<Uint8Array[]> {
    const log = await this.#tenant(tenant);
    this.#checkSize(log, size2, "to");
    if (!Number.isSafeInteger(size1) || size1 < 1 || size1 > size2) {
      throw outOfRange("from", `from must be between 1 and ${size2}`);
    }
    return this.#prove(log, consistencyProofRanges(size1, size2));
  }

  /** Root hash of the tenant's tree at any size up to the current one, from stored hashes. */
  async rootHashAt(tenant: string, treeSize: number): Promise<Uint8Array> {
    const log = await this.#tenant(tenant);
    this.#checkSize(log, treeSize, "size");
    const [root] = await this.#prove(log, [{ begin: 0n, end: BigInt(treeSize) }]);
    return root as Uint8Array;
  }

  #checkSize(log: TenantLog, size: number, name: string): void {
    const current = Number(log.range.size);
    if (!Number.isSafeInteger(size) || size < 1 || size > current) {
      throw outOfRange(name, `${name} must be between 1 and the current tree size ${current}`);
    }
  }

  #prove(log: TenantLog, ranges: LeafRange[]): Promise<Uint8Array[]> {
    return hashRangesFromStore(this.store, this.hasher, log.record.tenantId, ranges);
  }

  async #tenant(name: string): Promise<TenantLog> {
    let p = this.#tenants.get(name);
    if (!p) {
      p = (async () => {
        const record = await this.store.getTenant(name);
        if (!record) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant named ${name}`);
        return loadTenantLog(this.store, this.hasher, record);
      })();
      this.#tenants.set(name, p);
      p.catch(() => this.#tenants.delete(name));
    }
    return p;
  }

  /** Stops accepting, finishes in-flight appends, signs a final checkpoint, stops the seal workers, closes the store. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    // Appends still sealing submit (or fail) before their turn resolves.
    await this.#submitTurn;
    await this.sealPool?.close();
    await this.#committer.idle();
    await this.publishCheckpoints();
    await this.store.close();
  }
}

function outOfRange(param: string, message: string): InvalidInputError {
  return new InvalidInputError("PROOF_SIZE_OUT_OF_RANGE", message, { problems: [{ pointer: `/${param}`, message }] });
}
