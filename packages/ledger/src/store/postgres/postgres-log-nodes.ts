// readNodes on PostgreSQL: level 0 is entries.leaf_hash, higher levels are
// tree_nodes. Dense runs (verification reads every node of a chunk) take a
// range scan per level; scattered ids (a proof's O(log n) nodes) take point
// lookups, all levels in one statement.
import type { NodeId } from "@trailproof/core";
import type { PgTx } from "./postgres-client.js";

interface NodeSqlRow {
  level: number;
  idx: number;
  hash: Uint8Array;
}

const INT2 = 21;
const INT8 = 20;

/** The stored hashes among `nodes`, keyed `${level}:${index}`; `tx` MUST be scoped to tenantId. */
export async function readNodesIn(
  tx: PgTx,
  tenantId: number,
  nodes: readonly NodeId[],
): Promise<Map<string, Uint8Array>> {
  const wanted = new Map<number, Set<number>>();
  for (const n of nodes) {
    const set = wanted.get(n.level) ?? new Set<number>();
    set.add(Number(n.index));
    wanted.set(n.level, set);
  }
  const queries: Promise<readonly NodeSqlRow[]>[] = [];
  const leafPoints: number[] = [];
  const pointLevels: number[] = [];
  const pointIndexes: number[] = [];
  for (const [level, set] of wanted) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const i of set) {
      if (i < min) min = i;
      if (i > max) max = i;
    }
    if (set.size > 8 && max - min < 2 * set.size) {
      queries.push(
        level === 0
          ? tx<NodeSqlRow[]>`SELECT 0 AS level, idx, leaf_hash AS hash FROM entries
              WHERE tenant_id = ${tenantId} AND idx BETWEEN ${min} AND ${max}`
          : tx<NodeSqlRow[]>`SELECT level, idx, hash FROM tree_nodes
              WHERE tenant_id = ${tenantId} AND level = ${level} AND idx BETWEEN ${min} AND ${max}`,
      );
    } else if (level === 0) {
      leafPoints.push(...set);
    } else {
      for (const i of set) {
        pointLevels.push(level);
        pointIndexes.push(i);
      }
    }
  }
  if (leafPoints.length > 0) {
    queries.push(tx<NodeSqlRow[]>`SELECT 0 AS level, idx, leaf_hash AS hash FROM entries
      WHERE tenant_id = ${tenantId} AND idx = ANY(${tx.array(leafPoints, INT8)}::bigint[])`);
  }
  if (pointLevels.length > 0) {
    queries.push(tx<NodeSqlRow[]>`SELECT n.level, n.idx, n.hash
      FROM unnest(${tx.array(pointLevels, INT2)}::smallint[], ${tx.array(pointIndexes, INT8)}::bigint[]) AS w (level, idx)
      JOIN tree_nodes n ON n.tenant_id = ${tenantId} AND n.level = w.level AND n.idx = w.idx`);
  }
  // Issued together: postgres.js pipelines them on the transaction's connection.
  const out = new Map<string, Uint8Array>();
  for (const rows of await Promise.all(queries)) {
    for (const r of rows) {
      // A range scan returns the gaps between wanted ids too.
      if (wanted.get(r.level)?.has(r.idx)) out.set(`${r.level}:${r.idx}`, r.hash);
    }
  }
  return out;
}
