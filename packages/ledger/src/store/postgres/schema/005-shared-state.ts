// Migration 5: the short-lived state service nodes share (shared-state.ts,
// postgres-shared-state.ts): failed sign-ins, rate-limit windows, read
// deduplication marks, pending sign-ins and verification jobs.

import type { PostgresMigration } from "../postgres-migrations.js";

/**
 * Node coordination, not tenant data: no tenant_id and no row-level
 * security, like leases. Keys are opaque and carry no event (the service
 * hashes what might be sensitive before using it as a key); every row
 * expires within an hour and the service deletes expired rows as it writes,
 * so UNLOGGED suits them: a crash that empties the tables only forgets
 * throttles and pending sign-ins a restart would forget on one node anyway.
 */
export const migration5: PostgresMigration = {
  version: 5,
  name: "shared-state",
  up: ({ appRole }) => `
CREATE UNLOGGED TABLE shared_hits (
  key text COLLATE "C" NOT NULL,
  at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX shared_hits_key ON shared_hits (key, at);
CREATE INDEX shared_hits_expiry ON shared_hits (expires_at);

CREATE UNLOGGED TABLE shared_counters (
  key text COLLATE "C" PRIMARY KEY,
  count bigint NOT NULL,
  window_ends_at timestamptz NOT NULL
);
CREATE INDEX shared_counters_expiry ON shared_counters (window_ends_at);

CREATE UNLOGGED TABLE shared_values (
  key text COLLATE "C" PRIMARY KEY,
  value text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX shared_values_expiry ON shared_values (expires_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON shared_hits, shared_counters, shared_values TO ${appRole};
`,
};
