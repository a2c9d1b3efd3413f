// The sequencer-integrator: inside one group commit, resolve idempotent
// retries (one store lookup per tenant for the whole batch), assign gapless
// indexes, extend each tenant's tree and write each tenant's batch in one
// durable transaction. A tenant's in-memory tree advances only after its
// write succeeds, so a failed write leaves nothing half-applied; one
// tenant's failure fails only that tenant's items.
import { type StoredNode, toBase64 } from "@trailproof/core";
import type { PendingEntry } from "../prepare-entry.js";
import type { AppendBatch, EntryRow, LogStore } from "../store/log-store.js";
import type { TenantLog } from "../tenant-log.js";
import type { AppendResult } from "./append-result.js";

/** One result per item, in order; an Error where that item's tenant could not be written. */
export type WriteOutcome = AppendResult | Error;

/** What a receipt needs of an entry, stored or in this batch. */
interface Sealed {
  eventId: string;
  index: number;
  leafHash: Uint8Array;
  receivedMs: number;
  contentDigest: string;
}

export async function writeEntries(
  store: LogStore,
  items: readonly PendingEntry[],
  onWritten: (log: TenantLog) => void,
): Promise<WriteOutcome[]> {
  const results: WriteOutcome[] = new Array(items.length);
  const byTenant = new Map<TenantLog, number[]>();
  items.forEach((item, i) => {
    const slots = byTenant.get(item.log) ?? [];
    slots.push(i);
    byTenant.set(item.log, slots);
  });
  for (const [log, slots] of byTenant) {
    try {
      await writeTenant(store, log, items, slots, results);
      onWritten(log);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const i of slots) results[i] = error;
    }
  }
  return results;
}

async function writeTenant(
  store: LogStore,
  log: TenantLog,
  items: readonly PendingEntry[],
  slots: readonly number[],
  results: WriteOutcome[],
): Promise<void> {
  const stored = await store.findEntriesByEventIds(
    log.record.tenantId,
    slots.map((i) => (items[i] as PendingEntry).row.eventId),
  );
  const range = log.range.clone();
  const batch: AppendBatch = { tenantId: log.record.tenantId, firstIndex: Number(range.size), entries: [], nodes: [] };
  const seen = new Map<string, Sealed>();
  for (const i of slots) {
    const { row } = items[i] as PendingEntry;
    const earlier = seen.get(row.eventId) ?? stored.get(row.eventId);
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
    const entry: EntryRow = { ...row, index: Number(range.size) };
    const nodes: StoredNode[] = range.append(entry.leafHash);
    batch.entries.push(entry);
    for (const n of nodes) batch.nodes.push(n);
    seen.set(entry.eventId, entry);
    results[i] = receipt("created", entry);
  }
  if (batch.entries.length === 0) return;
  await store.appendBatch(batch);
  log.range = range;
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
