// Row-level security's half in the service: every transaction names its
// tenant in the transaction-local setting trailproof.tenant_id, which the
// policies on every tenant table compare with the row's tenant_id
// (schema/*.ts). A statement that forgot its tenant filter therefore still
// sees only that tenant's rows. Operator scope (the platform operator's own
// API keys, tenant_id NULL) is the explicit value OPERATOR_SCOPE, never the
// empty string PostgreSQL leaves on a pooled connection after a transaction
// ends, so an unscoped statement sees no row at all.
import type { PgSql, PgTx } from "./postgres-client.js";

export const TENANT_SETTING = "trailproof.tenant_id";
/** The setting's value in operator scope. */
export const OPERATOR_SCOPE = "operator";

/** Runs `fn` in a transaction scoped to `tenantId` (null: operator scope). */
export function inTenant<T>(sql: PgSql, tenantId: number | null, fn: (tx: PgTx) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`SELECT set_config(${TENANT_SETTING}, ${tenantId === null ? OPERATOR_SCOPE : String(tenantId)}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

/**
 * The policy expression every tenant table uses (schema files interpolate
 * it). Anything but a tenant id (unset, empty, operator scope) matches no
 * row; the sub-select is planned once per statement, not per row.
 */
export const TENANT_POLICY = `tenant_id = (SELECT CASE WHEN s ~ '^[0-9]+$' THEN s::integer END FROM current_setting('${TENANT_SETTING}', true) AS s)`;

/** True in operator scope (schema/002-catalogue.ts: the operator's own keys). */
export const OPERATOR_SCOPE_CONDITION = `current_setting('${TENANT_SETTING}', true) = '${OPERATOR_SCOPE}'`;
