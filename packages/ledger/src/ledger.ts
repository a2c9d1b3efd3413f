// The engine's facade: one Ledger serves many tenants, each with its own
// log, origin and signing key. Its pipeline is split by step: the append
// pipeline (append/) stamps, seals, sequences and integrates; the checkpoint
// publisher (checkpoint/) signs tree heads; proofs are read from stored
// hashes (prove.ts); followers (follow/) learn of each commit through
// onCommit. The store is given to it: the engine never opens a driver
// (open-data-dir.ts picks the backend).

import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import {
  type ActionDefinition,
  type AppendedBy,
  checkOccurredAtBounds,
  consistencyProofRanges,
  DEFAULT_OCCURRED_AT_BOUNDS,
  type Disclosure,
  type Hasher,
  InvalidInputError,
  inclusionProofRanges,
  type JsonObject,
  type LeafRange,
  LIBRARY_APPENDER,
  type OccurredAtBounds,
  subjectIdOf,
  TrailproofError,
} from "@trailproof/core";
import { isTenantName, TENANT_NAME_PATTERN } from "@trailproof/protocol";
import { AppendPipeline } from "./append/append-pipeline.js";
import type { AppendResult } from "./append/append-result.js";
import type { WriteTiming } from "./append/group-commit.js";
import {
  type AdmissionOptions,
  type AdmissionRefusal,
  DEFAULT_ADMISSION,
  IngestAdmission,
} from "./append/ingest-admission.js";
import { LoopDelayMonitor } from "./append/loop-delay.js";
import { CheckpointPublisher } from "./checkpoint/checkpoint-publisher.js";
import {
  checkPublishedCheckpoints,
  PublishedCheckpointRecord,
  type RollbackNotice,
} from "./checkpoint/published-record.js";
import { type FollowerSink, LogFollower, type LogFollowerOptions } from "./follow/log-follower.js";
import { RecentEntries } from "./follow/recent-entries.js";
import { dataDirMasterKey } from "./keys/data-dir-master-key.js";
import { DigestKeyStore } from "./keys/digest-keys.js";
import { FileKeyVault } from "./keys/file-key-vault.js";
import type { KeyVault } from "./keys/key-vault.js";
import { PseudonymKeyStore } from "./keys/pseudonym-keys.js";
import { SigningKeyStore, type VerifierKeyRecord } from "./keys/signing-keys.js";
import { Listeners } from "./listeners.js";
import { nodeHasher } from "./node-hasher.js";
import { type OpenedDisclosure, SubjectVault } from "./privacy/subject-vault.js";
import { hashRangesFromStore } from "./prove.js";
import { ReadDivergences } from "./query/read-divergences.js";
import { SealPool } from "./seal/seal-pool.js";
import { type LeaseStore, SOLE_PROCESS_LEASES } from "./store/lease-store.js";
import type {
  CheckpointRow,
  ErasureRecord,
  LogStore,
  StoredEntry,
  TenantRecord,
  UnknownActionPolicy,
} from "./store/log-store.js";
import { loadTenantLog, resyncTenantLog, type TenantLog } from "./tenant-log.js";
import { parseLeaf } from "./verify/derived-rows.js";

export type { AppendResult } from "./append/append-result.js";

