// The contract both stores check before pruning (LogStore.pruneBodies):
// ranges are non-empty, disjoint from each other and from those recorded,
// and lie below the retention.prune entry that lists them.
import { TrailproofError } from "@trailproof/core";
import type { PrunedRange } from "./log-store.js";

/** Checks `ranges` against each other, the recorded ones and the log's size; throws STORE_PRUNE_INVALID. */
export function checkPruneRanges(ranges: readonly PrunedRange[], recorded: readonly PrunedRange[], size: number): void {
  const invalid = (why: string) => new TrailproofError("STORE_PRUNE_INVALID", why);
  const all = [...recorded, ...ranges].sort((a, b) => a.start - b.start);
  for (const r of ranges) {
    if (!Number.isSafeInteger(r.start) || !Number.isSafeInteger(r.end) || r.start < 0 || r.end <= r.start) {
      throw invalid(`pruned range [${r.start}, ${r.end}) is empty or not a range of indexes`);
    }
    if (r.pruneIndex < r.end || r.pruneIndex >= size) {
      throw invalid(`the prune entry ${r.pruneIndex} must be an entry of the log after [${r.start}, ${r.end})`);
    }
  }
  for (let i = 1; i < all.length; i++) {
    const a = all[i - 1] as PrunedRange;
    const b = all[i] as PrunedRange;
    if (b.start < a.end) throw invalid(`pruned ranges [${a.start}, ${a.end}) and [${b.start}, ${b.end}) overlap`);
  }
}
