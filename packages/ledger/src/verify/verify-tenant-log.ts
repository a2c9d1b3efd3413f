// `trailproof verify --data`: recomputes every leaf from the stored events,
// every tree node and every signed root, checks each checkpoint's signature
// against keys kept outside the database, and the consistency of consecutive
// checkpoints through proofs built from the stored hashes.
import {
  consistencyProofRanges,
  type Divergence,
  equalBytes,
  type Hasher,
  LogVerifier,
  type NoteVerifier,
  nodeKey,
  parseVerifierKey,
  type StoredNode,
  TrailproofError,
  verifyCheckpointChain,
} from "@trailproof/core";
import { hashRangesFromStore } from "../prove.js";
import type { LogStore } from "../store/log-store.js";

export interface VerifyOptions {
  /** Verifier keys to trust; default: the tenant's keys from the key directory. */
  verifierKeys: readonly string[];
  /** Entries read per store round trip. */
  chunkSize?: number;
  onProgress?: (verified: number, total: number) => void;
}

export interface VerifyReport {
  tenant: string;
  origin: string;
  treeSize: number;
  checkpoints: number;
  ok: boolean;
  divergences: Divergence[];
}

export async function verifyTenantLog(
  store: LogStore,
  hasher: Hasher,
  tenant: string,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const record = await store.getTenant(tenant);
  if (!record) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant named ${tenant}`);
  const verifiers: NoteVerifier[] = options.verifierKeys.map((k) => parseVerifierKey(hasher, k));
  const stored = await store.listCheckpoints(record.tenantId);
  const verifier = new LogVerifier(hasher, {
    origin: record.origin,
    verifiers,
    checkpoints: stored.map((c) => c.note),
  });
  const total = await store.treeSize(record.tenantId);
  const chunk = options.chunkSize ?? 10_000;

  for (let start = 0; start < total; start += chunk) {
    const entries = await store.readEntries(record.tenantId, start, Math.min(start + chunk, total));
    const interior: StoredNode[] = [];
    for (const e of entries) {
      const nodes = verifier.addEntry(e.index, e.leafData);
      const leaf = nodes[0] as StoredNode;
      if (!equalBytes(leaf.hash, e.leafHash)) {
        verifier.report("LEAF_MISMATCH", e.index, `entry ${e.index} does not hash to the leaf hash sealed for it`);
      }
      for (const n of nodes) if (n.level > 0) interior.push(n);
    }
    await compareStoredNodes(store, record.tenantId, interior, verifier);
    options.onProgress?.(Math.min(start + chunk, total), total);
  }

  const divergences = verifier.finish();
  const provable = verifier.checkpoints.filter((c) => c.treeSize <= BigInt(total));
  const chain = await verifyCheckpointChain(hasher, provable, (a, b) =>
    hashRangesFromStore(store, hasher, record.tenantId, consistencyProofRanges(a, b)).catch(() => []),
  );
  divergences.push(...chain);
  divergences.sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER));
  return {
    tenant,
    origin: record.origin,
    treeSize: total,
    checkpoints: verifier.checkpoints.length,
    ok: divergences.length === 0 && verifier.checkpoints.length > 0,
    divergences,
  };
}

/**
 * Interior nodes are what proofs are served from: each must equal its
 * recomputed value. `nodes` come bottom-up, so the smallest differing
 * subtree is seen first; its ancestors, or a node above an entry already
 * reported, are consequences rather than news and are not reported again.
 */
async function compareStoredNodes(store: LogStore, tenantId: number, nodes: StoredNode[], verifier: LogVerifier) {
  if (nodes.length === 0) return;
  const stored = await store.readNodes(tenantId, nodes);
  const suspects = verifier.divergences.flatMap((d) => (d.index === null ? [] : [d.index]));
  for (const n of nodes) {
    const h = stored.get(nodeKey(n));
    if (!h || !equalBytes(h, n.hash)) {
      const first = Number(n.index << BigInt(n.level));
      const end = first + 2 ** n.level;
      if (suspects.some((i) => i >= first && i < end)) continue;
      suspects.push(first);
      verifier.report(
        "NODE_MISMATCH",
        first,
        `stored tree node ${nodeKey(n)} (entries from ${first}) differs from the recomputed one`,
      );
    }
  }
}
