// What verification checks of retention pruning (docs/retention.md): each
// recorded pruned range must be listed, exactly, by the retention.prune
// entry it names, so a range recorded by hand to hide a removed body is a
// "prune record forged" divergence; tenant-log-report.ts checks the bodies.
import { type LogVerifier, rangesOfPruneEvent, TrailproofError } from "@trailproof/core";
import type { LogStore, PrunedRange } from "../store/log-store.js";
import { parseLeaf } from "./derived-rows.js";

/** Walks recorded ranges alongside entries read in index order. */
export class PrunedRangeWalk {
  readonly ranges: PrunedRange[];
  #at = 0;

  constructor(ranges: readonly PrunedRange[]) {
    this.ranges = [...ranges].sort((a, b) => a.start - b.start);
  }

  /** Whether a recorded range holds `index`; calls MUST come in non-decreasing index order. */
  covers(index: number): boolean {
    while (this.#at < this.ranges.length && (this.ranges[this.#at] as PrunedRange).end <= index) this.#at++;
    const r = this.ranges[this.#at];
    return r !== undefined && r.start <= index;
  }
}

/**
 * Every group of recorded ranges sharing a prune entry must equal the
 * ranges that entry lists, and the entry must be a retention.prune of this
 * log (below `size`, with its body).
 */
export async function checkPruneRecords(
  store: LogStore,
  tenantId: number,
  ranges: readonly PrunedRange[],
  size: number,
  verifier: LogVerifier,
): Promise<void> {
  const groups = new Map<number, PrunedRange[]>();
  for (const r of ranges) groups.set(r.pruneIndex, [...(groups.get(r.pruneIndex) ?? []), r]);
  for (const [pruneIndex, group] of groups) {
    const recorded = group.map((r) => [r.start, r.end] as [number, number]).sort((a, b) => a[0] - b[0]);
    const first = recorded[0]?.[0] ?? null;
    const describe = recorded.map(([a, b]) => `[${a}, ${b})`).join(", ");
    if (pruneIndex >= size) {
      verifier.report(
        "PRUNE_RECORD_FORGED",
        first,
        `prune record forged: ${describe} names entry ${pruneIndex}, past the log's ${size} entries`,
      );
      continue;
    }
    const [leaf] = await store.readLeaves(tenantId, pruneIndex, pruneIndex + 1);
    if (leaf === undefined) throw new TrailproofError("STORE_NODE_MISSING", `entry ${pruneIndex} cannot be read`);
    const listed = rangesOfPruneEvent(parseLeaf(leaf.leafData));
    if (listed === undefined || JSON.stringify(listed) !== JSON.stringify(recorded)) {
      verifier.report(
        "PRUNE_RECORD_FORGED",
        first,
        `prune record forged: ${describe} is recorded as pruned by entry ${pruneIndex}, which ${listed === undefined ? "is no retention.prune event" : "lists other ranges"}`,
      );
    }
  }
}
