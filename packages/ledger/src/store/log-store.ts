// The store contract: exactly what the engine needs, no more. Each backend
// implements it natively (SQLite: one file per tenant, one writer, one
// transaction per tenant per group commit; PostgreSQL, later: a row lock on
// the log's head).
import type { JsonValue, NodeId, StoredNode } from "@trailproof/core";

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
  /** Personal values with their salts, stored beside the leaf so they can be erased. */
  disclosures: { pointer: string; salt: Uint8Array; value: JsonValue }[];
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
export interface StoredDisclosure {
  index: number;
  pointer: string;
  salt: Uint8Array;
  /** The stored text, unparsed: verification checks it against the commitment as stored. */
  valueJson: string;
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
  /** Personal values of one entry; a stored value that is not JSON comes back as its text (it fails its commitment). */
  readDisclosures(tenantId: number, index: number): Promise<{ pointer: string; salt: Uint8Array; value: JsonValue }[]>;
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

  putCheckpoint(tenantId: number, checkpoint: CheckpointRow): Promise<void>;
  latestCheckpoint(tenantId: number): Promise<CheckpointRow | undefined>;
  listCheckpoints(tenantId: number): Promise<CheckpointRow[]>;

  putActionSchema(tenantId: number, row: ActionSchemaRow): Promise<void>;
  listActionSchemas(tenantId: number): Promise<ActionSchemaRow[]>;

  close(): Promise<void>;
}
