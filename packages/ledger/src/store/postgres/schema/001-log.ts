// Migration 1: LogStore: tenants, entries, disclosures, tree_nodes, checkpoints, action_schemas, log heads.
// Every table is keyed by tenant_id first (a distributed PostgreSQL shards on
// it); the sealed tables are append-only by privilege and by trigger.
import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

/**
 * The sealed record. The app role may only SELECT and INSERT them, and a
 * statement trigger refuses UPDATE, DELETE and TRUNCATE from anyone,
 * including the owner: an accidental edit fails; a deliberate one needs the
 * triggers disabled, which is tampering that verification reports.
 * Disclosures are sealed too: nothing erases a personal value yet, and
 * erasure will come as its own migration and code path.
 */
const SEALED_TABLES = ["entries", "disclosures", "tree_nodes", "checkpoints", "action_schemas"] as const;

/** Tables holding one tenant's rows: row-level security applies to each. */
const TENANT_TABLES = ["log_heads", ...SEALED_TABLES] as const;

const TABLES = `
-- The directory every node reads: a reference table, no row-level security.
-- Only unknown_actions ever changes (the trigger below keeps the rest).
CREATE TABLE tenants (
  tenant_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text COLLATE "C" NOT NULL UNIQUE,
  origin text COLLATE "C" NOT NULL UNIQUE,
  unknown_actions text COLLATE "C" NOT NULL CHECK (unknown_actions IN ('reject', 'accept')),
  created_at text COLLATE "C" NOT NULL
);

-- One row per tenant: size is the next index. appendBatch locks this row
-- (SELECT ... FOR UPDATE), so appends from every node are sequenced here.
CREATE TABLE log_heads (
  tenant_id integer PRIMARY KEY REFERENCES tenants (tenant_id),
  size bigint NOT NULL DEFAULT 0 CHECK (size >= 0)
);

-- Only what sealing and idempotency need; searchable fields live in the
-- projection. No foreign key to tenants: a per-row check would slow bulk
-- appends, and an entry cannot be written without its tenant's head row.
CREATE TABLE entries (
  tenant_id integer NOT NULL,
  idx bigint NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  leaf_data bytea NOT NULL,
  leaf_hash bytea NOT NULL,
  content_digest text COLLATE "C" NOT NULL,
  received_ms bigint NOT NULL,
  PRIMARY KEY (tenant_id, idx),
  CONSTRAINT entries_event_id UNIQUE (tenant_id, event_id)
);

-- Personal values and their salts, outside the leaf.
CREATE TABLE disclosures (
  tenant_id integer NOT NULL,
  idx bigint NOT NULL,
  pointer text COLLATE "C" NOT NULL,
  salt bytea NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (tenant_id, idx, pointer)
);

-- Perfect subtrees of level >= 1 (level 0 is entries.leaf_hash).
CREATE TABLE tree_nodes (
  tenant_id integer NOT NULL,
  level smallint NOT NULL CHECK (level > 0),
  idx bigint NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (tenant_id, level, idx)
);

CREATE TABLE checkpoints (
  tenant_id integer NOT NULL,
  tree_size bigint NOT NULL,
  root_hash bytea NOT NULL,
  note text NOT NULL,
  signed_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, tree_size)
);

CREATE TABLE action_schemas (
  tenant_id integer NOT NULL,
  action text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  definition text NOT NULL,
  registered_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, action, version)
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'STORE_APPEND_ONLY: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END $$;

-- A head only moves forward and is never removed: a rewound head would let
-- the next batch collide with sealed entries.
CREATE FUNCTION check_head_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.size < OLD.size THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: log head of tenant % cannot move from % to %', OLD.tenant_id, OLD.size, NEW.size
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION check_tenant_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.tenant_id <> OLD.tenant_id OR NEW.name <> OLD.name OR NEW.origin <> OLD.origin
    OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: a tenant''s id, name, origin and creation time never change'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER log_heads_forward BEFORE UPDATE ON log_heads FOR EACH ROW EXECUTE FUNCTION check_head_change();
CREATE TRIGGER log_heads_append_only BEFORE DELETE OR TRUNCATE ON log_heads
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER tenants_fixed BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION check_tenant_change();
`;

function sealed(table: string, appRole: string): string {
  // Statement triggers: they fire even when no row matches, and cost nothing per row.
  return `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
GRANT SELECT, INSERT ON ${table} TO ${appRole};`;
}

function tenantScoped(table: string, appRole: string): string {
  return `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${table}_tenant ON ${table} FOR ALL TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});`;
}

export const migration1: PostgresMigration = {
  version: 1,
  name: "log",
  up: ({ appRole }) => `${TABLES}
${SEALED_TABLES.map((t) => sealed(t, appRole)).join("\n")}
${TENANT_TABLES.map((t) => tenantScoped(t, appRole)).join("\n")}
GRANT SELECT, INSERT, UPDATE ON log_heads TO ${appRole};
GRANT SELECT, INSERT ON tenants TO ${appRole};
GRANT UPDATE (unknown_actions) ON tenants TO ${appRole};
`,
};
