// Messages between the ledger and its seal workers (seal-worker.ts). Each
// worker serves jobs in the order it receives them; a job carries the
// tenant's registry definitions only when the worker's copy is stale.
import type { ActionDefinition, AppendedBy, OccurredAtBounds } from "@trailproof/core";
import type { SealOutcome } from "../prepare-entry.js";
import type { UnknownActionPolicy } from "../store/log-store.js";

export interface SealJob {
  id: number;
  /** Registry identity: `registryKey` at `registryVersion`. */
  registryKey: string;
  registryVersion: number;
  /** Present when the worker MUST rebuild the registry before sealing (new worker or new version). */
  definitions?: ActionDefinition[];
  unknownActions: UnknownActionPolicy;
  /** The policy travels with every job, as unknownActions does: a worker holds no settings of its own. */
  occurredAtBounds: OccurredAtBounds;
  appendedBy: AppendedBy;
  /** The tenant's digest key, 32 bytes. */
  digestKey: Uint8Array;
  inputs: unknown[];
  /** received_at of each input, stamped by the ledger in log order. */
  receivedMs: number[];
}

export type SealReply = { id: number; outcomes: SealOutcome[] } | { id: number; error: string };
