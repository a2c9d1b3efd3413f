// Sealing one append's events: inline for small appends (a worker round
// trip costs more than it saves), on the worker pool otherwise, always with
// the registry, unknown-action policy and digest key the tenant has at
// dispatch, the ledger's occurred_at bounds and the append's appender.
import type { AppendedBy, Hasher, OccurredAtBounds } from "@trailproof/core";
import { type SealOutcome, sealEntry } from "../prepare-entry.js";
import type { TenantLog } from "../tenant-log.js";
import type { SealPool } from "./seal-pool.js";

/**
 * Appends of fewer events are sealed inline: measured on 2 cores, posting 1-8
 * events to a worker added 1-3 ms per append, and broke even at 16.
 */
export const SEAL_INLINE_BELOW_EVENTS = 16;
/** A batch is split across workers only into parts at least this large. */
const SEAL_MIN_CHUNK_EVENTS = 64;

/** What every event of one append is sealed with, beside the tenant's own settings. */
export interface SealBatchOptions {
  appendedBy: AppendedBy;
  occurredAtBounds: OccurredAtBounds;
}

export function sealBatch(
  pool: SealPool | undefined,
  hasher: Hasher,
  log: TenantLog,
  inputs: readonly unknown[],
  receivedMs: number[],
  { appendedBy, occurredAtBounds }: SealBatchOptions,
): Promise<SealOutcome[]> | SealOutcome[] {
  const unknownActions = log.record.unknownActions;
  const { digestKey } = log;
  if (!pool || inputs.length < SEAL_INLINE_BELOW_EVENTS) {
    const { registry } = log;
    return inputs.map((input, k) =>
      sealEntry(input, {
        registry,
        unknownActions,
        hasher,
        receivedMs: receivedMs[k] as number,
        appendedBy,
        digestKey,
        occurredAtBounds,
      }),
    );
  }
  return pool.seal(
    {
      registryKey: String(log.record.tenantId),
      registryVersion: log.registryVersion,
      definitions: () => log.registry.list(),
      unknownActions,
      occurredAtBounds,
      appendedBy,
      digestKey,
      inputs,
      receivedMs,
    },
    SEAL_MIN_CHUNK_EVENTS,
  );
}