export interface LedgerOptions {
  /**
   * Holds keys/ (and, for the embedded store, its files). Created with mode
   * 0700 if missing. Not needed, and not touched, when `vault` is given.
   */
  dataDir?: string;
  /** Where keys and key records live; a FileKeyVault over <dataDir>/keys by default. */
  vault?: KeyVault;
  /**
   * The operator's master key: it wraps each subject's data key (personal
   * values are sealed per subject, privacy/). Default: <dataDir>/master.key,
   * created if missing (keys/data-dir-master-key.ts); a ledger on a vault
   * without a data directory MUST be given one.
   */
  masterKey?: Uint8Array;
  /** Told the path of a master key generated into the data directory (the server warns loudly). */
  onMasterKeyCreated?: (path: string) => void;
  /** Where the log lives; open-data-dir.ts opens the embedded SQLite store. The ledger closes it on close(). */
  store: LogStore;
  /** Checkpoint origins are `<originPrefix>/<tenant>`. */
  originPrefix?: string;
  /** Sign a checkpoint at most this long after new entries (the time trigger); 0 disables the timer. */
  checkpointIntervalMs?: number;
  /** Also sign as soon as this many entries are unsigned (the size trigger). */
  checkpointEveryEntries?: number;
  /**
   * Admission control (append/ingest-admission.ts): events in flight at most
   * and the queue delay past which heavy tenants are refused; defaults in
   * DEFAULT_ADMISSION.
   */
  admission?: Partial<AdmissionOptions>;
  /** Events written in one group commit at most. */
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
  /** The plausible range of occurred_at for every event appended; core's DEFAULT_OCCURRED_AT_BOUNDS by default. */
  occurredAtBounds?: OccurredAtBounds;
  /**
   * Open a log that is smaller than, or differs from, the checkpoint it last
   * published (recorded in keys/, outside the database): an older backup
   * restored, or its tail deleted. Without it, open throws LOG_ROLLED_BACK.
   */
  forceRollback?: boolean;
  /** Told of each log opened despite a rollback (forceRollback), to be logged. */
  onForcedRollback?: (notice: RollbackNotice) => void;
  /**
   * Set where several processes append to one store (PostgreSQL nodes): the
   * lease decides which node signs checkpoints, and each node reads the
   * store's size before it proves, signs or reports. Without it this process
   * is the store's only writer.
   */
  shared?: { leases: LeaseStore; nodeId: string };
}

export interface AppendOptions {
  /**
   * The credential the events are appended for, stamped into each leaf as
   * appended_by (log format v2). Callers serving a request MUST name the
   * request's credential; the default, LIBRARY_APPENDER, says only that a
   * program using the library directly appended them.
   */
  appendedBy?: AppendedBy;
  /**
   * The service's own record of something it did or is doing (meta-audit,
   * tenant, key and person changes, sign-ins): admitted whatever the load,
   * and counted in the work in flight. Admission control is for what clients
   * send; refusing these would fail an admin's action because a tenant floods.
   */
  serviceRecord?: boolean;
  /**
   * Write every input or none: when one is refused, the others are not
   * written either and answer `withheld`. For wire formats whose clients
   * treat a request as one unit (the compat endpoints). An id already taken
   * by different content is only found while writing, so it is still
   * refused on its own.
   */
  allOrNothing?: boolean;
}

/** One tenant log's size and signing state (Ledger.logStatus). */
export interface LogStatus {
  tenant: string;
  origin: string;
  treeSize: number;
  /** Size of the latest signed checkpoint; entries from this index on are unsigned. */
  checkpointSize: number;
  checkpointSignedAt: string | null;
  /**
   * received_at of the oldest entry no checkpoint covers yet (the one at
   * index checkpointSize), null when every entry is signed: how long entries
   * have waited for a signature, which the time since the last checkpoint is
   * not (after a quiet spell the first new entry finds an old checkpoint).
   */
  oldestUnsignedAt: string | null;
}

/** A commit of one tenant's entries: its log now holds `treeSize` entries. */
export interface CommitNotice {
  tenant: TenantRecord;
  treeSize: number;
}

export class Ledger {
  readonly store: LogStore;
  /** Stored rows that a read found contradicting their leaf (and left out). */
  readonly readDivergences = new ReadDivergences();
  /** Each group commit's size and duration, for metrics. */
  readonly commitTimings = new Listeners<WriteTiming>();
  readonly #admission: IngestAdmission;
  readonly #loopDelay = new LoopDelayMonitor();
  /** Tenant ids by name, for the tenants loaded so far (admission asks by name, followers count by id). */
  readonly #tenantIds = new Map<string, number>();
  readonly keys: SigningKeyStore;
  /** Each tenant's last published checkpoint, kept outside the database to catch a rolled-back log. */
  readonly published: PublishedCheckpointRecord;
  /** Each tenant's idempotency digest key, beside its signing key in keys/. */
  readonly digestKeys: DigestKeyStore;
  /** Each tenant's keyed pseudonyms of actor and subject ids. */
  readonly pseudonyms: PseudonymKeyStore;
  /** Seals and opens personal values under their subjects' data keys. */
  readonly subjects: SubjectVault;
  readonly hasher: Hasher;
  /** Workers sealing events; undefined when sealing inline. */
  readonly sealPool: SealPool | undefined;
  readonly #originPrefix: string;
  readonly #now: () => number;
  readonly #tenants = new Map<string, Promise<TenantLog>>();
  readonly #pipeline: AppendPipeline;
  readonly #publisher: CheckpointPublisher;
  readonly #commitListeners: ((notice: CommitNotice) => void)[] = [];
  readonly #followers: LogFollower[] = [];
  /** The followers whose lag admission control counts. */
  readonly #admitted = new Set<LogFollower>();
  /** Other processes append to the store too (LedgerOptions.shared). */
  readonly #shared: boolean;
  /** Leases among the nodes sharing the store; this process holds every lease where it is the store's only writer. */
  readonly leases: LeaseStore;
  /** This node's name among them. */
  readonly nodeId: string;
  /** The followers' one shared read of committed entries (follow/recent-entries.ts). */
  readonly recentEntries: RecentEntries;

