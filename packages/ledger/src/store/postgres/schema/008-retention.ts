// Migration 8: retention (docs/retention.md). Per tenant: pruned_ranges,
// append-only; an entries trigger that lets exactly one UPDATE through,
// blanking the leaf data of an entry a pruned_ranges row covers; the
// privileges pruning needs (delete a pruned entry's personal values; its
// search rows through prune_search_rows); and the catalogue of retention policies and legal holds.
import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

const PRUNING = (appRole: string) => `
CREATE TABLE pruned_ranges (
  tenant_id integer NOT NULL,
  start_idx bigint NOT NULL,
  end_idx bigint NOT NULL,
  prune_idx bigint NOT NULL,
  PRIMARY KEY (tenant_id, start_idx),
  CHECK (end_idx > start_idx AND prune_idx >= end_idx)
);
CREATE TRIGGER pruned_ranges_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON pruned_ranges
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The sealed entries stay sealed but for pruning: an UPDATE may only blank
-- leaf_data (zero bytes) of an entry inside a recorded pruned range, every
-- other column unchanged. DELETE and TRUNCATE stay refused outright.
CREATE FUNCTION check_entry_prune() RETURNS trigger LANGUAGE plpgsql SET search_path = trailproof, pg_temp AS $$
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id OR NEW.idx IS DISTINCT FROM OLD.idx
    OR NEW.event_id IS DISTINCT FROM OLD.event_id OR NEW.leaf_hash IS DISTINCT FROM OLD.leaf_hash
    OR NEW.content_digest IS DISTINCT FROM OLD.content_digest OR NEW.received_ms IS DISTINCT FROM OLD.received_ms
    OR octet_length(NEW.leaf_data) <> 0
    OR NOT EXISTS (SELECT 1 FROM pruned_ranges p WHERE p.tenant_id = OLD.tenant_id
      AND p.start_idx <= OLD.idx AND OLD.idx < p.end_idx) THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: entries is append-only (only pruning blanks a recorded range''s leaf data)'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS entries_append_only ON entries;
CREATE TRIGGER entries_append_only BEFORE DELETE OR TRUNCATE ON entries
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER entries_prune_only BEFORE UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION check_entry_prune();

-- Personal values: deleted only for an entry whose body was pruned.
CREATE FUNCTION check_disclosure_prune() RETURNS trigger LANGUAGE plpgsql SET search_path = trailproof, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pruned_ranges p WHERE p.tenant_id = OLD.tenant_id
      AND p.start_idx <= OLD.idx AND OLD.idx < p.end_idx) THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: disclosures are deleted only with a pruned body' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN OLD;
END $$;
-- UPDATE stays as migration 7 left it: only erasure, which tombstones a value (disclosures_erase_only).
DROP TRIGGER IF EXISTS disclosures_append_only ON disclosures;
CREATE TRIGGER disclosures_append_only BEFORE TRUNCATE ON disclosures
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER disclosures_prune_only BEFORE DELETE ON disclosures FOR EACH ROW EXECUTE FUNCTION check_disclosure_prune();

ALTER TABLE pruned_ranges ENABLE ROW LEVEL SECURITY;
CREATE POLICY pruned_ranges_tenant ON pruned_ranges FOR ALL TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
GRANT SELECT, INSERT ON pruned_ranges TO ${appRole};
GRANT UPDATE (leaf_data) ON entries TO ${appRole};
GRANT DELETE ON disclosures TO ${appRole};

-- A pruned range's search rows, tags and share of the hourly counts. The app
-- role may not delete projected rows (a service bug must not thin the
-- projection); this function, run as the owner, deletes only those of a
-- range recorded in pruned_ranges for the transaction's tenant, which it
-- names by the row-level security setting, as the policies do.
CREATE FUNCTION prune_search_rows(p_start bigint, p_end bigint) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = trailproof, pg_temp AS $$
DECLARE
  t integer := (SELECT CASE WHEN s ~ '^[0-9]+$' THEN s::integer END FROM current_setting('trailproof.tenant_id', true) AS s);
  rec record;
BEGIN
  IF t IS NULL OR NOT EXISTS (SELECT 1 FROM pruned_ranges p WHERE p.tenant_id = t
      AND p.start_idx = p_start AND p.end_idx = p_end) THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: search rows are deleted only for a recorded pruned range'
      USING ERRCODE = 'restrict_violation';
  END IF;
  FOR rec IN
    SELECT r.occurred_ms - (((r.occurred_ms % 3600000) + 3600000) % 3600000) AS hour_ms, count(*) AS n
    FROM search_rows r WHERE r.tenant_id = t AND r.idx >= p_start AND r.idx < p_end GROUP BY 1
  LOOP
    DELETE FROM search_hours h WHERE h.tenant_id = t AND h.hour_ms = rec.hour_ms AND h.n <= rec.n;
    UPDATE search_hours h SET n = h.n - rec.n WHERE h.tenant_id = t AND h.hour_ms = rec.hour_ms;
  END LOOP;
  DELETE FROM search_rows r WHERE r.tenant_id = t AND r.idx >= p_start AND r.idx < p_end;
  DELETE FROM search_tags g WHERE g.tenant_id = t AND g.idx >= p_start AND g.idx < p_end;
END $$;
REVOKE ALL ON FUNCTION prune_search_rows(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION prune_search_rows(bigint, bigint) TO ${appRole};
`;

const CATALOGUE = (appRole: string) => `
-- One policy per tenant (rules and default as JSON, validated by the service).
CREATE TABLE retention_policies (
  tenant_id integer PRIMARY KEY REFERENCES tenants (tenant_id),
  policy jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
  updated_by text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL
);

-- A hold is placed once and lifted once; nothing is deleted.
CREATE TABLE legal_holds (
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  hold_id text COLLATE "C" NOT NULL,
  scope jsonb NOT NULL CHECK (jsonb_typeof(scope) = 'object'),
  reason text NOT NULL,
  expires_at text COLLATE "C",
  placed_by text COLLATE "C" NOT NULL,
  placed_at text COLLATE "C" NOT NULL,
  lifted_by text COLLATE "C",
  lifted_at text COLLATE "C",
  PRIMARY KEY (tenant_id, hold_id),
  CHECK ((lifted_by IS NULL) = (lifted_at IS NULL))
);
CREATE FUNCTION legal_holds_lifted_once() RETURNS trigger LANGUAGE plpgsql SET search_path = trailproof, pg_temp AS $$
BEGIN
  IF OLD.lifted_at IS NOT NULL THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: a legal hold is lifted once' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER legal_holds_lifted_once BEFORE UPDATE ON legal_holds FOR EACH ROW EXECUTE FUNCTION legal_holds_lifted_once();
CREATE TRIGGER legal_holds_append_only BEFORE DELETE OR TRUNCATE ON legal_holds
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

ALTER TABLE retention_policies ENABLE ROW LEVEL SECURITY;
CREATE POLICY retention_policies_tenant ON retention_policies TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
ALTER TABLE legal_holds ENABLE ROW LEVEL SECURITY;
CREATE POLICY legal_holds_tenant ON legal_holds TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
GRANT SELECT, INSERT ON retention_policies, legal_holds TO ${appRole};
GRANT UPDATE (policy, updated_by, updated_at) ON retention_policies TO ${appRole};
GRANT UPDATE (lifted_by, lifted_at) ON legal_holds TO ${appRole};
`;

export const migration8: PostgresMigration = {
  version: 8,
  name: "retention",
  up: ({ appRole }) => `${PRUNING(appRole)}\n${CATALOGUE(appRole)}`,
};
