// Retention pruning on PostgreSQL (LogStore.pruneBodies; schema/008-retention.ts):
// the ranges recorded and their bodies removed in one transaction, under the
// tenant's log-head lock so no append or other prune interleaves: leaf data
// blanked (the only UPDATE the entries trigger allows), personal values,
// search rows, tags and their share of the hourly counts deleted.
import type { PrunedRange } from "../log-store.js";
import { checkPruneRanges } from "../prune-ranges.js";
import type { PgTx } from "./postgres-client.js";

const HOUR_MS = 3_600_000;

export async function readPostgresPrunedRanges(tx: PgTx, tenantId: number): Promise<PrunedRange[]> {
  const rows = await tx<{ start_idx: string; end_idx: string; prune_idx: string }[]>`
    SELECT start_idx, end_idx, prune_idx FROM pruned_ranges WHERE tenant_id = ${tenantId} ORDER BY start_idx`;
  return rows.map((r) => ({ start: Number(r.start_idx), end: Number(r.end_idx), pruneIndex: Number(r.prune_idx) }));
}

export async function prunePostgresBodies(tx: PgTx, tenantId: number, ranges: readonly PrunedRange[]): Promise<void> {
  const [head] = await tx<{ size: string }[]>`SELECT size FROM log_heads WHERE tenant_id = ${tenantId} FOR UPDATE`;
  checkPruneRanges(ranges, await readPostgresPrunedRanges(tx, tenantId), Number(head?.size ?? 0));
  const hours = new Map<number, number>();
  for (const r of ranges) {
    await tx`INSERT INTO pruned_ranges (tenant_id, start_idx, end_idx, prune_idx)
      VALUES (${tenantId}, ${r.start}, ${r.end}, ${r.pruneIndex})`;
    const rows = await tx<{ occurred_ms: string }[]>`
      DELETE FROM search_rows WHERE tenant_id = ${tenantId} AND idx >= ${r.start} AND idx < ${r.end}
      RETURNING occurred_ms`;
    for (const row of rows) {
      const h = Math.floor(Number(row.occurred_ms) / HOUR_MS) * HOUR_MS;
      hours.set(h, (hours.get(h) ?? 0) + 1);
    }
    await tx`DELETE FROM search_tags WHERE tenant_id = ${tenantId} AND idx >= ${r.start} AND idx < ${r.end}`;
    await tx`DELETE FROM disclosures WHERE tenant_id = ${tenantId} AND idx >= ${r.start} AND idx < ${r.end}`;
    await tx`UPDATE entries SET leaf_data = ''::bytea WHERE tenant_id = ${tenantId} AND idx >= ${r.start} AND idx < ${r.end}`;
  }
  for (const [h, n] of hours) {
    await tx`UPDATE search_hours SET n = n - ${n} WHERE tenant_id = ${tenantId} AND hour_ms = ${h} AND n > ${n}`;
    await tx`DELETE FROM search_hours WHERE tenant_id = ${tenantId} AND hour_ms = ${h} AND n <= ${n}`;
  }
}