  /** True where several processes append to one store (PostgreSQL nodes): other nodes' commits are not notified here. */
  get shared(): boolean {
    return this.#shared;
  }
  #closed = false;

  private constructor(options: LedgerOptions) {
    this.store = options.store;
    this.hasher = options.hasher ?? nodeHasher;
    this.#originPrefix = options.originPrefix ?? "trailproof.localhost/log";
    this.#now = options.now ?? Date.now;
    const vault = options.vault ?? new FileKeyVault(join(requireDataDir(options), "keys"));
    this.keys = new SigningKeyStore(vault, this.hasher);
    this.digestKeys = new DigestKeyStore(vault);
    this.pseudonyms = new PseudonymKeyStore(vault);
    const masterKey =
      options.masterKey ??
      dataDirMasterKey(
        requireDataDir(options, "a ledger without a data directory needs its master key"),
        undefined,
        options.onMasterKeyCreated,
      );
    this.subjects = new SubjectVault(this.store, masterKey, this.pseudonyms);
    const occurredAtBounds = options.occurredAtBounds ?? DEFAULT_OCCURRED_AT_BOUNDS;
    checkOccurredAtBounds(occurredAtBounds);
    const workers = options.hasher ? 0 : (options.sealingWorkers ?? Math.max(1, availableParallelism()));
    this.sealPool = workers > 0 ? new SealPool(workers) : undefined;
    this.published = new PublishedCheckpointRecord(vault);
    this.#shared = options.shared !== undefined;
    this.leases = options.shared?.leases ?? SOLE_PROCESS_LEASES;
    this.nodeId = options.shared?.nodeId ?? "this-process";
    this.recentEntries = new RecentEntries(this.store, this.#now);
    this.#publisher = new CheckpointPublisher(
      this.store,
      this.keys,
      () => (this.#shared ? this.#allLogs() : this.#loadedLogs()),
      {
        intervalMs: options.checkpointIntervalMs ?? 1000,
        everyEntries: options.checkpointEveryEntries ?? 100_000,
        now: this.#now,
        published: this.published,
        leases: options.shared?.leases ?? SOLE_PROCESS_LEASES,
        holder: options.shared?.nodeId ?? "this-process",
        resync: (log) => this.#current(log),
        // The signing node also tells its followers of other nodes' commits,
        // so entries a node committed just before it died are followed too.
        onLeaderTick: () => {
          if (this.#shared) for (const f of this.#followers) f.catchUp(this.#logSizes());
        },
      },
    );
    this.#admission = new IngestAdmission({
      ...DEFAULT_ADMISSION,
      loopDelayMs: () => this.#loopDelay.recentMaxMs(),
      followerLag: (tenant) => {
        const id = this.#tenantIds.get(tenant);
        return id === undefined ? 0 : Math.max(0, ...[...this.#admitted].map((f) => f.lag(id)));
      },
      ...options.admission,
    });
    this.#pipeline = new AppendPipeline(this.store, this.hasher, this.sealPool, {
      vault: this.subjects,
      admission: this.#admission,
      onWrite: (timing) => {
        this.#admission.observeWrite(timing.items, timing.cycleSeconds);
        this.commitTimings.emit(timing);
      },
      maxBatchEvents: options.maxBatchEvents ?? 5_000,
      now: this.#now,
      occurredAtBounds,
      onCommitted: (log) => this.#committed(log),
    });
  }

