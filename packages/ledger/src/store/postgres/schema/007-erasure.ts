// Migration 7: erasure (issue 12). Personal values sealed per subject: the
// clear-text disclosures of migration 1 are renamed plain_disclosures (the
// ledger seals and deletes them on first load, privacy/seal-plain-disclosures.ts);
// the new disclosures hold (subject, sealed); subject_keys hold each
// subject's data key wrapped by the master key; erasures record each
// crypto-shredding. Erasure is the one change these tables allow.
import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

function tenantScoped(table: string, appRole: string): string {
  return `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${table}_tenant ON ${table} FOR ALL TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});`;
}

export const migration7: PostgresMigration = {
  version: 7,
  name: "erasure",
  up: ({ appRole }) => `
DROP TRIGGER disclosures_append_only ON disclosures;
ALTER TABLE disclosures RENAME TO plain_disclosures;
ALTER TABLE plain_disclosures RENAME CONSTRAINT disclosures_pkey TO plain_disclosures_pkey;
ALTER POLICY disclosures_tenant ON plain_disclosures RENAME TO plain_disclosures_tenant;
GRANT DELETE ON plain_disclosures TO ${appRole};

CREATE TABLE disclosures (
  tenant_id integer NOT NULL,
  idx bigint NOT NULL,
  pointer text COLLATE "C" NOT NULL,
  subject text COLLATE "C" NOT NULL,
  sealed bytea,
  PRIMARY KEY (tenant_id, idx, pointer)
);
CREATE INDEX disclosures_subject ON disclosures (tenant_id, subject, idx);

CREATE TABLE subject_keys (
  tenant_id integer NOT NULL,
  subject text COLLATE "C" NOT NULL,
  wrapped_key bytea,
  created_ms bigint NOT NULL,
  erased_ms bigint,
  erasure_id text COLLATE "C",
  PRIMARY KEY (tenant_id, subject)
);

CREATE TABLE erasures (
  tenant_id integer NOT NULL,
  erasure_id text COLLATE "C" NOT NULL,
  subject text COLLATE "C" NOT NULL,
  requested_by text COLLATE "C" NOT NULL,
  approved_by text COLLATE "C" NOT NULL,
  erased_ms bigint NOT NULL,
  values_erased integer NOT NULL,
  entries_touched integer NOT NULL,
  PRIMARY KEY (tenant_id, erasure_id),
  UNIQUE (tenant_id, subject)
);

CREATE FUNCTION disclosures_erase_only() RETURNS trigger LANGUAGE plpgsql SET search_path = trailproof, pg_temp AS $$
BEGIN
  IF NEW.sealed IS NOT NULL OR NEW.tenant_id <> OLD.tenant_id OR NEW.idx <> OLD.idx OR NEW.pointer <> OLD.pointer
      OR NEW.subject <> OLD.subject THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: a disclosure only changes by erasure' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION subject_keys_no_revival() RETURNS trigger LANGUAGE plpgsql SET search_path = trailproof, pg_temp AS $$
BEGIN
  IF OLD.wrapped_key IS NULL OR NEW.tenant_id <> OLD.tenant_id OR NEW.subject <> OLD.subject THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: an erased subject key never comes back' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER disclosures_erase_only BEFORE UPDATE ON disclosures FOR EACH ROW EXECUTE FUNCTION disclosures_erase_only();
CREATE TRIGGER disclosures_append_only BEFORE DELETE OR TRUNCATE ON disclosures
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER subject_keys_no_revival BEFORE UPDATE ON subject_keys FOR EACH ROW EXECUTE FUNCTION subject_keys_no_revival();
CREATE TRIGGER subject_keys_append_only BEFORE DELETE OR TRUNCATE ON subject_keys
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER erasures_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON erasures
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

GRANT SELECT, INSERT ON disclosures, subject_keys, erasures TO ${appRole};
GRANT UPDATE (sealed) ON disclosures TO ${appRole};
GRANT UPDATE (wrapped_key, erased_ms, erasure_id) ON subject_keys TO ${appRole};
${["disclosures", "subject_keys", "erasures"].map((t) => tenantScoped(t, appRole)).join("\n")}
`,
};
