// Migration 9: platform keys (access-store.ts PlatformKeyRecord), the
// operator's ingest keys that append to many tenants. They belong to no
// tenant: visible only in operator scope, and found by id before anything is
// known through find_platform_key, as API keys are (002-catalogue.ts).
import type { PostgresMigration } from "../postgres-migrations.js";
import { OPERATOR_SCOPE_CONDITION } from "../tenant-scope.js";

export const migration9: PostgresMigration = {
  version: 9,
  name: "platform-keys",
  up: ({ appRole }) => `
-- A small table keyed by the secret's id (a reference table on a distributed
-- PostgreSQL). tenants: a JSON array of tenant names, NULL for every tenant.
CREATE TABLE platform_keys (
  key_id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  secret_hash text COLLATE "C" NOT NULL,
  tenants jsonb CHECK (tenants IS NULL OR jsonb_typeof(tenants) = 'array'),
  create_tenants boolean NOT NULL,
  unknown_actions text COLLATE "C" NOT NULL CHECK (unknown_actions IN ('reject', 'accept')),
  created_at text COLLATE "C" NOT NULL,
  created_by text COLLATE "C",
  revoked_at text COLLATE "C"
);

-- The app role may update revoked_at only (column grant), once.
CREATE FUNCTION platform_keys_revoked_once() RETURNS trigger LANGUAGE plpgsql SET search_path = trailproof, pg_temp AS $$
BEGIN
  IF OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: a platform key is revoked once and stays revoked' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER platform_keys_revoked_once BEFORE UPDATE ON platform_keys
  FOR EACH ROW EXECUTE FUNCTION platform_keys_revoked_once();
CREATE TRIGGER platform_keys_append_only BEFORE DELETE OR TRUNCATE ON platform_keys
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

ALTER TABLE platform_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_keys_operator ON platform_keys TO ${appRole}
  USING (${OPERATOR_SCOPE_CONDITION}) WITH CHECK (${OPERATOR_SCOPE_CONDITION});
GRANT SELECT, INSERT ON platform_keys TO ${appRole};
GRANT UPDATE (revoked_at) ON platform_keys TO ${appRole};

CREATE FUNCTION find_platform_key(p_id text) RETURNS SETOF platform_keys
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = trailproof, pg_temp
  AS $$ SELECT * FROM platform_keys WHERE key_id = p_id $$;
REVOKE ALL ON FUNCTION find_platform_key(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_platform_key(text) TO ${appRole};
`,
};