  static async open(options: LedgerOptions): Promise<Ledger> {
    if (!options.vault) mkdirSync(requireDataDir(options), { recursive: true, mode: 0o700 });
    const ledger = new Ledger(options);
    try {
      await checkPublishedCheckpoints(ledger.store, ledger.hasher, ledger.published, await ledger.store.listTenants(), {
        force: options.forceRollback ?? false,
        onForced: options.onForcedRollback,
        now: ledger.#now,
      });
    } catch (err) {
      ledger.#loopDelay.close();
      await ledger.sealPool?.close();
      throw err;
    }
    ledger.#publisher.start();
    return ledger;
  }

  /** Events accepted and not yet durable. */
  get pendingEvents(): number {
    return this.#pipeline.pendingEvents;
  }

  /** How long the oldest append in flight has waited, in milliseconds. */
  queueDelayMs(): number {
    return this.#admission.queueDelayMs();
  }

  /**
   * Whether an append of `events` to `tenant` would be refused now, and
   * why: for a server to refuse a request before reading its body. Changes
   * nothing; append() decides again with the real count.
   */
  admissionCheck(tenant: string, events: number): AdmissionRefusal | undefined {
    return this.#admission.check(tenant, events);
  }

  /** Last failure of the checkpoint publisher's triggers, for readiness; cleared by the next success. */
  get publisherError(): Error | undefined {
    return this.#publisher.error;
  }

  /** Calls `listener` after every durable commit, on this thread; it MUST NOT throw or block. */
  onCommit(listener: (notice: CommitNotice) => void): void {
    this.#commitListeners.push(listener);
  }

  /**
   * Starts a follower of every tenant's committed entries into `sink` (see
   * follow/log-follower.ts), or of one tenant's (options.tenantId): it
   * catches up from the sink's durable cursor now, then follows each commit.
   * The ledger closes it on close(), or unfollow() does earlier. A follower
   * that `countsForAdmission` (the default) slows ingest when it falls
   * behind; one that carries entries out of the service (a stream to a SIEM
   * that may be down for minutes) does not.
   */
  follow(sink: FollowerSink, options: LogFollowerOptions & { countsForAdmission?: boolean } = {}): LogFollower {
    const { countsForAdmission = true, ...followerOptions } = options;
    const follower = new LogFollower(this.store, sink, {
      appendsWaiting: () => this.#admission.queuedEvents > 0,
      reader: this.recentEntries,
      ...followerOptions,
    });
    this.#followers.push(follower);
    if (countsForAdmission) this.#admitted.add(follower);
    follower.catchUp(this.#logSizes());
    return follower;
  }

  /** Stops `follower` (started with follow()); resolves once the batch in hand is applied. */
  async unfollow(follower: LogFollower): Promise<void> {
    const at = this.#followers.indexOf(follower);
    if (at >= 0) this.#followers.splice(at, 1);
    this.#admitted.delete(follower);
    await follower.close();
  }

  /** Followers started with follow(), for metrics and readiness. */
  get followers(): readonly LogFollower[] {
    return this.#followers;
  }

  /** Every tenant's current tree size, as the store holds it. */
  async #logSizes(): Promise<[number, number][]> {
    const sizes: [number, number][] = [];
    for (const tenant of await this.store.listTenants()) {
      sizes.push([tenant.tenantId, await this.store.treeSize(tenant.tenantId)]);
    }
    return sizes;
  }

