// Migration 14: witness cosignatures (cosignature-store.ts): one row per
// (tenant, tree size, witness key), under row-level security. Rows are only
// inserted: a stored cosignature is evidence and is never changed.
import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

export const migration14: PostgresMigration = {
  version: 14,
  name: "cosignatures",
  up: ({ appRole }) => `
CREATE TABLE cosignatures (
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  tree_size bigint NOT NULL CHECK (tree_size >= 0),
  witness_key text COLLATE "C" NOT NULL,
  line text COLLATE "C" NOT NULL,
  "timestamp" bigint NOT NULL CHECK ("timestamp" >= 0),
  received_at text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, tree_size, witness_key)
);
ALTER TABLE cosignatures ENABLE ROW LEVEL SECURITY;
CREATE POLICY cosignatures_scope ON cosignatures TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
GRANT SELECT, INSERT ON cosignatures TO ${appRole};
`,
};
