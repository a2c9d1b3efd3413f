// Channels and deliveries on the wire (protocol's notification-schemas.ts),
// and a channel's state as the log records it (its URL's origin only).
import { randomBytes } from "node:crypto";
import type { ChannelRecord, DeliveryAttempt, DeliveryRecord } from "@trailproof/ledger";
import type { WireChannel, WireDelivery, WireDeliveryAttempt } from "@trailproof/protocol";
import { urlOrigin } from "./channel-url.js";

export const newChannelId = (): string => `chn_${randomBytes(12).toString("base64url")}`;
/** 32 random bytes: the HMAC key, shown once. */
export const newChannelSecret = (): string => `whsec_${randomBytes(32).toString("base64url")}`;

export function toWireChannel(c: ChannelRecord): WireChannel {
  return {
    id: c.channelId,
    name: c.name,
    kind: c.kind,
    format: c.format,
    url: c.url,
    enabled: c.enabled,
    created_at: c.createdAt,
    created_by: c.createdBy,
    updated_at: c.updatedAt,
    updated_by: c.updatedBy,
  };
}

/** What a channel.* event records of the channel. */
export function channelState(c: ChannelRecord): Record<string, string | boolean> {
  return { name: c.name, format: c.format, url_origin: urlOrigin(c.url), enabled: c.enabled };
}

export function toWireDelivery(d: DeliveryRecord): WireDelivery {
  return {
    id: d.deliveryId,
    channel_id: d.channelId,
    kind: d.kind,
    source_event_id: d.sourceEventId,
    source_index: d.sourceIndex,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.nextAttemptAt,
    last_error: d.lastError,
    created_at: d.createdAt,
    delivered_at: d.deliveredAt,
    payload: d.payload,
  };
}

export function toWireAttempt(a: DeliveryAttempt): WireDeliveryAttempt {
  return { attempt: a.attempt, at: a.at, http_status: a.httpStatus, error: a.error, duration_ms: a.durationMs };
}
