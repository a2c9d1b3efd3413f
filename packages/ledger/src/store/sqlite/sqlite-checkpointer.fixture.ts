// Test helpers for the checkpointer: a tenant file's store whose
// checkpointer starts early (a few frames, a small WAL cap), and batches of
// synthetic entries, big enough that a few commits cross the threshold.
import { createHash } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { AppendBatch } from "../log-store.js";
import { SqliteCheckpointer, type SqliteCheckpointerOptions } from "./sqlite-checkpointer.js";
import type { SqliteDatabase } from "./sqlite-database.js";
import { SqliteStore } from "./sqlite-store.js";
import { applyDurability, applyLayout, SqliteTenantFiles } from "./sqlite-tenant-files.js";
import { SQLITE_CATALOGUE_SCHEMA } from "./sqlite-tenant-schema.js";

export const TEST_TENANT = "acme";

export async function openCheckpointedStore(
  dir: string,
  options: SqliteCheckpointerOptions,
): Promise<{ store: SqliteStore; tenantId: number; checkpointer: SqliteCheckpointer }> {
  const open = (path: string): SqliteDatabase => new Database(path);
  const catalogue = open(join(dir, "trailproof.db"));
  applyDurability(catalogue, 1024);
  applyLayout(catalogue, SQLITE_CATALOGUE_SCHEMA);
  const checkpointer = new SqliteCheckpointer(options);
  const store = new SqliteStore(catalogue, new SqliteTenantFiles(join(dir, "tenants"), open, checkpointer));
  const tenant =
    (await store.getTenant(TEST_TENANT)) ??
    (await store.createTenant({ name: TEST_TENANT, origin: "test/acme", unknownActions: "reject", createdAt: "x" }));
  return { store, tenantId: tenant.tenantId, checkpointer };
}

/** `count` entries from `firstIndex`, each with `bytes` of leaf data (no tree nodes: the store does not check them). */
export function entryBatch(tenantId: number, firstIndex: number, count: number, bytes: number): AppendBatch {
  const entries = Array.from({ length: count }, (_, k) => {
    const index = firstIndex + k;
    const leafData = Buffer.alloc(bytes, index % 251);
    return {
      index,
      eventId: `e${index}`,
      leafData,
      leafHash: createHash("sha256").update(leafData).digest(),
      contentDigest: `d${index}`,
      receivedMs: index,
      disclosures: [],
    };
  });
  return { tenantId, firstIndex, entries, nodes: [] };
}
