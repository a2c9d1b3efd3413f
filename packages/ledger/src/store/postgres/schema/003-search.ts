// Migration 3: the search projection (FollowerSink) and the AuditQuery it serves.
import type { PostgresMigration } from "../postgres-migrations.js";

export const migration3: PostgresMigration = {
  version: 3,
  name: "search",
  up: ({ appRole }) => `-- filled in by the search store's author; appRole: ${appRole}
SELECT 1;`,
};
