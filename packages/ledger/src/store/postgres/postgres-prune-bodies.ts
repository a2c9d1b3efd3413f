// Retention pruning on PostgreSQL (LogStore.pruneBodies; schema/008-retention.ts):
// the ranges recorded and their bodies removed in one transaction, under the
// tenant's log-head lock so no append or other prune interleaves: leaf data
// blanked (the only UPDATE the entries trigger allows), personal values
// deleted, and search rows, tags and their share of the hourly counts
// deleted by prune_search_rows (schema/008-retention.ts).
import type { PrunedRange } from "../log-store.js";
import { checkPruneRanges } from "../prune-ranges.js";
import type { PgTx } from "./postgres-client.js";

export async function readPostgresPrunedRanges(tx: PgTx, tenantId: number): Promise<PrunedRange[]> {
  const rows = await tx<{ start_idx: string; end_idx: string; prune_idx: string }[]>`
    SELECT start_idx, end_idx, prune_idx FROM pruned_ranges WHERE tenant_id = ${tenantId} ORDER BY start_idx`;
  return rows.map((r) => ({ start: Number(r.start_idx), end: Number(r.end_idx), pruneIndex: Number(r.prune_idx) }));
}

export async function prunePostgresBodies(tx: PgTx, tenantId: number, ranges: readonly PrunedRange[]): Promise<void> {
  const [head] = await tx<{ size: string }[]>`SELECT size FROM log_heads WHERE tenant_id = ${tenantId} FOR UPDATE`;
  checkPruneRanges(ranges, await readPostgresPrunedRanges(tx, tenantId), Number(head?.size ?? 0));
  for (const r of ranges) {
    await tx`INSERT INTO pruned_ranges (tenant_id, start_idx, end_idx, prune_idx)
      VALUES (${tenantId}, ${r.start}, ${r.end}, ${r.pruneIndex})`;
    await tx`SELECT prune_search_rows(${r.start}::bigint, ${r.end}::bigint)`;
    await tx`DELETE FROM disclosures WHERE tenant_id = ${tenantId} AND idx >= ${r.start} AND idx < ${r.end}`;
    await tx`UPDATE entries SET leaf_data = ''::bytea WHERE tenant_id = ${tenantId} AND idx >= ${r.start} AND idx < ${r.end}`;
  }
}
