// Checkpoints as routes read them: only what the publisher has signed. No
// route signs one (a GET writes nothing, and signing has one serialised path,
// the publisher's), so a read that needs newer entries covered waits, bounded,
// for the publisher's next round instead.
import { setTimeout as sleep } from "node:timers/promises";
import { toBase64 } from "@trailproof/core";
import type { CheckpointRow, Ledger } from "@trailproof/ledger";

const POLL_MS = 50;
const MAX_WAIT_MS = 5000;

/** The tenant's newest signed checkpoint, read from the store, which never signs; undefined before the first. */
export async function latestSignedCheckpoint(ledger: Ledger, tenant: string): Promise<CheckpointRow | undefined> {
  const { tenantId } = await ledger.tenantRecord(tenant);
  return ledger.store.latestCheckpoint(tenantId);
}

/**
 * The newest signed checkpoint if it covers entry `index` (treeSize > index),
 * waiting up to two publishing intervals (at most 5 s) for the publisher to
 * sign one; otherwise the newest as it is, or undefined. With no publisher
 * (`checkpointIntervalMs` 0) it does not wait.
 */
export async function checkpointCovering(
  ledger: Ledger,
  tenant: string,
  index: number,
  checkpointIntervalMs: number,
): Promise<CheckpointRow | undefined> {
  const deadline = Date.now() + Math.min(2 * checkpointIntervalMs, MAX_WAIT_MS);
  for (;;) {
    const checkpoint = await latestSignedCheckpoint(ledger, tenant);
    if ((checkpoint && checkpoint.treeSize > index) || Date.now() >= deadline) return checkpoint;
    await sleep(POLL_MS);
  }
}

/**
 * Entry `entry`'s inclusion proof in `checkpoint`, which MUST cover it
 * (treeSize > entry.index), as every route serves one: the signed note and
 * the RFC 6962 proof from the entry's leaf hash to its root.
 */
export async function proofIn(
  ledger: Ledger,
  tenant: string,
  entry: { index: number; leafHash: Uint8Array },
  checkpoint: CheckpointRow,
): Promise<{ checkpoint: string; inclusion: { index: number; size: number; leaf_hash: string; proof: string[] } }> {
  const proof = await ledger.inclusionProof(tenant, entry.index, checkpoint.treeSize);
  return {
    checkpoint: checkpoint.note,
    inclusion: {
      index: entry.index,
      size: checkpoint.treeSize,
      leaf_hash: toBase64(entry.leafHash),
      proof: proof.map(toBase64),
    },
  };
}
