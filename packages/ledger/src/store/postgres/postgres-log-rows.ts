// Rows of the PostgreSQL log tables (schema/001-log.ts) and their mapping to
// the LogStore contract's records. bytea arrives as a Buffer, a Uint8Array.
import type { JsonValue } from "@trailproof/core";
import type { CheckpointRow, StoredEntry, StoredLeaf, TenantRecord, UnknownActionPolicy } from "../log-store.js";

export interface TenantSqlRow {
  tenant_id: number;
  name: string;
  origin: string;
  unknown_actions: UnknownActionPolicy;
  created_at: string;
}

export interface EntrySqlRow {
  idx: number;
  event_id: string;
  leaf_data: Uint8Array;
  leaf_hash: Uint8Array;
  content_digest: string;
  received_ms: number;
}

export interface CheckpointSqlRow {
  tree_size: number;
  root_hash: Uint8Array;
  note: string;
  signed_at: string;
}

export const toTenant = (r: TenantSqlRow): TenantRecord => ({
  tenantId: r.tenant_id,
  name: r.name,
  origin: r.origin,
  unknownActions: r.unknown_actions,
  createdAt: r.created_at,
});

export const toEntry = (r: EntrySqlRow): StoredEntry => ({
  index: r.idx,
  eventId: r.event_id,
  leafData: r.leaf_data,
  leafHash: r.leaf_hash,
  contentDigest: r.content_digest,
  receivedMs: r.received_ms,
});

export const toLeaf = (r: EntrySqlRow): StoredLeaf => ({
  index: r.idx,
  leafData: r.leaf_data,
  leafHash: r.leaf_hash,
  eventId: r.event_id,
  receivedMs: r.received_ms,
  contentDigest: r.content_digest,
});

export const toCheckpoint = (r: CheckpointSqlRow): CheckpointRow => ({
  treeSize: r.tree_size,
  rootHash: r.root_hash,
  note: r.note,
  signedAt: r.signed_at,
});

/**
 * A stored personal value. Text that is not JSON (a damaged or edited row)
 * comes back as that text, a string, which cannot open the commitment made
 * to the real value: the reader marks it as failing, never serves it. The
 * same rule as the SQLite store's.
 */
export function parseStoredValue(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** PostgreSQL's unique_violation, optionally of one named constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: unknown; constraint_name?: unknown } | null;
  return (
    typeof e === "object" &&
    e !== null &&
    e.code === "23505" &&
    (constraint === undefined || e.constraint_name === constraint)
  );
}
