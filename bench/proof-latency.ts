// Proof latency from stored hashes: inclusion proofs of spread-out entries in
// the current tree, and consistency proofs from spread-out earlier sizes.
import type { Ledger } from "@trailproof/ledger";
import { type LatencySummary, summarise } from "./stats.js";

export interface ProofLatency {
  treeSize: number;
  inclusion: LatencySummary;
  consistency: LatencySummary;
  /** Hashes in one proof at this size (inclusion, consistency), for the record. */
  inclusionHashes: number;
  consistencyHashes: number;
}

/** Deterministic spread of indexes over [0, n): a multiplicative step by a large prime. */
const spread = (i: number, n: number) => Number((BigInt(i) * 2_654_435_761n) % BigInt(n));

export async function runProofLatency(
  ledger: Ledger,
  tenant: string,
  iterations: number,
  note = "",
): Promise<ProofLatency & { note: string }> {
  const treeSize = await ledger.treeSize(tenant);
  for (let i = 0; i < 50; i++) await ledger.inclusionProof(tenant, spread(i, treeSize), treeSize);
  const inclusion: number[] = [];
  let inclusionHashes = 0;
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const proof = await ledger.inclusionProof(tenant, spread(i + 50, treeSize), treeSize);
    inclusion.push(performance.now() - t0);
    inclusionHashes = proof.length;
  }
  const consistency: number[] = [];
  let consistencyHashes = 0;
  for (let i = 0; i < iterations; i++) {
    const from = 1 + spread(i, treeSize - 1);
    const t0 = performance.now();
    const proof = await ledger.consistencyProof(tenant, from, treeSize);
    consistency.push(performance.now() - t0);
    consistencyHashes = proof.length;
  }
  return {
    treeSize,
    inclusion: summarise(inclusion),
    consistency: summarise(consistency),
    inclusionHashes,
    consistencyHashes,
    note,
  };
}
