// A prune run (docs/retention.md): finds entries past their retention that
// no active legal hold covers, appends a retention.prune event listing
// their ranges and counts, and then, in one store transaction, records the
// ranges and removes the bodies (LogStore.pruneBodies). The event is durable
// before any body goes, so a crash between the two leaves an event whose
// ranges are not recorded: completePendingPrunes finishes it on the next run.
import type { AppendedBy } from "@trailproof/core";
import { rangesOfPruneEvent, TrailproofError } from "@trailproof/core";
import type { Ledger } from "../ledger.js";
import type { PrunedRange } from "../store/log-store.js";
import type { RetentionStore } from "../store/retention-store.js";
import { parseLeaf } from "../verify/derived-rows.js";
import { keepDaysOf, shortestKeepDays } from "./keep-days.js";
import { holdCovers, isHoldActive } from "./legal-hold-covers.js";

/** Actions whose entries verification matches stored records against, so retention keeps them. */
const NEVER_PRUNED: ReadonlySet<unknown> = new Set(["retention.prune", "erasure.complete"]);

/** appended_by of the retention.prune events the service records. */
export const RETENTION_APPENDER: AppendedBy = { type: "service", id: "retention" };

const DAY_MS = 86_400_000;
/** Entries read per store round trip while scanning. */
const SCAN_CHUNK = 2048;
/** Entries pruned by one retention.prune event at most: a run is a bounded batch. */
export const DEFAULT_PRUNE_BATCH_ENTRIES = 10_000;
/** Ranges one event lists at most (holds can split old entries into many runs). */
const MAX_RANGES = 1000;

export interface PruneRunOptions {
  /** The time retention is measured against. */
  nowMs: number;
  maxEntries?: number;
  /**
   * Resolves true once the search projection covers the tenant's first
   * `size` entries: pruning deletes search rows, so it never runs ahead of them.
   */
  searchCovers?: (tenantId: number, size: number) => Promise<boolean>;
  /** Test hook: runs after the retention.prune event is durable, before the bodies go (the kill -9 suite). */
  afterPruneEvent?: (index: number) => Promise<void>;
}

export interface PruneRunResult {
  tenant: string;
  /** Index of the retention.prune event appended, or null when nothing was due. */
  pruneIndex: number | null;
  ranges: [number, number][];
  entries: number;
  byCategory: Record<string, number>;
  keptByHold: number;
  /** retention.prune events found unfinished (a crash) and completed first. */
  completed: number;
  /** Set when the run did not look: why. */
  skipped?: string;
}

function isPruneLeaf(bytes: Uint8Array): boolean {
  // Cheap filter before parsing: only a retention.prune event names its action so.
  return (
    bytes.length > 0 && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('"retention.prune"')
  );
}

/** Prunes one tenant's log as its policy and holds say; one bounded batch per call. */
export class Pruner {
  readonly #ledger: Ledger;
  readonly #retention: RetentionStore;
  /** Per tenant: entries below this were scanned for unfinished prune events by this process. */
  readonly #scannedTo = new Map<number, number>();

  constructor(ledger: Ledger, retention: RetentionStore) {
    this.#ledger = ledger;
    this.#retention = retention;
  }

  /**
   * Finds retention.prune events whose ranges are not recorded (the process
   * died between the event and the pruning) and completes them. An event
   * whose ranges overlap ranges already recorded by another event (two
   * nodes raced) is left as it is: those bodies are already gone.
   */
  async completePendingPrunes(tenant: string): Promise<number> {
    const store = this.#ledger.store;
    const { tenantId } = await this.#ledger.tenantRecord(tenant);
    const recorded = await store.readPrunedRanges(tenantId);
    const done = new Set(recorded.map((r) => r.pruneIndex));
    const size = await store.treeSize(tenantId);
    let completed = 0;
    for (let start = this.#scannedTo.get(tenantId) ?? 0; start < size; start += SCAN_CHUNK) {
      for (const leaf of await store.readLeaves(tenantId, start, Math.min(size, start + SCAN_CHUNK))) {
        if (!isPruneLeaf(leaf.leafData) || done.has(leaf.index)) continue;
        const ranges = rangesOfPruneEvent(parseLeaf(leaf.leafData));
        if (ranges === undefined || ranges.length === 0) continue;
        const overlaps = ranges.some(([a, b]) => recorded.some((r) => a < r.end && r.start < b));
        if (overlaps) continue;
        const rows: PrunedRange[] = ranges.map(([a, b]) => ({ start: a, end: b, pruneIndex: leaf.index }));
        await store.pruneBodies(tenantId, rows);
        this.#ledger.recentEntries.forget(tenantId);
        recorded.push(...rows);
        completed += 1;
      }
    }
    this.#scannedTo.set(tenantId, size);
    return completed;
  }

