// CosignatureStore on PostgreSQL (schema/014-cosignatures.ts): every
// statement in its tenant's row-level security scope; a second node storing
// the same witness's cosignature for the same size leaves the first (ON CONFLICT DO NOTHING).
import { type CosignatureRow, toCosignature } from "../cosignature-rows.js";
import type { CosignatureRecord, CosignatureStore } from "../cosignature-store.js";
import type { PgSql } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

export class PostgresCosignatureStore implements CosignatureStore {
  readonly #sql: PgSql;

  /** Requires the schema migrated and `sql` connected as the app role. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async putCosignature(r: CosignatureRecord): Promise<boolean> {
    const rows = await inTenant(
      this.#sql,
      r.tenantId,
      (tx) => tx`INSERT INTO cosignatures (tenant_id, tree_size, witness_key, line, "timestamp", received_at)
        VALUES (${r.tenantId}, ${r.treeSize}, ${r.witnessKey}, ${r.line}, ${r.timestamp}, ${r.receivedAt})
        ON CONFLICT DO NOTHING RETURNING 1`,
    );
    return rows.length === 1;
  }

  async cosignaturesAt(tenantId: number, treeSize: number): Promise<CosignatureRecord[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<CosignatureRow[]>`SELECT * FROM cosignatures WHERE tenant_id = ${tenantId} AND tree_size = ${treeSize}
        ORDER BY received_at, witness_key`,
    );
    return rows.map(toCosignature);
  }

  async countsAt(tenantId: number, treeSizes: readonly number[]): Promise<Map<number, number>> {
    if (treeSizes.length === 0) return new Map();
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ tree_size: string; n: string }[]>`SELECT tree_size, COUNT(*) AS n FROM cosignatures
        WHERE tenant_id = ${tenantId} AND tree_size = ANY(${tx.array(treeSizes.map(String))}::bigint[])
        GROUP BY tree_size`,
    );
    return new Map(rows.map((r) => [Number(r.tree_size), Number(r.n)]));
  }

  async latestCosigned(tenantId: number): Promise<Map<string, number>> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ witness_key: string; size: string }[]>`SELECT witness_key, MAX(tree_size) AS size
        FROM cosignatures WHERE tenant_id = ${tenantId} GROUP BY witness_key`,
    );
    return new Map(rows.map((r) => [r.witness_key, Number(r.size)]));
  }

  async newestCosigned(tenantId: number, min: number, witnessKeys?: readonly string[]): Promise<number | undefined> {
    const rows = await inTenant(this.#sql, tenantId, (tx) =>
      witnessKeys === undefined
        ? tx<{ tree_size: string }[]>`SELECT tree_size FROM cosignatures WHERE tenant_id = ${tenantId}
            GROUP BY tree_size HAVING COUNT(DISTINCT witness_key) >= ${min} ORDER BY tree_size DESC LIMIT 1`
        : tx<{ tree_size: string }[]>`SELECT tree_size FROM cosignatures WHERE tenant_id = ${tenantId}
            AND witness_key = ANY(${tx.array([...witnessKeys])}::text[])
            GROUP BY tree_size HAVING COUNT(DISTINCT witness_key) >= ${min} ORDER BY tree_size DESC LIMIT 1`,
    );
    return rows[0] === undefined ? undefined : Number(rows[0].tree_size);
  }
}
