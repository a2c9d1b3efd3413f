// Migration 11: notifications (notification-store.ts): webhook channels
// (tenant_id NULL: the operator's), the outbox of deliveries and their
// attempts, under row-level security where operator rows are visible in
// operator scope only. Claiming due deliveries and the outbox's totals cross
// tenants, so they are SECURITY DEFINER functions the app role may call.
// The follower's cursor is a row of follower_cursors (003-search.ts).
import type { PostgresMigration } from "../postgres-migrations.js";
import { OPERATOR_SCOPE_CONDITION, TENANT_POLICY } from "../tenant-scope.js";

const POLICY = `(${TENANT_POLICY}) OR (tenant_id IS NULL AND ${OPERATOR_SCOPE_CONDITION})`;

export const migration11: PostgresMigration = {
  version: 11,
  name: "notifications",
  up: ({ appRole }) => `
CREATE TABLE notification_channels (
  channel_id text COLLATE "C" PRIMARY KEY,
  tenant_id integer REFERENCES tenants (tenant_id),
  name text NOT NULL,
  kind text COLLATE "C" NOT NULL CHECK (kind = 'webhook'),
  format text COLLATE "C" NOT NULL CHECK (format IN ('native', 'slack')),
  url text NOT NULL,
  secret_sealed text NOT NULL,
  enabled boolean NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  created_by text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  updated_by text COLLATE "C" NOT NULL
);
CREATE INDEX notification_channels_tenant ON notification_channels (tenant_id, created_at);

CREATE TABLE notification_deliveries (
  delivery_id text COLLATE "C" PRIMARY KEY,
  tenant_id integer REFERENCES tenants (tenant_id),
  channel_id text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL,
  source_event_id text COLLATE "C",
  source_index bigint,
  payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  status text COLLATE "C" NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts integer NOT NULL,
  next_attempt_at text COLLATE "C" NOT NULL,
  last_error text,
  created_at text COLLATE "C" NOT NULL,
  delivered_at text COLLATE "C",
  claimed_by text COLLATE "C",
  claimed_until text COLLATE "C"
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_at);
CREATE INDEX notification_deliveries_tenant ON notification_deliveries (tenant_id, created_at);

CREATE TABLE notification_attempts (
  delivery_id text COLLATE "C" NOT NULL,
  tenant_id integer REFERENCES tenants (tenant_id),
  attempt integer NOT NULL,
  at text COLLATE "C" NOT NULL,
  http_status integer,
  error text,
  duration_ms integer NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE TRIGGER notification_attempts_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON notification_attempts
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

ALTER TABLE notification_channels ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_channels_scope ON notification_channels TO ${appRole} USING (${POLICY}) WITH CHECK (${POLICY});
ALTER TABLE notification_deliveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_deliveries_scope ON notification_deliveries TO ${appRole} USING (${POLICY}) WITH CHECK (${POLICY});
ALTER TABLE notification_attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_attempts_scope ON notification_attempts TO ${appRole} USING (${POLICY}) WITH CHECK (${POLICY});
GRANT SELECT, INSERT, DELETE ON notification_channels TO ${appRole};
GRANT UPDATE (name, format, url, enabled, secret_sealed, updated_at, updated_by) ON notification_channels TO ${appRole};
GRANT SELECT, INSERT ON notification_deliveries, notification_attempts TO ${appRole};
GRANT UPDATE (status, attempts, next_attempt_at, last_error, delivered_at, claimed_by, claimed_until)
  ON notification_deliveries TO ${appRole};

-- Claims due deliveries of every tenant (and the operator) for one node:
-- SKIP LOCKED and the claim's end make two nodes' claims disjoint.
CREATE FUNCTION claim_deliveries(p_now text, p_until text, p_token text, p_limit integer)
  RETURNS SETOF notification_deliveries
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = trailproof, pg_temp AS $$
  UPDATE notification_deliveries d SET claimed_by = p_token, claimed_until = p_until
  WHERE d.delivery_id IN (
    SELECT x.delivery_id FROM notification_deliveries x
      JOIN notification_channels c ON c.channel_id = x.channel_id AND c.tenant_id IS NOT DISTINCT FROM x.tenant_id
    WHERE x.status = 'pending' AND x.next_attempt_at <= p_now AND c.enabled
      AND (x.claimed_until IS NULL OR x.claimed_until <= p_now)
    ORDER BY x.next_attempt_at, x.delivery_id LIMIT p_limit
    FOR UPDATE OF x SKIP LOCKED)
  RETURNING d.*
$$;
REVOKE ALL ON FUNCTION claim_deliveries(text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_deliveries(text, text, text, integer) TO ${appRole};

CREATE FUNCTION outbox_stats(OUT pending bigint, OUT dead bigint, OUT oldest text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = trailproof, pg_temp AS $$
  SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'dead'),
    min(created_at) FILTER (WHERE status = 'pending') FROM notification_deliveries
$$;
REVOKE ALL ON FUNCTION outbox_stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION outbox_stats() TO ${appRole};
`,
};
