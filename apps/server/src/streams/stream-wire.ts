// Streams on the wire (protocol's stream-schemas.ts), and a stream as its
// stream.* events record it: where it goes by host and port or URL origin,
// never a secret, never a URL's path or credentials.
import { randomBytes } from "node:crypto";
import type { StreamRecord } from "@trailproof/ledger";
import type { WireStream, WireStreamHealth } from "@trailproof/protocol";
import { urlOrigin } from "../notify/channel-url.js";
import type { StreamHealth } from "./stream-manager.js";
import type { DestinationConfig } from "./stream-types.js";

export const newStreamId = (): string => `str_${randomBytes(12).toString("base64url")}`;
/** 32 random bytes: a webhook stream's HMAC key, shown once. */
export const newStreamSecret = (): string => `whsec_${randomBytes(32).toString("base64url")}`;

/** Where a destination sends, without credentials: syslog+tls://host:port, nats://host:port/subject, an origin. */
export function describeDestination(d: DestinationConfig): string {
  switch (d.type) {
    case "syslog":
      return `syslog${d.tls ? "+tls" : ""}://${d.host}:${d.port}`;
    case "nats": {
      const servers = d.servers.map((s) => {
        try {
          const u = new URL(s);
          return `${u.protocol}//${u.host}`;
        } catch {
          return "invalid";
        }
      });
      return `${servers.join(",")} ${d.subject}`;
    }
    case "webhook":
      return urlOrigin(d.url);
  }
}

export function toWireHealth(h: StreamHealth): WireStreamHealth {
  return {
    running: h.running,
    lag_entries: h.lagEntries,
    lag_seconds: Math.round(h.lagSeconds * 1000) / 1000,
    covered: h.progress.covered,
    last_sent_index: h.progress.lastSent,
    delivered: h.progress.delivered,
    last_delivered_at: h.progress.lastDeliveredAt,
    last_error: h.progress.lastError,
    last_error_at: h.progress.lastErrorAt,
  };
}

/**
 * The destination as a reader who may not change the stream sees it: a
 * webhook URL's origin only (a path or query can itself be a credential),
 * and no CA certificate; admins see it whole.
 */
export function destinationFor(d: DestinationConfig, whole: boolean): WireStream["destination"] {
  if (whole) return d as WireStream["destination"];
  if (d.type === "webhook") return { type: "webhook", url: urlOrigin(d.url) };
  if (d.type === "syslog") {
    const { ca_pem: _ca, ...rest } = d;
    return rest;
  }
  return d;
}

export function toWireStream(s: StreamRecord, health?: StreamHealth, whole = true): WireStream {
  const wire: WireStream = {
    id: s.streamId,
    name: s.name,
    destination: destinationFor(s.destination as unknown as DestinationConfig, whole),
    format: s.format as WireStream["format"],
    filter: s.filter,
    personal: s.personal as WireStream["personal"],
    status: s.status,
    has_secret: s.hasSecret,
    created_at: s.createdAt,
    created_by: s.createdBy,
    updated_at: s.updatedAt,
    updated_by: s.updatedBy,
  };
  if (health) wire.health = toWireHealth(health);
  return wire;
}

/** What a stream.* event records of the stream (its change.before/after). */
export function streamState(s: StreamRecord): Record<string, string> {
  return {
    name: s.name,
    destination_type: s.destinationType,
    destination: describeDestination(s.destination as unknown as DestinationConfig),
    format: s.format,
    filter: s.filter,
    personal: s.personal,
    status: s.status,
  };
}
