// SQLite layout, version 3: one small catalogue file (trailproof.db: tenants,
// API keys, people) and one file per tenant (tenants/<name>.db) holding that
// tenant's log and its search projection. A tenant's data never shares pages,
// a write lock or a full-text index with another's, and its export,
// retention and deletion are one-file operations (docs/storage.md).
//
// The log tables are the sealed record: append-only, enforced inside the
// database by triggers, so a bug or a careless operator with a SQL shell
// cannot quietly edit history. The search projection (sqlite-search-schema.ts)
// is derived from them and rebuilt from them.

/**
 * 3: the full-text index in parts (search_text_parts, sqlite-text-parts.ts),
 * added to a layout-2 file when it is opened. A build of layout 2 would read
 * only the first part, so it must refuse the file: hence a new version.
 * 4: personal values sealed per subject (disclosures.subject, .sealed),
 * subject_keys and erasures; the clear-text rows of layout 3 are renamed
 * plain_disclosures and sealed by the ledger (sqlite-layout-4.ts).
 * 5: retention pruning: pruned_ranges and the entries trigger that lets
 * pruning blank a recorded range's leaf data (sqlite-layout-5.ts).
 */
export const SQLITE_LAYOUT_VERSION = 5;

const APPEND_ONLY_TABLES = ["entries", "tree_nodes", "checkpoints", "action_schemas", "erasures"] as const;

/**
 * `entries` keeps only what sealing and idempotency need: the index as the
 * rowid (appends land at the end of the b-tree), the event id (unique: the
 * idempotency check), the leaf and what the receipt repeats. Searchable
 * fields live in the projection, written behind the log in larger,
 * unfsynced transactions: measured on 2 cores (docs/storage.md), this table
 * with its event-id index and the tree nodes takes 0.6-0.7x of a bare
 * primary-key insert, where the v1 table with ten indexes took 0.2x.
 */
const TABLES = `
CREATE TABLE IF NOT EXISTS entries (
  idx INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  leaf_data BLOB NOT NULL,
  leaf_hash BLOB NOT NULL,
  content_digest TEXT NOT NULL,
  received_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_event_id ON entries (event_id);

-- Personal values outside the leaf, each {salt, value} sealed under its
-- subject's data key (the ledger's privacy/sealed-disclosure.ts). Erasure
-- sets sealed to NULL and keeps the row: the tombstone tells an erased
-- value from one deleted behind the service's back.
CREATE TABLE IF NOT EXISTS disclosures (
  idx INTEGER NOT NULL,
  pointer TEXT NOT NULL,
  subject TEXT NOT NULL,
  sealed BLOB,
  PRIMARY KEY (idx, pointer)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS disclosures_subject ON disclosures (subject, idx);

-- One data key per subject (keyed pseudonym), wrapped by the master key.
-- Erasure sets wrapped_key to NULL for good.
CREATE TABLE IF NOT EXISTS subject_keys (
  subject TEXT PRIMARY KEY,
  wrapped_key BLOB,
  created_ms INTEGER NOT NULL,
  erased_ms INTEGER,
  erasure_id TEXT
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS erasures (
  erasure_id TEXT PRIMARY KEY,
  subject TEXT NOT NULL UNIQUE,
  requested_by TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  erased_ms INTEGER NOT NULL,
  values_erased INTEGER NOT NULL,
  entries_touched INTEGER NOT NULL
) WITHOUT ROWID;

-- Erasure is the one change to these tables: a value only ever becomes a
-- tombstone, a key only ever becomes destroyed (or rewrapped while it lives).
CREATE TRIGGER IF NOT EXISTS disclosures_no_delete BEFORE DELETE ON disclosures
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: disclosures are erased, never deleted'); END;
CREATE TRIGGER IF NOT EXISTS disclosures_erase_only BEFORE UPDATE ON disclosures
WHEN NEW.sealed IS NOT NULL OR NEW.idx <> OLD.idx OR NEW.pointer <> OLD.pointer OR NEW.subject <> OLD.subject
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: a disclosure only changes by erasure'); END;
CREATE TRIGGER IF NOT EXISTS subject_keys_no_delete BEFORE DELETE ON subject_keys
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: subject keys are erased, never deleted'); END;
CREATE TRIGGER IF NOT EXISTS subject_keys_no_revival BEFORE UPDATE ON subject_keys
WHEN OLD.wrapped_key IS NULL OR NEW.subject <> OLD.subject
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: an erased subject key never comes back'); END;

-- Perfect subtrees of level >= 1 (level 0 is entries.leaf_hash).
CREATE TABLE IF NOT EXISTS tree_nodes (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS checkpoints (
  tree_size INTEGER PRIMARY KEY,
  root_hash BLOB NOT NULL,
  note TEXT NOT NULL,
  signed_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS action_schemas (
  action TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  PRIMARY KEY (action, version)
) WITHOUT ROWID;
`;

function appendOnlyTriggers(table: string): string {
  return ["UPDATE", "DELETE"]
    .map(
      (op) => `CREATE TRIGGER IF NOT EXISTS ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: ${table} is append-only'); END;`,
    )
    .join("\n");
}

/** The log tables of one tenant's file, with their append-only triggers. */
export const SQLITE_TENANT_LOG_SCHEMA = `${TABLES}\n${APPEND_ONLY_TABLES.map(appendOnlyTriggers).join("\n")}`;

/**
 * The catalogue: which tenants exist. Not append-only: a tenant's settings
 * (unknown_actions) change; its name and origin are never updated by any
 * code path. API keys and people add their own tables to this file.
 */
export const SQLITE_CATALOGUE_SCHEMA = `
CREATE TABLE IF NOT EXISTS tenants (
  tenant_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL UNIQUE,
  unknown_actions TEXT NOT NULL CHECK (unknown_actions IN ('reject', 'accept')),
  created_at TEXT NOT NULL
);
`;
