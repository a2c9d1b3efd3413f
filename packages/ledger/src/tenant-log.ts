// In-memory state of one tenant's log: its record, the right edge of its
// tree (resumed from stored hashes in O(log n) reads), its action registry
// and its checkpoint and clock positions.
import { type ActionDefinition, ActionRegistry, builtinCatalogue, CompactRange, type Hasher } from "@trailproof/core";
import type { LogStore, TenantRecord } from "./store/log-store.js";

export interface TenantLog {
  record: TenantRecord;
  range: CompactRange;
  registry: ActionRegistry;
  /** Bumped on every change to `registry`, so seal workers know to reload it. */
  registryVersion: number;
  lastCheckpointSize: number;
  /** received_at is stamped non-decreasing in log order; verification relies on it. */
  lastReceivedMs: number;
}

export async function loadTenantLog(store: LogStore, hasher: Hasher, record: TenantRecord): Promise<TenantLog> {
  const size = BigInt(await store.treeSize(record.tenantId));
  const ids = CompactRange.nodesFor(size);
  const hashes = await store.readNodes(record.tenantId, ids);
  const nodes = ids.map((id) => {
    const hash = hashes.get(`${id.level}:${id.index}`);
    if (!hash) throw new Error(`stored tree of ${record.name} lacks node ${id.level}:${id.index}`);
    return { ...id, hash };
  });
  const range = CompactRange.fromNodes(hasher, size, nodes);
  const stored = (await store.listActionSchemas(record.tenantId)).map(
    (r) => JSON.parse(r.definition) as ActionDefinition,
  );
  const registry = new ActionRegistry([...builtinCatalogue, ...stored]);
  const latest = await store.latestCheckpoint(record.tenantId);
  const [last] = size > 0n ? await store.readEntries(record.tenantId, Number(size) - 1, Number(size)) : [];
  return {
    record,
    range,
    registry,
    registryVersion: 0,
    lastCheckpointSize: latest?.treeSize ?? 0,
    lastReceivedMs: last?.receivedMs ?? 0,
  };
}
