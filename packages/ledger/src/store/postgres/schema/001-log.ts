// Migration 1: LogStore: tenants, entries, disclosures, tree_nodes, checkpoints, action_schemas, log heads.
import type { PostgresMigration } from "../postgres-migrations.js";

export const migration1: PostgresMigration = {
  version: 1,
  name: "log",
  up: ({ appRole }) => `-- filled in by the log store's author; appRole: ${appRole}
SELECT 1;`,
};
