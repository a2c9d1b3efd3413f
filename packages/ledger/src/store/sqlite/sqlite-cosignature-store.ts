// CosignatureStore on the SQLite catalogue (trailproof.db): one table, one
// row per (tenant, tree size, witness key), inserted or left as it is.
import { type CosignatureRow, toCosignature } from "../cosignature-rows.js";
import type { CosignatureRecord, CosignatureStore } from "../cosignature-store.js";
import type { SqliteDatabase } from "./sqlite-database.js";

const DDL = `
CREATE TABLE IF NOT EXISTS cosignatures (
  tenant_id INTEGER NOT NULL REFERENCES tenants (tenant_id),
  tree_size INTEGER NOT NULL CHECK (tree_size >= 0),
  witness_key TEXT NOT NULL,
  line TEXT NOT NULL,
  timestamp INTEGER NOT NULL CHECK (timestamp >= 0),
  received_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, tree_size, witness_key)
);
`;

export class SqliteCosignatureStore implements CosignatureStore {
  readonly #db: SqliteDatabase;
  readonly #hasTable: boolean;

  /**
   * Requires the log schema (tenants) to exist: construct after SqliteStore.
   * `create` false (readers such as verify) leaves a missing table missing.
   */
  constructor(db: SqliteDatabase, create = true) {
    this.#db = db;
    if (create && db.readonly !== true) db.exec(DDL);
    this.#hasTable =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'cosignatures'").get() !== undefined;
  }

  async putCosignature(r: CosignatureRecord): Promise<boolean> {
    const result = this.#db
      .prepare(
        `INSERT INTO cosignatures (tenant_id, tree_size, witness_key, line, timestamp, received_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(r.tenantId, r.treeSize, r.witnessKey, r.line, r.timestamp, r.receivedAt);
    return Number(result.changes) === 1;
  }

  async cosignaturesAt(tenantId: number, treeSize: number): Promise<CosignatureRecord[]> {
    if (!this.#hasTable) return [];
    const rows = this.#db
      .prepare("SELECT * FROM cosignatures WHERE tenant_id = ? AND tree_size = ? ORDER BY received_at, witness_key")
      .all(tenantId, treeSize) as CosignatureRow[];
    return rows.map(toCosignature);
  }

  async countsAt(tenantId: number, treeSizes: readonly number[]): Promise<Map<number, number>> {
    if (!this.#hasTable || treeSizes.length === 0) return new Map();
    const rows = this.#db
      .prepare(
        `SELECT tree_size, COUNT(*) AS n FROM cosignatures
         WHERE tenant_id = ? AND tree_size IN (SELECT value FROM json_each(?)) GROUP BY tree_size`,
      )
      .all(tenantId, JSON.stringify(treeSizes)) as { tree_size: number; n: number }[];
    return new Map(rows.map((r) => [Number(r.tree_size), Number(r.n)]));
  }

  async latestCosigned(tenantId: number): Promise<Map<string, number>> {
    if (!this.#hasTable) return new Map();
    const rows = this.#db
      .prepare("SELECT witness_key, MAX(tree_size) AS size FROM cosignatures WHERE tenant_id = ? GROUP BY witness_key")
      .all(tenantId) as { witness_key: string; size: number }[];
    return new Map(rows.map((r) => [r.witness_key, Number(r.size)]));
  }

  async newestCosigned(tenantId: number, min: number, witnessKeys?: readonly string[]): Promise<number | undefined> {
    if (!this.#hasTable) return undefined;
    const only = witnessKeys === undefined ? "" : `AND witness_key IN (SELECT value FROM json_each(?))`;
    const params: unknown[] = [tenantId];
    if (witnessKeys !== undefined) params.push(JSON.stringify(witnessKeys));
    params.push(min);
    const row = this.#db
      .prepare(
        `SELECT tree_size FROM cosignatures WHERE tenant_id = ? ${only}
         GROUP BY tree_size HAVING COUNT(DISTINCT witness_key) >= ? ORDER BY tree_size DESC LIMIT 1`,
      )
      .get(...params) as { tree_size: number } | undefined;
    return row === undefined ? undefined : Number(row.tree_size);
  }
}
