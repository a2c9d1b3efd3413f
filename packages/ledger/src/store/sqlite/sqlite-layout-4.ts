// SQLite layout 4 (issue 12): personal values sealed per subject. A layout-3
// file's clear-text disclosures table is renamed plain_disclosures when the
// file is opened (the new sealed table takes its name); the ledger then seals
// those rows and deletes them, tenant by tenant, when it first loads the
// tenant (privacy/seal-plain-disclosures.ts), and drops nothing it has not
// replaced. Steps chain by `version < N`, each in the file's open transaction.
import type { SqliteDatabase } from "./sqlite-database.js";

/** The clear-text table of layout <= 3, kept only until its rows are sealed. */
export const PLAIN_DISCLOSURES_SCHEMA = `
CREATE TABLE IF NOT EXISTS plain_disclosures (
  idx INTEGER NOT NULL,
  pointer TEXT NOT NULL,
  salt BLOB NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (idx, pointer)
) WITHOUT ROWID;`;

function hasColumn(db: SqliteDatabase, table: string, column: string): boolean {
  const rows = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[];
  return rows.some((r) => r.name === column);
}

/** Applies the layout-4 step to a tenant file below version 4; a no-op on a new file. */
export function upgradeToLayout4(db: SqliteDatabase, version: number): void {
  if (version >= 4 || !hasColumn(db, "disclosures", "salt")) return;
  db.exec("ALTER TABLE disclosures RENAME TO plain_disclosures");
}
