// First start on empty stores: the operator credential and, with demo on,
// the demo tenant and its sample data, created once. Nodes starting together
// on one PostgreSQL database take turns under an advisory lock; only the one
// that finds the stores empty creates anything (and prints the keys).
import { type DataDir, issueApiKey, openPostgres, provisionTenant } from "@trailproof/ledger";
import { META_AUDIT_APPENDER } from "./audit/meta-audit.js";
import type { ServerConfig } from "./config.js";
import { seedDemoData } from "./demo/seed-demo-data.js";

/** Keys this start created; empty when the stores were not empty (or another node filled them). */
export interface FirstStartKeys {
  operatorKey?: string;
  demoAdminKey?: string;
}

/**
 * Fills empty stores. MUST create at most once per store, however many nodes
 * start at once: on PostgreSQL the emptiness check and every creation run while
 * this node holds a transaction-level advisory lock, so a node that waited finds
 * the work done. A data directory has one process (SQLite's lock), so no lock.
 */
export async function firstStart(data: DataDir, config: ServerConfig): Promise<FirstStartKeys> {
  if (config.database === undefined) return fillIfEmpty(data, config);
  const sql = openPostgres(config.database, { max: 1, applicationName: "trailproof-first-start" });
  try {
    return await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(hashtext('trailproof.first_start'))`;
      // The creations below commit on the stores' own connections before the lock is released.
      return fillIfEmpty(data, config);
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function fillIfEmpty(data: DataDir, config: ServerConfig): Promise<FirstStartKeys> {
  const empty = (await data.ledger.listTenants()).length === 0 && (await data.access.listApiKeys(null)).length === 0;
  if (!empty) return {};
  const created: FirstStartKeys = {};
  created.operatorKey = (
    await issueApiKey(data.access, { tenantId: null, role: "operator", name: "operator", createdBy: "first start" })
  ).key;
  if (config.demo) {
    const demo = await provisionTenant(data.ledger, data.access, "demo", {
      createdBy: "first start",
      appendedBy: META_AUDIT_APPENDER,
    });
    created.demoAdminKey = demo.adminKey;
    await seedDemoData(data.ledger, "demo");
  }
  return created;
}
