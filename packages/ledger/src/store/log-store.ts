// The store contract: exactly what the engine needs, no more. Each backend
// implements it natively (SQLite: one file per tenant, one writer, one
// transaction per tenant per group commit; PostgreSQL, later: a row lock on
// the log's head).
import type { NodeId, StoredNode } from "@trailproof/core";

export type UnknownActionPolicy = "reject" | "accept";

export interface TenantRecord {
  tenantId: number;
  /** Lower-case name, [a-z0-9-], unique; the API's and the CLI's handle. */
  name: string;
  /** The log's checkpoint origin; fixed at creation. */
  origin: string;
  unknownActions: UnknownActionPolicy;
  createdAt: string;
}

/** One sealed entry as the engine writes it. */
export interface EntryRow {
  index: number;
  eventId: string;
  /** RFC 8785 bytes of the committed event: the leaf data. */
  leafData: Uint8Array;
  leafHash: Uint8Array;
  /** Hex SHA-256 of the event as sent, secret and personal values removed: the idempotency check. */
  contentDigest: string;
  receivedMs: number;
  /** Personal values, sealed under their subject's data key, stored beside the leaf so they can be erased. */
  disclosures: SealedDisclosureRow[];
}

/**
 * A personal value as stored: the ledger seals {salt, value} under the data
 * key of `subject` (privacy/sealed-disclosure.ts); the store keeps opaque
 * bytes. `sealed` null is a tombstone: the value was erased with its subject.
 */
export interface SealedDisclosureRow {
  pointer: string;
  /** The subject's keyed pseudonym (never the id): whose value this is. */
  subject: string;
  sealed: Uint8Array | null;
}

/** A subject's data key, wrapped by the master key (privacy/subject-keys.ts). */
export interface NewSubjectKey {
  subject: string;
  wrappedKey: Uint8Array;
  createdMs: number;
}

/** A stored subject key; an erased one has no key left. */
export interface SubjectKeyRow {
  subject: string;
  /** Null once erased: the key is destroyed and cannot be written again. */
  wrappedKey: Uint8Array | null;
  createdMs: number;
  erasedMs: number | null;
  erasureId: string | null;
}

/** One erasure as the store records it, in the transaction that destroys the key. */
export interface ErasureRecord {
  erasureId: string;
  /** The subject's pseudonym. */
  subject: string;
  requestedBy: string;
  approvedBy: string;
  erasedMs: number;
  /** Sealed values deleted (tombstones left). */
  valuesErased: number;
  /** Entries with at least one value deleted. */
  entriesTouched: number;
}

/** What eraseSubject is asked: the erasure without its counts, or with the counts of the store it was copied from. */
export type ErasureRequest = Omit<ErasureRecord, "valuesErased" | "entriesTouched"> & {
  copied?: { valuesErased: number; entriesTouched: number };
};

/** A personal value written before layout 4 (SQLite) or migration 7 (PostgreSQL), in clear: the ledger seals it on open. */
export interface PlainDisclosureRow {
  index: number;
  pointer: string;
  salt: Uint8Array;
  valueJson: string;
}

export interface StoredEntry {
  index: number;
  eventId: string;
  leafData: Uint8Array;
  leafHash: Uint8Array;
  contentDigest: string;
  receivedMs: number;
}

/** What verification reads of an entry: the leaf, and the columns kept beside it that it checks against the leaf. */
export interface StoredLeaf {
  index: number;
  leafData: Uint8Array;
  leafHash: Uint8Array;
  /** The lookup column reads resolve ids by; MUST equal the leaf's id. */
  eventId: string;
  /** MUST equal the leaf's received_at. */
  receivedMs: number;
  /** The idempotency digest; a keyed one MUST equal what the leaf and its personal values give. */
  contentDigest: string;
}

/** One stored personal value with its entry's index. */
export interface StoredDisclosure extends SealedDisclosureRow {
  index: number;
}

export interface CheckpointRow {
  treeSize: number;
  rootHash: Uint8Array;
  /** The signed note, exactly as served. */
  note: string;
  signedAt: string;
}

export interface AppendBatch {
  tenantId: number;
  /** MUST equal the tenant's tree size when the write happens. */
  firstIndex: number;
  entries: EntryRow[];
  /** Every node the entries complete, including level 0. */
  nodes: StoredNode[];
  /** Data keys first used by these entries, written in the same transaction. */
  subjectKeys?: NewSubjectKey[];
}

/**
 * Entries [start, end) whose bodies a retention.prune event (at pruneIndex)
 * removed: leaf data blanked to zero bytes, personal values and search rows
 * deleted; the leaf hash, event id and received time kept (docs/retention.md).
 */
export interface PrunedRange {
  start: number;
  end: number;
  /** Index of the retention.prune entry that lists this range. */
  pruneIndex: number;
}

export interface ActionSchemaRow {
  action: string;
  version: number;
  definition: string;
  registeredAt: string;
}

export interface LogStore {
  createTenant(tenant: Omit<TenantRecord, "tenantId">): Promise<TenantRecord>;
  getTenant(name: string): Promise<TenantRecord | undefined>;
  listTenants(): Promise<TenantRecord[]>;
  /** Changes a tenant's settings; its name and origin never change. */
  setUnknownActions(tenantId: number, policy: UnknownActionPolicy): Promise<void>;

