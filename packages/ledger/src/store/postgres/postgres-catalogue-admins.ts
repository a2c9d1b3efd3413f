// The last-admin rule on PostgreSQL (AccessStore.revokeApiKey,
// PeopleStore.disablePerson): a tenant's admin credentials are counted and
// changed under one transaction-scoped lock, whichever node asks.
import type { PgTx } from "./postgres-client.js";

/**
 * Serialises every change that can remove an admin credential of `tenantId`,
 * key or person, across connections and nodes. MUST be taken before the
 * count: under READ COMMITTED each later statement of the holder sees every
 * change the previous holder committed. Adding admins needs no lock; it only
 * makes a refusal unnecessary.
 */
export async function lockAdminCredentials(tx: PgTx, tenantId: number): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(hashtext('trailproof.admin_credentials'), ${tenantId}::integer)`;
}

/** Active admin keys plus enabled admin people of `tenantId`. Requires lockAdminCredentials first. */
export async function countAdminCredentials(tx: PgTx, tenantId: number): Promise<number> {
  const [row] = await tx<{ n: number }[]>`
    SELECT (SELECT count(*) FROM api_keys WHERE tenant_id = ${tenantId} AND role = 'admin' AND revoked_at IS NULL)
      + (SELECT count(*) FROM people WHERE tenant_id = ${tenantId} AND role = 'admin' AND disabled_at IS NULL) AS n`;
  return Number(row?.n);
}
