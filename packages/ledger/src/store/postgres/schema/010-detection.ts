// Migration 10: detection (rule-store.ts): alert rules as append-only
// versions, the alerts they raised with their lifecycle, and the alert
// follower's cursor with the rule engine's snapshot, under row-level
// security like the rest of the catalogue.
import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

export const migration10: PostgresMigration = {
  version: 10,
  name: "detection",
  up: ({ appRole }) => `
CREATE TABLE rule_versions (
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  rule_id text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  definition jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
  deleted boolean NOT NULL,
  made_by text COLLATE "C" NOT NULL,
  made_at text COLLATE "C" NOT NULL,
  log_index bigint NOT NULL CHECK (log_index >= 0),
  PRIMARY KEY (tenant_id, rule_id, version)
);
CREATE TRIGGER rule_versions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON rule_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE alerts (
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  alert_id text COLLATE "C" NOT NULL,
  rule_id text COLLATE "C" NOT NULL,
  raised jsonb NOT NULL CHECK (jsonb_typeof(raised) = 'object'),
  log_index bigint NOT NULL CHECK (log_index >= 0),
  raised_at text COLLATE "C" NOT NULL,
  status text COLLATE "C" NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  acknowledged_by text COLLATE "C",
  acknowledged_at text COLLATE "C",
  resolved_by text COLLATE "C",
  resolved_at text COLLATE "C",
  resolution_index bigint CHECK (resolution_index IS NULL OR resolution_index >= 0),
  PRIMARY KEY (tenant_id, alert_id)
);
CREATE INDEX alerts_tenant ON alerts (tenant_id, log_index);

-- An alert moves forward only (the app role may update only the lifecycle
-- columns, and nothing is deleted).
CREATE FUNCTION alerts_forward_only() RETURNS trigger LANGUAGE plpgsql SET search_path = trailproof, pg_temp AS $$
BEGIN
  IF (OLD.status = 'resolved' AND (NEW.status IS DISTINCT FROM OLD.status OR NEW.resolved_by IS DISTINCT FROM OLD.resolved_by
        OR NEW.resolved_at IS DISTINCT FROM OLD.resolved_at))
      OR (OLD.status = 'acknowledged' AND NEW.status <> 'resolved')
      OR (OLD.acknowledged_at IS NOT NULL AND (NEW.acknowledged_by IS DISTINCT FROM OLD.acknowledged_by
        OR NEW.acknowledged_at IS DISTINCT FROM OLD.acknowledged_at))
      OR (OLD.resolution_index IS NOT NULL AND NEW.resolution_index IS DISTINCT FROM OLD.resolution_index) THEN
    RAISE EXCEPTION 'STORE_APPEND_ONLY: an alert only moves forward' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER alerts_forward_only BEFORE UPDATE ON alerts FOR EACH ROW EXECUTE FUNCTION alerts_forward_only();
CREATE TRIGGER alerts_append_only BEFORE DELETE OR TRUNCATE ON alerts
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE alert_follower (
  tenant_id integer PRIMARY KEY REFERENCES tenants (tenant_id),
  covered bigint NOT NULL CHECK (covered >= 0),
  snapshot jsonb CHECK (snapshot IS NULL OR jsonb_typeof(snapshot) = 'object')
);

ALTER TABLE rule_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY rule_versions_tenant ON rule_versions TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
CREATE POLICY alerts_tenant ON alerts TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
ALTER TABLE alert_follower ENABLE ROW LEVEL SECURITY;
CREATE POLICY alert_follower_tenant ON alert_follower TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
GRANT SELECT, INSERT ON rule_versions, alerts, alert_follower TO ${appRole};
GRANT UPDATE (status, acknowledged_by, acknowledged_at, resolved_by, resolved_at, resolution_index) ON alerts TO ${appRole};
GRANT UPDATE (covered, snapshot) ON alert_follower TO ${appRole};
`,
};
