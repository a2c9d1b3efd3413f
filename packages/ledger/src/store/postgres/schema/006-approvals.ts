// Migration 6: dual control (approval-store.ts): requests that take effect
// only once a different person approves them, and each tenant's setting,
// under row-level security like the rest of the catalogue.
import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

export const migration6: PostgresMigration = {
  version: 6,
  name: "approvals",
  up: ({ appRole }) => `
CREATE TABLE approvals (
  approval_id text COLLATE "C" NOT NULL,
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  action text COLLATE "C" NOT NULL,
  request jsonb NOT NULL CHECK (jsonb_typeof(request) = 'object'),
  requested_by text COLLATE "C" NOT NULL,
  requester_owner text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at text COLLATE "C" NOT NULL,
  expires_at text COLLATE "C" NOT NULL,
  decided_by text COLLATE "C",
  decided_at text COLLATE "C",
  outcome jsonb CHECK (outcome IS NULL OR jsonb_typeof(outcome) = 'object'),
  PRIMARY KEY (tenant_id, approval_id),
  CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX approvals_tenant ON approvals (tenant_id, created_at);

-- A request is decided once and its outcome recorded once (the app role may
-- update only those columns, and nothing is deleted).
CREATE FUNCTION approvals_decided_once() RETURNS trigger LANGUAGE plpgsql SET search_path = trailproof, pg_temp AS $$
BEGIN
  IF OLD.status <> 'pending' AND (NEW.status IS DISTINCT FROM OLD.status OR NEW.decided_by IS DISTINCT FROM OLD.decided_by
      OR NEW.decided_at IS DISTINCT FROM OLD.decided_at) THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: an approval is decided once' USING ERRCODE = 'restrict_violation';
  END IF;
  IF OLD.outcome IS NOT NULL AND NEW.outcome IS DISTINCT FROM OLD.outcome THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: an approval''s outcome is recorded once' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER approvals_decided_once BEFORE UPDATE ON approvals
  FOR EACH ROW EXECUTE FUNCTION approvals_decided_once();

CREATE TABLE dual_control (
  tenant_id integer PRIMARY KEY REFERENCES tenants (tenant_id),
  single_admin boolean NOT NULL,
  set_by text COLLATE "C" NOT NULL,
  set_at text COLLATE "C" NOT NULL
);

ALTER TABLE approvals ENABLE ROW LEVEL SECURITY;
CREATE POLICY approvals_tenant ON approvals TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
ALTER TABLE dual_control ENABLE ROW LEVEL SECURITY;
CREATE POLICY dual_control_tenant ON dual_control TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
GRANT SELECT, INSERT ON approvals, dual_control TO ${appRole};
GRANT UPDATE (status, decided_by, decided_at, outcome) ON approvals TO ${appRole};
GRANT UPDATE (single_admin, set_by, set_at) ON dual_control TO ${appRole};
`,
};
