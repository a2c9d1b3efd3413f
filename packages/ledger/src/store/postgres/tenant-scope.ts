// Row-level security's half in the service: every transaction names its
// tenant in the transaction-local setting trailproof.tenant_id, which the
// policies on every tenant table compare with the row's tenant_id
// (schema/*.ts). A statement that forgot its tenant filter therefore still
// sees only that tenant's rows. Operator scope (the platform operator's own
// API keys, tenant_id NULL) is the empty setting.
import type { PgSql, PgTx } from "./postgres-client.js";

export const TENANT_SETTING = "trailproof.tenant_id";

/** Runs `fn` in a transaction scoped to `tenantId` (null: operator scope). */
export function inTenant<T>(sql: PgSql, tenantId: number | null, fn: (tx: PgTx) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`SELECT set_config(${TENANT_SETTING}, ${tenantId === null ? "" : String(tenantId)}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

/** The policy expression every tenant table uses (schema files interpolate it). */
export const TENANT_POLICY = `tenant_id = NULLIF(current_setting('${TENANT_SETTING}', true), '')::integer`;