  #committed(log: TenantLog): void {
    const notice = { tenant: log.record, treeSize: Number(log.range.size) };
    for (const follower of this.#followers) follower.notify(notice.tenant.tenantId, notice.treeSize);
    for (const listener of this.#commitListeners) listener(notice);
    this.#publisher.committed(log);
  }

  async createTenant(name: string, options: { unknownActions?: UnknownActionPolicy } = {}): Promise<TenantRecord> {
    if (!isTenantName(name)) {
      throw new InvalidInputError("TENANT_NAME_INVALID", "tenant names are 1-63 characters of a-z, 0-9 and -", {
        problems: [{ pointer: "/name", message: `must match ${TENANT_NAME_PATTERN}` }],
      });
    }
    const record = await this.store.createTenant({
      name,
      origin: `${this.#originPrefix}/${name}`,
      unknownActions: options.unknownActions ?? "reject",
      createdAt: new Date(this.#now()).toISOString(),
    });
    const log = await this.#tenant(name);
    // Sign the empty tree at once: the verifier key exists from the start and
    // the first checkpoint shows when the log began.
    await this.#publisher.publish(log);
    return record;
  }

  /**
   * Whether tenant `name` exists: answered from the tenants this ledger has
   * loaded (tenants are never deleted) without a store read, else by the
   * store. For checks on every request (a platform key's tenant choice).
   */
  async hasTenant(name: string): Promise<boolean> {
    return this.#tenantIds.has(name) || (await this.store.getTenant(name)) !== undefined;
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

  /**
   * One entry by event id, or undefined. The entry's leaf must carry that id:
   * a lookup row edited to point elsewhere is reported, never answered. An
   * entry whose body retention pruned comes back with zero-byte leaf data
   * (the caller answers it as pruned); verification checks that a recorded
   * prune covers it. Its personal values are read separately (disclosures).
   */
  async findEntry(tenant: string, eventId: string): Promise<StoredEntry | undefined> {
    const log = await this.#tenant(tenant);
    const entry = await this.store.findEntryByEventId(log.record.tenantId, eventId);
    if (entry === undefined || entry.leafData.length === 0 || parseLeaf(entry.leafData)?.id === eventId) return entry;
    this.readDivergences.report({
      tenant: tenant,
      index: entry.index,
      kind: "LOOKUP_MISMATCH",
      message: `event id ${JSON.stringify(eventId)} is looked up at entry ${entry.index}, whose leaf is another event: left out`,
    });
    return undefined;
  }

  /** Personal values of one entry that open, as core's Disclosure (salt in base64); erased and unreadable ones left out. */
  async disclosures(tenant: string, index: number): Promise<Disclosure[]> {
    const opened = await this.openDisclosures(tenant, index);
    return opened.flatMap((d) => (d.state === "value" ? [{ pointer: d.pointer, salt: d.salt, value: d.value }] : []));
  }

  /** Every stored personal value of one entry, opened: a value, an erased marker, or unreadable. */
  async openDisclosures(tenant: string, index: number): Promise<OpenedDisclosure[]> {
    const log = await this.#tenant(tenant);
    return this.subjects.open(log.record, await this.store.readDisclosures(log.record.tenantId, index));
  }

  /**
   * Crypto-shreds every personal value of the subject `subjectId` in the
   * tenant (LogStore.eraseSubject) and forgets its cached key. The caller
   * records the erasure.complete event. Idempotent: a subject already erased
   * returns its first erasure with `created` false.
   */
  async eraseSubject(
    tenant: string,
    subjectId: string,
    who: { erasureId: string; requestedBy: string; approvedBy: string },
  ): Promise<{ record: ErasureRecord; created: boolean }> {
    const log = await this.#tenant(tenant);
    const subject = await this.subjects.pseudonym(tenant, subjectId);
    // Values in flight are written first: none is sealed under the key after it is destroyed.
    await this.#pipeline.idle();
    const result = await this.store.eraseSubject(log.record.tenantId, { ...who, subject, erasedMs: this.#now() });
    this.subjects.forget(log.record.tenantId, subject);
    return result;
  }

  async erasures(tenant: string): Promise<ErasureRecord[]> {
    const log = await this.#tenant(tenant);
    return this.store.listErasures(log.record.tenantId);
  }

  /** Entries start <= index < end (end clamped to the tree size). */
  async readEntries(tenant: string, start: number, end: number): Promise<StoredEntry[]> {
    const log = await this.#tenant(tenant);
    await this.#current(log);
    return this.store.readEntries(log.record.tenantId, start, Math.min(end, Number(log.range.size)));
  }

  listTenants(): Promise<TenantRecord[]> {
    return this.store.listTenants();
  }

  /**
   * Validates, seals and durably appends `inputs`, in order, each naming
   * options.appendedBy as its appender. Resolves once every accepted event is
   * fsynced, with one result per input; one bad event does not block the
   * others. Throws INGEST_OVERLOADED when the queue is full.
   */
  async append(tenant: string, inputs: readonly unknown[], options: AppendOptions = {}): Promise<AppendResult[]> {
    if (this.#closed) throw new TrailproofError("LEDGER_CLOSED", "the ledger is shutting down");
    const log = await this.#tenant(tenant);
    return this.#pipeline.append(log, inputs, options.appendedBy ?? LIBRARY_APPENDER, {
      alwaysAdmit: options.serviceRecord === true,
      allOrNothing: options.allOrNothing === true,
    });
  }

  /**
   * The tenant's secret idempotency digest key: with an entry's leaf and
   * disclosures, core's recomputeContentDigest gives its stored content_digest.
   */
  async digestKey(tenant: string): Promise<Uint8Array> {
    return (await this.#tenant(tenant)).digestKey;
  }

  /** Registers a new version of an action schema for one tenant; refused if not backward compatible. */
  async registerActionSchema(tenant: string, definition: ActionDefinition): Promise<ActionDefinition> {
    const log = await this.#tenant(tenant);
    await this.#current(log);
    const registered = log.registry.register(definition);
    log.registryVersion++;
    log.storedSchemas++;
    await this.store.putActionSchema(log.record.tenantId, {
      action: registered.action,
      version: registered.version,
      definition: JSON.stringify(registered),
      registeredAt: new Date(this.#now()).toISOString(),
    });
    return registered;
  }

  async actionSchemas(tenant: string): Promise<ActionDefinition[]> {
    return (await this.#tenant(tenant)).registry.list();
  }

  /** Signs a checkpoint for every tenant with unsigned entries (through the publisher's one path). */
  publishCheckpoints(): Promise<void> {
    return this.#publisher.publishAll();
  }

  /**
   * The latest signed checkpoint. Never signs: every tenant's empty tree is
   * signed at creation, so a tenant without any checkpoint has a damaged
   * store, reported as CHECKPOINT_MISSING (a 500: nothing the caller can fix).
   */
  async latestCheckpoint(tenant: string): Promise<CheckpointRow> {
    const log = await this.#tenant(tenant);
    const latest = await this.store.latestCheckpoint(log.record.tenantId);
    if (!latest) throw new TrailproofError("CHECKPOINT_MISSING", `tenant ${tenant} has no signed checkpoint`);
    return latest;
  }

  async checkpoints(tenant: string): Promise<CheckpointRow[]> {
    const log = await this.#tenant(tenant);
    return this.store.listCheckpoints(log.record.tenantId);
  }

  /** Signs what is unsigned with the current key, then retires it for a new one. */
  async rotateSigningKey(tenant: string): Promise<VerifierKeyRecord[]> {
    const log = await this.#tenant(tenant);
    await this.#pipeline.idle();
    await this.#publisher.publishAll();
    await this.keys.rotate(log.record.name, log.record.origin);
    return this.keys.verifiers(log.record.name);
  }

  async verifierKeys(tenant: string): Promise<VerifierKeyRecord[]> {
    const log = await this.#tenant(tenant);
    await this.keys.signer(log.record.name, log.record.origin);
    return this.keys.verifiers(log.record.name);
  }

  /** Size and checkpoint of every tenant log loaded in this process, for metrics and readiness. */
  async logStatus(): Promise<LogStatus[]> {
    const out: LogStatus[] = [];
    for (const log of await this.#loadedLogs()) {
      await this.#current(log);
      const tenantId = log.record.tenantId;
      const latest = await this.store.latestCheckpoint(tenantId);
      const treeSize = Number(log.range.size);
      const checkpointSize = latest?.treeSize ?? 0;
      const [oldest] =
        treeSize > checkpointSize ? await this.store.readEntries(tenantId, checkpointSize, checkpointSize + 1) : [];
      out.push({
        tenant: log.record.name,
        origin: log.record.origin,
        treeSize,
        checkpointSize,
        checkpointSignedAt: latest?.signedAt ?? null,
        oldestUnsignedAt: oldest ? new Date(oldest.receivedMs).toISOString() : null,
      });
    }
    return out;
  }

  /** Current number of entries (sequenced and durable) in the tenant's log. */
  /** The time the ledger stamps received_at with (LedgerOptions.now; the wall clock by default). */
  now(): number {
    return this.#now();
  }

  async treeSize(tenant: string): Promise<number> {
    const log = await this.#tenant(tenant);
    await this.#current(log);
    return Number(log.range.size);
  }

  /** Inclusion proof of entry `index` in the tree of `treeSize`. Requires index < treeSize <= current size. */
  async inclusionProof(tenant: string, index: number, treeSize: number): Promise<Uint8Array[]> {
    const log = await this.#tenant(tenant);
    await this.#current(log);
    this.#checkSize(log, treeSize, "size");
    if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
      throw outOfRange("index", `index must be below the tree size ${treeSize}`);
    }
    return this.#prove(log, inclusionProofRanges(index, treeSize));
  }

  /** Consistency proof from size1 to size2. Requires 0 < size1 <= size2 <= current size. */
  async consistencyProof(tenant: string, size1: number, size2: number): Promise<Uint8Array[]> {
    const log = await this.#tenant(tenant);
    await this.#current(log);
    this.#checkSize(log, size2, "to");
    if (!Number.isSafeInteger(size1) || size1 < 1 || size1 > size2) {
      throw outOfRange("from", `from must be between 1 and ${size2}`);
    }
    return this.#prove(log, consistencyProofRanges(size1, size2));
  }

  /** Root hash of the tenant's tree at any size up to the current one, from stored hashes. */
  async rootHashAt(tenant: string, treeSize: number): Promise<Uint8Array> {
    const log = await this.#tenant(tenant);
    await this.#current(log);
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

  /** Where nodes share the store: brings `log` up to it. Alone, the log in memory is the store's. */
  async #current(log: TenantLog): Promise<void> {
    if (this.#shared) await resyncTenantLog(this.store, this.hasher, log);
  }

  /** Every tenant's log, loading those not loaded yet. */
  async #allLogs(): Promise<TenantLog[]> {
    const logs: TenantLog[] = [];
    for (const t of await this.store.listTenants()) logs.push(await this.#tenant(t.name));
    return logs;
  }

  async #loadedLogs(): Promise<TenantLog[]> {
    const logs = await Promise.all([...this.#tenants.values()].map((p) => p.catch(() => undefined)));
    return logs.filter((l): l is TenantLog => l !== undefined);
  }

  async #tenant(name: string): Promise<TenantLog> {
    let p = this.#tenants.get(name);
    if (!p) {
      p = (async () => {
        const record = await this.store.getTenant(name);
        if (!record) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant named ${name}`);
        this.#tenantIds.set(name, record.tenantId);
        const log = await loadTenantLog(this.store, this.hasher, record, this.digestKeys);
        await this.#sealPlainDisclosures(log);
        return log;
      })();
      this.#tenants.set(name, p);
      p.catch(() => this.#tenants.delete(name));
    }
    return p;
  }

  /** Seals the values a store upgraded from before layout 4 / migration 7 still holds in clear. */
  async #sealPlainDisclosures(log: TenantLog): Promise<void> {
    await this.subjects.sealPlain(
      log.record,
      async (index, pointer) => {
        const [entry] = await this.store.readEntries(log.record.tenantId, index, index + 1);
        const event = entry ? parseLeaf(entry.leafData) : undefined;
        if (!event) return "";
        const definition =
          typeof event.action === "string"
            ? log.registry.resolve(
                event.action,
                typeof event.action_version === "number" ? event.action_version : undefined,
              )
            : undefined;
        return subjectIdOf(event as JsonObject, pointer, definition);
      },
      this.#now(),
    );
  }

  /**
   * Stops accepting, finishes in-flight appends, signs a final checkpoint,
   * stops the seal workers and followers (each finishes the batch in hand;
   * the rest is applied from its cursor on the next start), closes the store.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#publisher.stop();
    await this.#pipeline.close();
    await this.#publisher.publishAll();
    await this.#publisher.release().catch(() => undefined);
    await Promise.all(this.#followers.map((f) => f.close()));
    this.#loopDelay.close();
    await this.store.close();
  }
}

function requireDataDir(options: LedgerOptions, message = "a ledger needs dataDir or a vault"): string {
  if (options.dataDir === undefined) throw new TrailproofError("LEDGER_OPTIONS_INVALID", message);
  return options.dataDir;
}

function outOfRange(param: string, message: string): InvalidInputError {
  return new InvalidInputError("PROOF_SIZE_OUT_OF_RANGE", message, { problems: [{ pointer: `/${param}`, message }] });
}
