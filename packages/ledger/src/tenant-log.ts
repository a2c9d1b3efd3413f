// In-memory state of one tenant's log: its record, the right edge of its
// tree (resumed from stored hashes in O(log n) reads), its action registry,
// its digest key and its checkpoint and clock positions. Where several nodes
// append to one store, resyncTenantLog brings it up to what the store holds.
import {
  type ActionDefinition,
  ActionRegistry,
  CompactRange,
  type Hasher,
  hasErrorCode,
  isKeyedContentDigest,
  TrailproofError,
  tenantCatalogue,
} from "@trailproof/core";
import type { DigestKeyStore } from "./keys/digest-keys.js";
import type { LogStore, TenantRecord } from "./store/log-store.js";

export interface TenantLog {
  record: TenantRecord;
  range: CompactRange;
  registry: ActionRegistry;
  /** Bumped on every change to `registry`, so seal workers know to reload it. */
  registryVersion: number;
  /** Stored action schemas the registry holds (another node may have added more). */
  storedSchemas: number;
  lastCheckpointSize: number;
  /** received_at is stamped non-decreasing in log order; verification relies on it. */
  lastReceivedMs: number;
  /**
   * received_at of the newest entry known to be in the store. An entry
   * stamped before it (another node wrote later stamps first) is restamped
   * before it is written (append/write-entries.ts).
   */
  lastWrittenMs: number;
  /** The tenant's secret key for idempotency digests (keys/digest-keys.ts). */
  digestKey: Uint8Array;
}

export async function loadTenantLog(
  store: LogStore,
  hasher: Hasher,
  record: TenantRecord,
  digestKeys: DigestKeyStore,
): Promise<TenantLog> {
  const size = BigInt(await store.treeSize(record.tenantId));
  const range = await rangeAt(store, hasher, record, size);
  const stored = await storedDefinitions(store, record.tenantId);
  const registry = new ActionRegistry(tenantCatalogue(stored));
  const latest = await store.latestCheckpoint(record.tenantId);
  const [last] = size > 0n ? await store.readEntries(record.tenantId, Number(size) - 1, Number(size)) : [];
  return {
    record,
    range,
    registry,
    registryVersion: 0,
    storedSchemas: stored.length,
    lastCheckpointSize: latest?.treeSize ?? 0,
    lastReceivedMs: last?.receivedMs ?? 0,
    lastWrittenMs: last?.receivedMs ?? 0,
    digestKey: await digestKeyOf(digestKeys, record.name, last?.contentDigest),
  };
}

/**
 * Brings `log` up to the store after other nodes appended: the tree's right
 * edge at the stored size, the newest received_at, schemas they registered.
 * Resolves whether the size moved. Throws STORE_SIZE_SHRANK if the store
 * holds fewer entries than this process has seen committed.
 */
export async function resyncTenantLog(store: LogStore, hasher: Hasher, log: TenantLog): Promise<boolean> {
  const tenantId = log.record.tenantId;
  const size = await store.treeSize(tenantId);
  const known = Number(log.range.size);
  if (size < known) {
    throw new TrailproofError(
      "STORE_SIZE_SHRANK",
      `tenant ${log.record.name}'s log holds ${size} entries, ${known} were committed`,
    );
  }
  const stored = await storedDefinitions(store, tenantId);
  if (stored.length !== log.storedSchemas) {
    log.registry = new ActionRegistry(tenantCatalogue(stored));
    log.storedSchemas = stored.length;
    log.registryVersion++;
  }
  if (size === known) return false;
  const range = await rangeAt(store, hasher, log.record, BigInt(size));
  const [last] = await store.readEntries(tenantId, size - 1, size);
  advanceTenantLog(log, range, last?.receivedMs ?? 0);
  return true;
}

/**
 * Moves `log` forward to `range` (a size now in the store), never back: a
 * writer and a resync finishing in either order leave the larger.
 */
export function advanceTenantLog(log: TenantLog, range: CompactRange, newestReceivedMs: number): void {
  if (range.size > log.range.size) log.range = range;
  log.lastWrittenMs = Math.max(log.lastWrittenMs, newestReceivedMs);
  log.lastReceivedMs = Math.max(log.lastReceivedMs, newestReceivedMs);
}

async function rangeAt(store: LogStore, hasher: Hasher, record: TenantRecord, size: bigint): Promise<CompactRange> {
  const ids = CompactRange.nodesFor(size);
  const hashes = await store.readNodes(record.tenantId, ids);
  const nodes = ids.map((id) => {
    const hash = hashes.get(`${id.level}:${id.index}`);
    if (!hash) throw new Error(`stored tree of ${record.name} lacks node ${id.level}:${id.index}`);
    return { ...id, hash };
  });
  return CompactRange.fromNodes(hasher, size, nodes);
}

async function storedDefinitions(store: LogStore, tenantId: number): Promise<ActionDefinition[]> {
  return (await store.listActionSchemas(tenantId)).map((r) => JSON.parse(r.definition) as ActionDefinition);
}

/**
 * The tenant's digest key. One is generated for a new tenant, and for a log
 * written before log format v2 (its newest digest is unkeyed); a log whose
 * newest entry has a keyed digest MUST find its key: a new one would make
 * every retry of its events a conflict, so its absence is an error. Two
 * nodes loading a new tenant at once race to generate it: the one that finds
 * the other's key already stored (DIGEST_KEY_EXISTS) uses that one.
 */
async function digestKeyOf(
  keys: DigestKeyStore,
  tenant: string,
  newestDigest: string | undefined,
): Promise<Uint8Array> {
  const key = await keys.find(tenant);
  if (key) return key;
  if (newestDigest !== undefined && isKeyedContentDigest(newestDigest)) {
    throw new TrailproofError(
      "DIGEST_KEY_MISSING",
      `tenant ${tenant} has entries with keyed digests but no keys/${tenant}/digest-key: restore keys/ from the backup`,
    );
  }
  try {
    return await keys.create(tenant);
  } catch (err) {
    const theirs = hasErrorCode(err, "DIGEST_KEY_EXISTS") ? await keys.find(tenant) : undefined;
    if (theirs) return theirs;
    throw err;
  }
}
