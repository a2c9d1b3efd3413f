// Migration 2: AccessStore and PeopleStore: api_keys, people, sessions, viewer_tokens.
import type { PostgresMigration } from "../postgres-migrations.js";

export const migration2: PostgresMigration = {
  version: 2,
  name: "catalogue",
  up: ({ appRole }) => `-- filled in by the catalogue store's author; appRole: ${appRole}
SELECT 1;`,
};
