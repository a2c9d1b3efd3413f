// Migration 2: AccessStore and PeopleStore: api_keys, people, sessions,
// viewer_tokens, under row-level security, with the three lookups by secret
// id that authentication makes before it knows the tenant.
import type { PostgresMigration } from "../postgres-migrations.js";
import { OPERATOR_SCOPE_CONDITION, TENANT_POLICY } from "../tenant-scope.js";

/**
 * Operator keys (tenant_id NULL) are visible only in operator scope, an
 * explicit setting (OPERATOR_SCOPE); TENANT_POLICY alone would hide them
 * everywhere (NULL = x). Neither an unset setting nor the '' PostgreSQL
 * leaves on a reused connection after a scope ends is operator scope.
 */
const API_KEY_POLICY = `(${TENANT_POLICY}) OR (tenant_id IS NULL AND ${OPERATOR_SCOPE_CONDITION})`;

/**
 * A narrow window through row-level security: the one row with this id,
 * read as the owner. A caller can pass only the id, so no query widens it.
 * search_path is pinned (pg_temp last) so no caller's object shadows ours.
 */
function lookupById(fn: string, table: string, column: string, appRole: string): string {
  return `CREATE FUNCTION ${fn}(p_id text) RETURNS SETOF ${table}
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = trailproof, pg_temp
  AS $$ SELECT * FROM ${table} WHERE ${column} = p_id $$;
REVOKE ALL ON FUNCTION ${fn}(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${fn}(text) TO ${appRole};`;
}

function rowLevelSecurity(table: string, policy: string, appRole: string): string {
  return `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${table}_tenant ON ${table} TO ${appRole} USING (${policy}) WITH CHECK (${policy});`;
}

export const migration2: PostgresMigration = {
  version: 2,
  name: "catalogue",
  up: ({ appRole }) => `
-- Distribution: people is keyed by (tenant_id, ...) and can be sharded on
-- tenant_id. api_keys, sessions and viewer_tokens cannot: authentication
-- finds a row by its secret id (key_id, session_hash, token_id) before it
-- knows the tenant, and operator keys have no tenant at all; they stay small
-- tables keyed by that id (a reference table on a distributed PostgreSQL).
-- Times are ISO 8601 text, returned exactly as the service wrote them; ids,
-- names and times compare bytewise (COLLATE "C"), as in SQLite.
CREATE TABLE api_keys (
  key_id text COLLATE "C" PRIMARY KEY,
  tenant_id integer REFERENCES tenants (tenant_id),
  role text COLLATE "C" NOT NULL CHECK (role IN ('ingest', 'viewer', 'auditor', 'admin', 'operator')),
  name text NOT NULL,
  secret_hash text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  created_by text COLLATE "C",
  revoked_at text COLLATE "C",
  CHECK ((role = 'operator') = (tenant_id IS NULL))
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id, role) WHERE revoked_at IS NULL;

-- The app role may update revoked_at only (column grant); this keeps a
-- revocation from being undone.
CREATE FUNCTION api_keys_revoked_once() RETURNS trigger LANGUAGE plpgsql SET search_path = trailproof, pg_temp AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: a revoked api key stays revoked' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER api_keys_revoked_once BEFORE UPDATE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION api_keys_revoked_once();

CREATE TABLE people (
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  username text COLLATE "C" NOT NULL,
  display_name text NOT NULL,
  role text COLLATE "C" NOT NULL CHECK (role IN ('viewer', 'auditor', 'admin')),
  password_hash text NOT NULL,
  totp_secret text,
  totp_enrolled_at text COLLATE "C",
  totp_last_step bigint NOT NULL DEFAULT 0,
  recovery_hashes text[] NOT NULL DEFAULT '{}',
  created_at text COLLATE "C" NOT NULL,
  disabled_at text COLLATE "C",
  PRIMARY KEY (tenant_id, username)
);

CREATE TABLE sessions (
  session_hash text COLLATE "C" PRIMARY KEY,
  tenant_id integer NOT NULL,
  username text COLLATE "C" NOT NULL,
  csrf_token text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  expires_at text COLLATE "C" NOT NULL,
  revoked_at text COLLATE "C",
  FOREIGN KEY (tenant_id, username) REFERENCES people (tenant_id, username)
);
CREATE INDEX sessions_person ON sessions (tenant_id, username);

CREATE TABLE viewer_tokens (
  token_id text COLLATE "C" PRIMARY KEY,
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  secret_hash text COLLATE "C" NOT NULL,
  viewer_id text COLLATE "C" NOT NULL,
  viewer_name text,
  filter jsonb NOT NULL CHECK (jsonb_typeof(filter) = 'object'),
  created_by text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  expires_at text COLLATE "C" NOT NULL
);
CREATE INDEX viewer_tokens_tenant ON viewer_tokens (tenant_id);

${rowLevelSecurity("api_keys", API_KEY_POLICY, appRole)}
${rowLevelSecurity("people", TENANT_POLICY, appRole)}
${rowLevelSecurity("sessions", TENANT_POLICY, appRole)}
${rowLevelSecurity("viewer_tokens", TENANT_POLICY, appRole)}

-- Only what the stores do: nothing is deleted, and only the mutable columns change.
GRANT SELECT, INSERT ON api_keys, people, sessions, viewer_tokens TO ${appRole};
GRANT UPDATE (revoked_at) ON api_keys TO ${appRole};
GRANT UPDATE (totp_secret, totp_enrolled_at, totp_last_step, recovery_hashes, disabled_at) ON people TO ${appRole};
GRANT UPDATE (revoked_at) ON sessions TO ${appRole};

${lookupById("find_api_key", "api_keys", "key_id", appRole)}
${lookupById("find_session", "sessions", "session_hash", appRole)}
${lookupById("find_viewer_token", "viewer_tokens", "token_id", appRole)}
`,
};
