// The sequencer-integrator: inside one group commit, resolve idempotent
// retries, assign gapless indexes, extend each tenant's tree and write it all
// in one durable transaction. In-memory trees advance only after the write
// succeeds, so a failed write leaves nothing half-applied.
import { type StoredNode, toBase64 } from "@trailproof/core";
import type { AppendResult } from "./ledger.js";
import type { PendingEntry } from "./prepare-entry.js";
import type { AppendBatch, EntryRow, LogStore } from "./store/log-store.js";
import type { TenantLog } from "./tenant-log.js";

export async function writeEntries(store: LogStore, items: PendingEntry[]): Promise<AppendResult[]> {
  const results: AppendResult[] = new Array(items.length);
  const batches = new Map<TenantLog, { batch: AppendBatch; range: TenantLog["range"] }>();
  const seen = new Map<TenantLog, Map<string, Sealed>>();

  for (let i = 0; i < items.length; i++) {
    const { log, row } = items[i] as PendingEntry;
    const ids = seen.get(log) ?? new Map<string, Sealed>();
    seen.set(log, ids);
    const earlier = ids.get(row.eventId) ?? (await storedEntry(store, log, row.eventId));
    if (earlier) {
      results[i] =
        earlier.contentDigest === row.contentDigest
          ? receipt("duplicate", earlier)
          : {
              status: "rejected",
              id: row.eventId,
              problems: [
                { pointer: "/id", message: "an event with this id but different content was already recorded" },
              ],
            };
      continue;
    }
    let pending = batches.get(log);
    if (!pending) {
      const range = log.range.clone();
      pending = {
        batch: { tenantId: log.record.tenantId, firstIndex: Number(range.size), entries: [], nodes: [] },
        range,
      };
      batches.set(log, pending);
    }
    const entry: EntryRow = { ...row, index: Number(pending.range.size) };
    const nodes: StoredNode[] = pending.range.append(entry.leafHash);
    pending.batch.entries.push(entry);
    for (const n of nodes) pending.batch.nodes.push(n);
    ids.set(entry.eventId, entry);
    results[i] = receipt("created", entry);
  }

  if (batches.size > 0) {
    await store.appendBatches([...batches.values()].map((p) => p.batch));
    for (const [log, p] of batches) log.range = p.range;
  }
  return results;
}

/** What a receipt needs of an entry, stored or in this batch. */
interface Sealed {
  eventId: string;
  index: number;
  leafHash: Uint8Array;
  receivedMs: number;
  contentDigest: string;
}

function storedEntry(store: LogStore, log: TenantLog, eventId: string): Promise<Sealed | undefined> {
  return store.findEntryByEventId(log.record.tenantId, eventId);
}

function receipt(status: "created" | "duplicate", e: Sealed): AppendResult {
  return {
    status,
    id: e.eventId,
    index: e.index,
    leafHash: toBase64(e.leafHash),
    receivedAt: new Date(e.receivedMs).toISOString(),
  };
}
