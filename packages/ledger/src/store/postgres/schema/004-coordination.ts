// Migration 4: what service nodes share beside the log. key_items holds each
// tenant's keys and key records sealed with the operator's master key
// (postgres-key-vault.ts); leases elect the one node that signs checkpoints
// (postgres-lease.ts).

import type { PostgresMigration } from "../postgres-migrations.js";
import { TENANT_POLICY } from "../tenant-scope.js";

export const migration4: PostgresMigration = {
  version: 4,
  name: "coordination",
  up: ({ appRole }) => `
CREATE TABLE key_items (
  tenant_id integer NOT NULL REFERENCES tenants (tenant_id),
  name text COLLATE "C" NOT NULL,
  -- AES-256-GCM: 12-byte nonce, ciphertext, 16-byte tag; the tenant and the
  -- item's name are its associated data, so a row moved or swapped fails.
  sealed bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, name)
);
ALTER TABLE key_items ENABLE ROW LEVEL SECURITY;
CREATE POLICY key_items_tenant ON key_items TO ${appRole} USING (${TENANT_POLICY}) WITH CHECK (${TENANT_POLICY});
-- Rotation replaces the verifier list and deletes a retired private key.
GRANT SELECT, INSERT, UPDATE, DELETE ON key_items TO ${appRole};

-- Not tenant data: one row per role a node can hold (e.g. 'checkpoint-publisher').
CREATE TABLE leases (
  name text COLLATE "C" PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON leases TO ${appRole};
`,
};
