// Rows of the streams table as both stores read them (SQLite keeps JSON as
// text and counts as numbers; PostgreSQL as jsonb and bigint strings).
import type { JsonObject } from "@trailproof/core";
import type { StreamProgress, StreamRecord, StreamStatus } from "./stream-store.js";

export interface StreamRow {
  stream_id: string;
  tenant_id: number;
  name: string;
  destination_type: string;
  destination: string | JsonObject;
  format: string;
  filter: string;
  personal: string;
  status: StreamStatus;
  secret_sealed: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  covered: number | string;
  last_sent: number | string | null;
  delivered: number | string;
  last_delivered_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

export function toStream(row: StreamRow): StreamRecord {
  return {
    streamId: row.stream_id,
    tenantId: Number(row.tenant_id),
    name: row.name,
    destinationType: row.destination_type,
    destination: typeof row.destination === "string" ? (JSON.parse(row.destination) as JsonObject) : row.destination,
    format: row.format,
    filter: row.filter,
    personal: row.personal,
    status: row.status,
    hasSecret: row.secret_sealed !== null,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

export function toProgress(row: StreamRow): StreamProgress {
  return {
    covered: Number(row.covered),
    lastSent: row.last_sent === null ? null : Number(row.last_sent),
    delivered: Number(row.delivered),
    lastDeliveredAt: row.last_delivered_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
  };
}

/** What a stream's secret is sealed under: its id, so a sealed secret moved to another row does not open. */
export const streamSecretKey = (streamId: string): string => `stream:${streamId}`;

/** A new stream's cursor (nothing delivered yet) or a copied stream's progress as it is. */
export function progressOf(cursor: number | StreamProgress): StreamProgress {
  return typeof cursor === "number"
    ? { covered: cursor, lastSent: null, delivered: 0, lastDeliveredAt: null, lastError: null, lastErrorAt: null }
    : cursor;
}
