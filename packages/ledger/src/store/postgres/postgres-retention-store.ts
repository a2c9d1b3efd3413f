// RetentionStore on PostgreSQL (schema/008-retention.ts): every statement in
// its tenant's row-level security scope; lifting is one conditional UPDATE,
// so two nodes lifting one hold at once cannot both succeed.
import type { JsonObject } from "@trailproof/core";
import type { LegalHold, RetentionPolicy, RetentionStore, StoredRetentionPolicy } from "../retention-store.js";
import { KEEP_FOREVER, type LegalHoldRow, toLegalHold } from "../retention-store.js";
import type { PgSql } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

export class PostgresRetentionStore implements RetentionStore {
  readonly #sql: PgSql;

  /** Requires the schema migrated and `sql` connected as the app role. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async retentionPolicy(tenantId: number): Promise<StoredRetentionPolicy> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ policy: RetentionPolicy; updated_by: string; updated_at: string }[]>`
        SELECT policy, updated_by, updated_at FROM retention_policies WHERE tenant_id = ${tenantId}`,
    );
    if (!row) return KEEP_FOREVER;
    return {
      defaultKeepDays: row.policy.defaultKeepDays,
      rules: row.policy.rules,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at,
    };
  }

  async setRetentionPolicy(tenantId: number, policy: RetentionPolicy, by: string, at: string): Promise<void> {
    const json = { defaultKeepDays: policy.defaultKeepDays, rules: policy.rules } as unknown as JsonObject;
    await inTenant(this.#sql, tenantId, async (tx) => {
      await tx`INSERT INTO retention_policies (tenant_id, policy, updated_by, updated_at)
        VALUES (${tenantId}, ${tx.json(json)}, ${by}, ${at})
        ON CONFLICT (tenant_id) DO UPDATE SET policy = excluded.policy, updated_by = excluded.updated_by,
          updated_at = excluded.updated_at`;
    });
  }

  async insertLegalHold(h: LegalHold): Promise<void> {
    await inTenant(this.#sql, h.tenantId, async (tx) => {
      await tx`INSERT INTO legal_holds (tenant_id, hold_id, scope, reason, expires_at, placed_by, placed_at, lifted_by, lifted_at)
        VALUES (${h.tenantId}, ${h.holdId}, ${tx.json(h.scope as unknown as JsonObject)}, ${h.reason}, ${h.expiresAt},
          ${h.placedBy}, ${h.placedAt}, ${h.liftedBy}, ${h.liftedAt})`;
    });
  }

  async findLegalHold(tenantId: number, holdId: string): Promise<LegalHold | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<LegalHoldRow[]>`SELECT * FROM legal_holds WHERE tenant_id = ${tenantId} AND hold_id = ${holdId}`,
    );
    return row && toLegalHold(row);
  }

  async listLegalHolds(tenantId: number): Promise<LegalHold[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<LegalHoldRow[]>`SELECT * FROM legal_holds WHERE tenant_id = ${tenantId} ORDER BY placed_at, hold_id`,
    );
    return rows.map(toLegalHold);
  }

  async liftLegalHold(tenantId: number, holdId: string, by: string, at: string): Promise<boolean> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`UPDATE legal_holds SET lifted_by = ${by}, lifted_at = ${at}
        WHERE tenant_id = ${tenantId} AND hold_id = ${holdId} AND lifted_at IS NULL RETURNING hold_id`,
    );
    return rows.length === 1;
  }
}
