// Rows of the notification tables (schema/011-notifications.ts and
// sqlite-notification-store.ts) and their records: one mapping for both backends.
import type { JsonObject } from "@trailproof/core";
import type {
  ChannelFormat,
  ChannelRecord,
  DeliveryAttempt,
  DeliveryRecord,
  DeliveryStatus,
} from "./notification-store.js";

export interface ChannelRow {
  channel_id: string;
  tenant_id: number | null;
  name: string;
  format: string;
  url: string;
  enabled: boolean | number;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

export interface DeliveryRow {
  delivery_id: string;
  tenant_id: number | null;
  channel_id: string;
  kind: string;
  source_event_id: string | null;
  source_index: number | string | null;
  payload: string | JsonObject;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: string;
  http_status: number | null;
  error: string | null;
  duration_ms: number;
}

export function toChannel(r: ChannelRow): ChannelRecord {
  return {
    channelId: r.channel_id,
    tenantId: r.tenant_id,
    name: r.name,
    kind: "webhook",
    format: r.format as ChannelFormat,
    url: r.url,
    enabled: r.enabled === true || r.enabled === 1,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

export function toDelivery(r: DeliveryRow): DeliveryRecord {
  return {
    deliveryId: r.delivery_id,
    tenantId: r.tenant_id,
    channelId: r.channel_id,
    kind: r.kind,
    sourceEventId: r.source_event_id,
    sourceIndex: r.source_index === null ? null : Number(r.source_index),
    payload: typeof r.payload === "string" ? (JSON.parse(r.payload) as JsonObject) : r.payload,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
  };
}

export function toAttempt(r: AttemptRow): DeliveryAttempt {
  return {
    deliveryId: r.delivery_id,
    attempt: r.attempt,
    at: r.at,
    httpStatus: r.http_status,
    error: r.error,
    durationMs: r.duration_ms,
  };
}