  async run(tenant: string, options: PruneRunOptions): Promise<PruneRunResult> {
    const store = this.#ledger.store;
    const { tenantId } = await this.#ledger.tenantRecord(tenant);
    const policy = await this.#retention.retentionPolicy(tenantId);
    // A tenant that never had a policy never appended a retention.prune: nothing can be unfinished.
    const completed = policy.updatedAt === null ? 0 : await this.completePendingPrunes(tenant);
    const result: PruneRunResult = {
      tenant,
      pruneIndex: null,
      ranges: [],
      entries: 0,
      byCategory: {},
      keptByHold: 0,
      completed,
    };
    const shortest = shortestKeepDays(policy);
    if (shortest === null) return { ...result, skipped: "the tenant keeps every entry forever" };
    const now = options.nowMs;
    const holds = (await this.#retention.listLegalHolds(tenantId)).filter((h) => isHoldActive(h, now));
    const size = await store.treeSize(tenantId);
    if (options.searchCovers && !(await options.searchCovers(tenantId, size))) {
      return { ...result, skipped: "the search projection is behind the log; the next run prunes" };
    }
    // received_at never decreases along the log, so nothing received after
    // now minus the shortest keep can be due: the scan stops there.
    const cutoff = now - shortest * DAY_MS;
    const max = options.maxEntries ?? DEFAULT_PRUNE_BATCH_ENTRIES;
    const ranges: [number, number][] = [];
    // Entries from 0 that earlier prunes already emptied need no second look.
    let from = 0;
    for (const r of (await store.readPrunedRanges(tenantId)).sort((a, b) => a.start - b.start)) {
      if (r.start === from) from = r.end;
    }
    scan: for (let start = from; start < size; start += SCAN_CHUNK) {
      for (const leaf of await store.readLeaves(tenantId, start, Math.min(size, start + SCAN_CHUNK))) {
        if (leaf.receivedMs > cutoff) break scan;
        if (leaf.leafData.length === 0) continue;
        const event = parseLeaf(leaf.leafData);
        // What verification matches records against is never pruned: a prune
        // event (its ranges) and an erasure.complete event (its erasure).
        if (event === null || NEVER_PRUNED.has(event.action)) continue;
        const keep = keepDaysOf(policy, event);
        if (keep === null || leaf.receivedMs + keep * DAY_MS > now) continue;
        if (holds.some((h) => holdCovers(h, event))) {
          result.keptByHold += 1;
          continue;
        }
        const last = ranges[ranges.length - 1];
        if (last !== undefined && last[1] === leaf.index) last[1] += 1;
        else if (ranges.length < MAX_RANGES) ranges.push([leaf.index, leaf.index + 1]);
        else break scan;
        const category = typeof event.category === "string" ? event.category : "unknown";
        result.byCategory[category] = (result.byCategory[category] ?? 0) + 1;
        result.entries += 1;
        if (result.entries >= max) break scan;
      }
    }
    if (ranges.length === 0) return result;
    const [appended] = await this.#ledger.append(
      tenant,
      [
        {
          action: "retention.prune",
          // When it happened, on the ledger's clock; the age of entries was measured at measured_at.
          occurred_at: new Date(this.#ledger.now()).toISOString(),
          actor: { type: "system", id: "retention" },
          target: { type: "log", id: tenant },
          metadata: {
            ranges,
            entries: result.entries,
            by_category: result.byCategory,
            kept_by_hold: result.keptByHold,
            measured_at: new Date(now).toISOString(),
          },
        },
      ],
      { appendedBy: RETENTION_APPENDER, serviceRecord: true },
    );
    if (appended?.status !== "created") {
      throw new TrailproofError(
        "STORE_PRUNE_INVALID",
        `could not record retention.prune: ${JSON.stringify(appended?.status === "rejected" ? appended.problems : appended)}`,
      );
    }
    await options.afterPruneEvent?.(appended.index);
    await store.pruneBodies(
      tenantId,
      ranges.map(([a, b]) => ({ start: a, end: b, pruneIndex: appended.index })),
    );
    // The followers' shared read holds no body that is gone now.
    this.#ledger.recentEntries.forget(tenantId);
    // This process has seen the event through: no need to scan for it again.
    this.#scannedTo.set(tenantId, appended.index + 1);
    return { ...result, pruneIndex: appended.index, ranges };
  }
}
