// SQLite schema, version 1. Append-only is enforced inside the database too:
// triggers refuse UPDATE and DELETE on sealed data, so a bug or a careless
// operator with a SQL shell cannot quietly edit history. (Retention, later,
// will be the one audited exception.)

export const SQLITE_SCHEMA_VERSION = 1;

const APPEND_ONLY_TABLES = ["entries", "tree_nodes", "checkpoints", "action_schemas"] as const;

const tables = `
CREATE TABLE IF NOT EXISTS tenants (
  tenant_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL UNIQUE,
  unknown_actions TEXT NOT NULL CHECK (unknown_actions IN ('reject', 'accept')),
  created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS entries (
  tenant_id INTEGER NOT NULL REFERENCES tenants (tenant_id),
  idx INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  leaf_data BLOB NOT NULL,
  leaf_hash BLOB NOT NULL,
  content_digest TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  occurred_ms INTEGER NOT NULL,
  action TEXT NOT NULL,
  kind TEXT NOT NULL,
  category TEXT NOT NULL,
  outcome TEXT NOT NULL,
  risk TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  session_id TEXT,
  run_id TEXT,
  workflow_id TEXT,
  caused_by TEXT,
  environment TEXT,
  trigger_id TEXT,
  message TEXT,
  -- JSON array of the event's tags, for the search tables built from it.
  tags TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_index ON entries (tenant_id, idx);
CREATE UNIQUE INDEX IF NOT EXISTS entries_event_id ON entries (tenant_id, event_id);
CREATE INDEX IF NOT EXISTS entries_time ON entries (tenant_id, occurred_ms);
CREATE INDEX IF NOT EXISTS entries_actor ON entries (tenant_id, actor_id, occurred_ms);
CREATE INDEX IF NOT EXISTS entries_action ON entries (tenant_id, action, occurred_ms);
CREATE INDEX IF NOT EXISTS entries_target ON entries (tenant_id, target_type, target_id, occurred_ms);
CREATE INDEX IF NOT EXISTS entries_session ON entries (tenant_id, session_id) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_run ON entries (tenant_id, run_id) WHERE run_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_workflow ON entries (tenant_id, workflow_id, occurred_ms) WHERE workflow_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS entries_caused_by ON entries (tenant_id, caused_by) WHERE caused_by IS NOT NULL;

-- Personal values and their salts, outside the leaf: erasing a row here
-- removes the value while the leaf's commitment keeps every proof valid.
CREATE TABLE IF NOT EXISTS disclosures (
  tenant_id INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  pointer TEXT NOT NULL,
  salt BLOB NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (tenant_id, idx, pointer)
) WITHOUT ROWID;

-- Perfect subtrees of level >= 1 (level 0 is entries.leaf_hash).
CREATE TABLE IF NOT EXISTS tree_nodes (
  tenant_id INTEGER NOT NULL,
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (tenant_id, level, idx)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS checkpoints (
  tenant_id INTEGER NOT NULL,
  tree_size INTEGER NOT NULL,
  root_hash BLOB NOT NULL,
  note TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, tree_size)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS action_schemas (
  tenant_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, action, version)
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

// tenants is not append-only: its settings (unknown_actions) change; its
// name and origin are never updated by any code path.
export const SQLITE_SCHEMA = `${tables}\n${APPEND_ONLY_TABLES.map(appendOnlyTriggers).join("\n")}`;
