// Migration 4: what nodes share: leases, signing and digest keys, counters and expiring claims.
import type { PostgresMigration } from "../postgres-migrations.js";

export const migration4: PostgresMigration = {
  version: 4,
  name: "coordination",
  up: ({ appRole }) => `-- filled in by the coordination store's author; appRole: ${appRole}
SELECT 1;`,
};
