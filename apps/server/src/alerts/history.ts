// Reading a stretch of a tenant's history for the engine: the entries whose
// occurred_at falls in a period (through the query side, which covers what
// the search follower applied), in log order, up to a bound. A back-test
// replays them; a new spike rule counts them as its baseline.
import type { AuditQuery, StoredEntry } from "@trailproof/ledger";
import type { EventFilter } from "@trailproof/protocol";

/** Entries one back-test or one baseline reads at most; past it the answer says truncated. */
export const MAX_HISTORY_ENTRIES = 200_000;

const PAGE = 500;

export interface History {
  /** In log order. */
  entries: StoredEntry[];
  /** More entries matched than were read. */
  truncated: boolean;
}

/**
 * The entries matching `filter` with occurred_at in [fromMs, toMs) and an
 * index below `beforeIndex` (when given), in log order. Pruned bodies are
 * left out: the engine matches on the event.
 */
export async function readHistory(
  query: AuditQuery,
  tenantId: number,
  filter: EventFilter,
  range: { fromMs: number; toMs: number; beforeIndex?: number; max?: number },
): Promise<History> {
  const max = range.max ?? MAX_HISTORY_ENTRIES;
  const scoped: EventFilter = {
    ...filter,
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
  };
  const entries: StoredEntry[] = [];
  let cursor: string | undefined;
  let truncated = false;
  for (;;) {
    const page = await query.search(tenantId, scoped, { limit: PAGE, order: "asc", ...(cursor ? { cursor } : {}) });
    for (const e of page.entries) {
      if (range.beforeIndex !== undefined && e.index >= range.beforeIndex) continue;
      if (e.leafData.length === 0) continue;
      if (entries.length >= max) {
        truncated = true;
        break;
      }
      // The engine reads the event and its times; hashes are not its concern.
      entries.push({
        index: e.index,
        eventId: e.eventId,
        leafData: e.leafData,
        leafHash: new Uint8Array(0),
        contentDigest: "",
        receivedMs: e.receivedMs,
      });
    }
    if (truncated || page.nextCursor === null) break;
    cursor = page.nextCursor;
  }
  entries.sort((a, b) => a.index - b.index);
  return { entries, truncated };
}
