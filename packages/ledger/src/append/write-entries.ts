// The sequencer-integrator: inside one group commit, resolve idempotent
// retries (one store lookup per tenant for the whole batch), assign gapless
// indexes, extend each tenant's tree and write each tenant's batch in one
// durable transaction. A tenant's in-memory tree advances only after its
// write succeeds, so a failed write leaves nothing half-applied; one
// tenant's failure fails only that tenant's items. Where another node
// appended first (the store refuses the batch's first index, or an id it
// wrote meanwhile), the tenant's tree is brought up to the store, entries
// stamped before its newest are restamped, and the batch is tried again.
import {
  type ErrorCode,
  type Hasher,
  hasErrorCode,
  isKeyedContentDigest,
  LIBRARY_APPENDER,
  legacyContentDigest,
  type Problem,
  type StoredNode,
  toBase64,
} from "@trailproof/core";
import type { PendingEntry, SubjectDisclosure } from "../prepare-entry.js";
import type { SubjectVault } from "../privacy/subject-vault.js";
import type { AppendBatch, EntryRow, LogStore } from "../store/log-store.js";
import { advanceTenantLog, resyncTenantLog, type TenantLog } from "../tenant-log.js";
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

/**
 * The one answer to a repeated id that is not a duplicate, whatever the
 * difference: it says the id is taken and nothing about the recorded event.
 */
export const ID_TAKEN_PROBLEM: Problem = {
  pointer: "/id",
  message:
    "an event with this id is already recorded, with different content (personal values included) or sent with a different key: an id names one event, so send a new event with a new id",
};

export async function writeEntries(
  store: LogStore,
  hasher: Hasher,
  vault: SubjectVault,
  items: PendingEntry[],
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
      for (let attempt = 1; ; attempt++) {
        try {
          await writeTenant(store, hasher, vault, log, items, slots, results);
          break;
        } catch (err) {
          if (!RACES.some((code) => hasErrorCode(err, code)) || attempt >= MAX_WRITE_ATTEMPTS) throw err;
          // Another node created or erased a subject key: read them again.
          if (hasErrorCode(err, "STORE_SUBJECT_KEY_CONFLICT")) vault.forgetAll();
          await resyncTenantLog(store, hasher, log);
          // Nodes that keep colliding take turns rather than retrying in step.
          await new Promise((r) => setTimeout(r, Math.random() * attempt * 2));
        }
      }
      onWritten(log);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      for (const i of slots) results[i] = error;
    }
  }
  return results;
}

/** What another node's append, committed between our read and our write, looks like. */
const RACES: readonly ErrorCode[] = [
  "STORE_SEQUENCE_CONFLICT",
  "STORE_EVENT_ID_CONFLICT",
  "STORE_SUBJECT_KEY_CONFLICT",
];
/** Tries per group commit before its appends fail (with the store's error, a 503 to clients). */
const MAX_WRITE_ATTEMPTS = 20;

/**
 * Keeps received_at non-decreasing in log order after another node's
 * entries: each item of `slots` stamped before the log's newest entry is
 * sealed again at that time (same id, same content). An item that no longer
 * seals is rejected with its problems and dropped from `slots`.
 */
function restamp(log: TenantLog, items: PendingEntry[], slots: number[], results: WriteOutcome[]): void {
  for (let k = 0; k < slots.length; k++) {
    const i = slots[k] as number;
    const item = items[i] as PendingEntry;
    if (item.row.receivedMs >= log.lastWrittenMs || !item.reseal) continue;
    const outcome = item.reseal(log.lastWrittenMs);
    if ("problems" in outcome) {
      results[i] = { status: "rejected", id: outcome.id, problems: outcome.problems };
      slots.splice(k--, 1);
    } else {
      items[i] = { ...item, row: outcome.row };
    }
  }
}

async function writeTenant(
  store: LogStore,
  hasher: Hasher,
  vault: SubjectVault,
  log: TenantLog,
  items: PendingEntry[],
  slots: number[],
  results: WriteOutcome[],
): Promise<void> {
  const stored = await store.findEntriesByEventIds(
    log.record.tenantId,
    slots.map((i) => (items[i] as PendingEntry).row.eventId),
  );
  // Entries another node wrote (found by a conflict, or by a resync before
  // signing) may carry later stamps. Restamped against the very tree this
  // batch extends: no await between the two, or a resync could move the
  // tree past newer stamps in between.
  restamp(log, items, slots, results);
  const range = log.range.clone();
  const batch: AppendBatch = { tenantId: log.record.tenantId, firstIndex: Number(range.size), entries: [], nodes: [] };
  const plain: (Omit<EntryRow, "disclosures"> & { disclosures: SubjectDisclosure[] })[] = [];
  const seen = new Map<string, Sealed>();
  for (const i of slots) {
    const item = items[i] as PendingEntry;
    const { row } = item;
    const earlier = seen.get(row.eventId) ?? stored.get(row.eventId);
    if (earlier) {
      // The digest covers the appender, so a duplicate receipt goes only to
      // the key that sent the event: it repeats that key's own receipt.
      results[i] = isRetryOf(earlier, item, hasher)
        ? receipt("duplicate", earlier)
        : { status: "rejected", id: row.eventId, problems: [ID_TAKEN_PROBLEM] };
      continue;
    }
    const entry = { ...row, index: Number(range.size) };
    const nodes: StoredNode[] = range.append(entry.leafHash);
    plain.push(entry);
    for (const n of nodes) batch.nodes.push(n);
    seen.set(entry.eventId, entry);
    results[i] = receipt("created", entry);
  }
  if (plain.length === 0) return;
  const sealed = await vault.sealEntries(log.record, plain, Date.now());
  batch.entries = sealed.entries;
  batch.subjectKeys = sealed.subjectKeys;
  await store.appendBatch(batch);
  sealed.commit();
  advanceTenantLog(log, range, (batch.entries[batch.entries.length - 1] as EntryRow).receivedMs);
}

/**
 * Whether `item` repeats `earlier`. An entry written before log format v2
 * keeps its unkeyed digest, over the event as sent without its secret and
 * personal values: the retry's digest of that form is computed here, rarely
 * (only a retry of such an entry gets here), on this thread. Those entries
 * name no appender, so for them alone a repeat from any key with the same
 * content but other personal values is still a duplicate.
 */
function isRetryOf(earlier: Sealed, item: PendingEntry, hasher: Hasher): boolean {
  if (isKeyedContentDigest(earlier.contentDigest)) return earlier.contentDigest === item.row.contentDigest;
  try {
    const legacy = legacyContentDigest(item.input, {
      registry: item.log.registry,
      unknownActions: item.log.record.unknownActions,
      receivedAt: new Date(item.row.receivedMs),
      newId: () => item.row.eventId,
      hasher,
      // Salts and the appender do not reach the v1 digest; the event passed its bounds when it was sealed.
      randomBytes: (n) => new Uint8Array(n),
      appendedBy: LIBRARY_APPENDER,
      occurredAtBounds: { minMs: Number.MIN_SAFE_INTEGER, maxAheadMs: Number.MAX_SAFE_INTEGER },
    });
    return legacy === earlier.contentDigest;
  } catch {
    // The input was sealed a moment ago; if it no longer seals (the registry changed), it is no repeat.
    return false;
  }
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
