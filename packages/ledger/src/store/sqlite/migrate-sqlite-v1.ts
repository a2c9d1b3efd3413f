// Moves a layout-1 data directory (every tenant's log in trailproof.db) to
// layout 2 (one file per tenant). Entries, tree nodes, checkpoints, action
// schemas and disclosures are copied byte for byte, so every leaf, proof and
// checkpoint stays as it was; the search projection is not copied but
// rebuilt from the entries by the search follower.
//
// Crash-safe by steps: each tenant's file is filled in one transaction and
// skipped when already complete; the old tables are dropped from the
// catalogue in one last transaction, and only then is the version stamped.
import { TrailproofError } from "@trailproof/core";
import type { SqliteDatabase } from "./sqlite-database.js";
import { PLAIN_DISCLOSURES_SCHEMA } from "./sqlite-layout-4.js";
import type { SqliteTenantFiles } from "./sqlite-tenant-files.js";

const V1_TABLES = [
  "entries",
  "disclosures",
  "tree_nodes",
  "checkpoints",
  "action_schemas",
  "entries_fts",
  "entry_tags",
];

/** True when `catalogue` still holds a layout-1 log. */
function isSqliteV1(catalogue: SqliteDatabase): boolean {
  return catalogue.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'entries'").get() !== undefined;
}

/** Migrates in place; a no-op on layout 2. Returns the tenants migrated. */
export function migrateSqliteV1(catalogue: SqliteDatabase, files: SqliteTenantFiles): string[] {
  if (!isSqliteV1(catalogue)) return [];
  const version = catalogue.pragma("user_version", { simple: true }) as number;
  if (version !== 1) {
    throw new TrailproofError("STORE_SCHEMA_UNKNOWN", `trailproof.db holds entries but says layout ${version}`);
  }
  const tenants = catalogue.prepare("SELECT tenant_id, name FROM tenants ORDER BY tenant_id").all() as {
    tenant_id: number;
    name: string;
  }[];
  const count = (sql: string, ...params: unknown[]) => (catalogue.prepare(sql).get(...params) as { n: number }).n;
  for (const t of tenants) {
    const db = files.get(t.name);
    const expected = count("SELECT count(*) AS n FROM entries WHERE tenant_id = ?", t.tenant_id);
    const present = (db.prepare("SELECT count(*) AS n FROM entries").get() as { n: number }).n;
    if (present === expected && expected > 0) continue;
    if (present !== 0) {
      throw new TrailproofError(
        "STORE_MIGRATION_CONFLICT",
        `${files.pathOf(t.name)} holds ${present} entries where trailproof.db holds ${expected}`,
      );
    }
    copyTenant(catalogue, db, t.tenant_id);
  }
  const drop = catalogue.transaction(() => {
    const triggers = catalogue
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (SELECT value FROM json_each(?))")
      .all(JSON.stringify(V1_TABLES)) as { name: string }[];
    for (const { name } of triggers) catalogue.exec(`DROP TRIGGER "${name}"`);
    for (const table of V1_TABLES) catalogue.exec(`DROP TABLE IF EXISTS ${table}`);
  });
  drop(undefined);
  return tenants.map((t) => t.name);
}

/** One tenant's rows, read from the catalogue and written to its file in one transaction. */
function copyTenant(catalogue: SqliteDatabase, db: SqliteDatabase, tenantId: number): void {
  const read = (sql: string) => catalogue.prepare(sql).iterate(tenantId) as IterableIterator<Record<string, unknown>>;
  const copies: [string, string, string[]][] = [
    [
      "SELECT idx, event_id, leaf_data, leaf_hash, content_digest, received_ms FROM entries WHERE tenant_id = ? ORDER BY idx",
      "entries",
      ["idx", "event_id", "leaf_data", "leaf_hash", "content_digest", "received_ms"],
    ],
    [
      "SELECT idx, pointer, salt, value FROM disclosures WHERE tenant_id = ?",
      // In clear, as layout 1 kept them: the ledger seals them on first load (sqlite-layout-4.ts).
      "plain_disclosures",
      ["idx", "pointer", "salt", "value"],
    ],
    ["SELECT level, idx, hash FROM tree_nodes WHERE tenant_id = ?", "tree_nodes", ["level", "idx", "hash"]],
    [
      "SELECT tree_size, root_hash, note, signed_at FROM checkpoints WHERE tenant_id = ?",
      "checkpoints",
      ["tree_size", "root_hash", "note", "signed_at"],
    ],
    [
      "SELECT action, version, definition, registered_at FROM action_schemas WHERE tenant_id = ?",
      "action_schemas",
      ["action", "version", "definition", "registered_at"],
    ],
  ];
  const write = db.transaction(() => {
    db.exec(PLAIN_DISCLOSURES_SCHEMA);
    for (const [select, table, columns] of copies) {
      const insert = db.prepare(
        `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
      );
      for (const row of read(select)) insert.run(...columns.map((c) => row[c]));
    }
  });
  write(undefined);
}
