// How the service's V8 heaps grow. By default V8 lets the old generation grow
// to about four times its live data before a full collection; under ingest the
// service's live heap is about 30 MB, but its heaps (main thread and seal
// workers) held about 250 MB of garbage between collections, so RSS passed
// 370 MB. Growing by half the live size instead keeps RSS near 210 MB at the
// same throughput (docs/benchmarks.md, "Service memory").
import { setFlagsFromString } from "node:v8";

/** Old-generation growth between full collections, as a percentage of the live heap. */
export const HEAP_GROWING_PERCENT = 50;

let applied = false;

/**
 * Sets the process-wide heap growth once. V8 reads this flag at each
 * collection, so setting it after start takes effect for every isolate,
 * workers included.
 */
export function applyMemoryPosture(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