  /** Number of entries in the tenant's log (the next index). */
  treeSize(tenantId: number): Promise<number>;
  /**
   * Writes one tenant's batch atomically and durably (fsynced) before
   * resolving. MUST reject, writing nothing, if firstIndex is not the
   * tenant's current size or an event id repeats: sequencing stays gapless.
   * Tenants are independent: one tenant's failed batch leaves others alone.
   * MUST reject with STORE_SUBJECT_KEY_CONFLICT, writing nothing, where a
   * subjectKeys row names a stored subject (another node created it first),
   * or a sealed (non-null) disclosure names a subject whose key is erased or
   * is neither stored nor in subjectKeys: nothing is ever sealed under a key
   * that is not stored, or under one destroyed meanwhile.
   */
  appendBatch(batch: AppendBatch): Promise<void>;
  /** Stored hashes of perfect subtrees; MUST include every requested node that exists. */
  readNodes(tenantId: number, nodes: readonly NodeId[]): Promise<Map<string, Uint8Array>>;
  findEntryByEventId(tenantId: number, eventId: string): Promise<StoredEntry | undefined>;
  /** The stored entries among `eventIds`, by event id (one round trip: the idempotency check of a batch). */
  findEntriesByEventIds(tenantId: number, eventIds: readonly string[]): Promise<Map<string, StoredEntry>>;
  /** Entries with start <= index < end, in index order. */
  readEntries(tenantId: number, start: number, end: number): Promise<StoredEntry[]>;
  /**
   * Leaves with start <= index < end, in index order: what verification
   * reads, without the columns it does not need.
   */
  readLeaves(tenantId: number, start: number, end: number): Promise<StoredLeaf[]>;
  /** Personal values of one entry, by pointer, as stored (tombstones included). */
  readDisclosures(tenantId: number, index: number): Promise<StoredDisclosure[]>;
  /** Every stored personal value of entries start <= index < end, by index then pointer, as stored. */
  readDisclosureRange(tenantId: number, start: number, end: number): Promise<StoredDisclosure[]>;

  /**
   * Records `ranges` (all of one retention.prune entry) and removes their
   * bodies, in ONE durable transaction: each range is appended to the
   * tenant's pruned_ranges, each entry's leaf data becomes zero bytes (leaf
   * hash, event id, received time and every tree node stay), its personal
   * values and search-projection rows are deleted. MUST reject, changing
   * nothing, with STORE_PRUNE_INVALID when a range is empty, overlaps a
   * recorded or another given range, or does not lie below its pruneIndex,
   * or pruneIndex is not an entry of the log. Requires the search projection
   * to cover every pruned entry (the engine prunes only below its cursor).
   */
  pruneBodies(tenantId: number, ranges: readonly PrunedRange[]): Promise<void>;
  /** Every recorded pruned range of the tenant, by start. */
  readPrunedRanges(tenantId: number): Promise<PrunedRange[]>;
  /** The stored key rows among `subjects`, by subject. */
  readSubjectKeys(tenantId: number, subjects: readonly string[]): Promise<Map<string, SubjectKeyRow>>;
  /** Every key row of the tenant, by subject: what rotation rewraps and verification checks tombstones against. */
  listSubjectKeys(tenantId: number): Promise<SubjectKeyRow[]>;
  /**
   * Replaces wrapped keys (master-key rotation), all in one transaction.
   * MUST refuse (STORE_SUBJECT_KEY_CONFLICT, nothing written) to give an
   * erased or missing subject a key: an erased key never comes back.
   */
  rewrapSubjectKeys(tenantId: number, rows: readonly { subject: string; wrappedKey: Uint8Array }[]): Promise<void>;
  /**
   * Crypto-shredding, in one durable transaction: the subject's wrapped key
   * set to null with erasedMs and erasureId (a row is created, already
   * erased, for a subject with no key yet, so its later values are written
   * erased), every sealed value of the subject deleted leaving its tombstone,
   * and the erasure recorded with its counts. For a subject already erased
   * it changes nothing and returns the first erasure with `created` false.
   * `copied` (a migration replaying another store's erasure over tombstones
   * it copied) records that store's counts instead of the ones found here.
   */
  eraseSubject(tenantId: number, erasure: ErasureRequest): Promise<{ record: ErasureRecord; created: boolean }>;
  /** The tenant's erasures, oldest first. */
  listErasures(tenantId: number): Promise<ErasureRecord[]>;
  /** Up to `limit` personal values still stored in clear (from before sealing), by index then pointer. */
  readPlainDisclosures(tenantId: number, limit: number): Promise<PlainDisclosureRow[]>;
  /**
   * Stores the sealed form of plain values and their new keys and deletes
   * the plain rows they replace, in one transaction: never both, never neither.
   */
  replacePlainDisclosures(
    tenantId: number,
    rows: readonly StoredDisclosure[],
    subjectKeys: readonly NewSubjectKey[],
  ): Promise<void>;

  putCheckpoint(tenantId: number, checkpoint: CheckpointRow): Promise<void>;
  latestCheckpoint(tenantId: number): Promise<CheckpointRow | undefined>;
  listCheckpoints(tenantId: number): Promise<CheckpointRow[]>;

  putActionSchema(tenantId: number, row: ActionSchemaRow): Promise<void>;
  listActionSchemas(tenantId: number): Promise<ActionSchemaRow[]>;

  close(): Promise<void>;
}
