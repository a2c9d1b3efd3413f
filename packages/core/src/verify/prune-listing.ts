// What a retention.prune entry lists (docs/retention.md): metadata.ranges,
// [start, end) pairs of the entries whose bodies it prunes. Store and bundle
// verification both match pruned entries against it.

/** The ranges a retention.prune event lists, sorted by start, or undefined if it lists none validly. The event is untrusted. */
export function rangesOfPruneEvent(event: Record<string, unknown> | null): [number, number][] | undefined {
  if (event?.action !== "retention.prune") return undefined;
  const metadata = event.metadata as Record<string, unknown> | undefined;
  const ranges = metadata?.ranges;
  if (!Array.isArray(ranges)) return undefined;
  const out: [number, number][] = [];
  for (const r of ranges) {
    if (!Array.isArray(r) || r.length !== 2 || !r.every((n) => Number.isSafeInteger(n))) return undefined;
    out.push([r[0] as number, r[1] as number]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** The first index of [start, end) the sorted `listed` ranges do not hold, or `end` when they hold all. */
export function firstUnlisted(listed: readonly [number, number][], start: number, end: number): number {
  let next = start;
  for (const [a, b] of listed) {
    if (next >= end) break;
    if (a <= next && next < b) next = b;
  }
  return Math.min(next, end);
}
