// Migration 12: report schedules (report-store.ts, docs/reports.md), under
// row-level security like the rest of the catalogue. 10 and 11 belong to
// alert rules and notification channels (issue 15), built beside this one.
import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

export const migration12: PostgresMigration = {
  version: 12,
  name: "report-schedules",
  up: ({ appRole }) => `
CREATE TABLE report_schedules (
  schedule_id text COLLATE "C" NOT NULL,
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  name text NOT NULL,
  cron text COLLATE "C" NOT NULL,
  period text COLLATE "C" NOT NULL,
  definition jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
  channel_ids jsonb NOT NULL CHECK (jsonb_typeof(channel_ids) = 'array'),
  enabled boolean NOT NULL,
  created_by text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  updated_at text COLLATE "C" NOT NULL,
  last_fired_at text COLLATE "C",
  last_report_id text COLLATE "C",
  PRIMARY KEY (tenant_id, schedule_id)
);

ALTER TABLE report_schedules ENABLE ROW LEVEL SECURITY;
CREATE POLICY report_schedules_tenant ON report_schedules TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
GRANT SELECT, INSERT, UPDATE, DELETE ON report_schedules TO ${appRole};
`,
};
