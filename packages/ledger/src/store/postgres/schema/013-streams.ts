// Migration 13: SIEM streams (stream-store.ts): each tenant's stream
// definitions, their destinations' sealed secrets and their durable cursors,
// under row-level security. The cursor only moves by compare-and-set
// (UPDATE ... WHERE covered = expected), so nodes never move it backwards.
import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

export const migration13: PostgresMigration = {
  version: 13,
  name: "streams",
  up: ({ appRole }) => `
CREATE TABLE streams (
  stream_id text COLLATE "C" PRIMARY KEY,
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  name text NOT NULL,
  destination_type text COLLATE "C" NOT NULL,
  destination jsonb NOT NULL CHECK (jsonb_typeof(destination) = 'object'),
  format text COLLATE "C" NOT NULL,
  filter text NOT NULL,
  personal text COLLATE "C" NOT NULL CHECK (personal IN ('drop', 'pseudonymise')),
  status text COLLATE "C" NOT NULL CHECK (status IN ('active', 'paused')),
  secret_sealed text,
  created_at text COLLATE "C" NOT NULL,
  created_by text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  updated_by text COLLATE "C" NOT NULL,
  covered bigint NOT NULL CHECK (covered >= 0),
  last_sent bigint,
  delivered bigint NOT NULL DEFAULT 0,
  last_delivered_at text COLLATE "C",
  last_error text,
  last_error_at text COLLATE "C"
);
CREATE INDEX streams_tenant ON streams (tenant_id, created_at);
ALTER TABLE streams ENABLE ROW LEVEL SECURITY;
CREATE POLICY streams_scope ON streams TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
GRANT SELECT, INSERT, DELETE ON streams TO ${appRole};
GRANT UPDATE (status, secret_sealed, updated_at, updated_by, covered, last_sent, delivered, last_delivered_at,
  last_error, last_error_at) ON streams TO ${appRole};
`,
};
