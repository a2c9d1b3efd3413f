// The shapes a SIEM stream is built from (docs/streams.md). A stream follows
// one tenant's committed entries from a durable cursor; each entry its
// filter matches becomes a StreamMessage (the event as the stream's privacy
// mode lets it leave), a formatter turns that into the text a destination
// carries (native JSON, OCSF JSON or CEF), and the destination hands the
// texts over in log order. Every message names the tenant's origin, the
// entry's log index and the index sent before it on this stream, so a
// consumer can tell a gap (prev_index is not the last index it holds) from a
// duplicate (an index it holds already).
import type { JsonObject } from "@trailproof/core";

export const STREAM_FORMATS = ["native", "ocsf", "cef"] as const;
export type StreamFormat = (typeof STREAM_FORMATS)[number];

/**
 * How personal data leaves on a stream. Personal values are never in the
 * log's leaves (they are committed, and stored sealed apart), so `drop`
 * sends the leaf without them and without the people's ids; `pseudonymise`
 * sends the tenant's keyed pseudonym in place of each person's id and each
 * personal value still held. An erased value never leaves, in either mode.
 * Secrets are never stored, so never sent.
 */
export const STREAM_PERSONAL_MODES = ["drop", "pseudonymise"] as const;
export type StreamPersonalMode = (typeof STREAM_PERSONAL_MODES)[number];

/** One entry as it leaves on a stream, before formatting. */
export interface StreamMessage {
  streamId: string;
  /** The tenant log's origin (its checkpoint's first line). */
  origin: string;
  /** The entry's index in the tenant's log. */
  index: number;
  /** The index of the message sent before this one on this stream; null for the stream's first. */
  prevIndex: number | null;
  eventId: string;
  /** The event after the stream's privacy mode: what may leave, and nothing else. */
  event: JsonObject;
}

/** Turns a message into the text a destination carries: one line, no trailing newline. */
export type MessageFormatter = (message: StreamMessage) => string;

/** A formatted message handed to a destination. */
export interface OutgoingMessage {
  index: number;
  prevIndex: number | null;
  eventId: string;
  /** The event's occurred_at (RFC 3339), for a transport's own timestamp (syslog's). */
  occurredAt: string;
  /** The event's action, for a transport's own message id (syslog's MSGID). */
  action: string;
  /** The event's outcome.status and risk, for a transport's own severity (syslog's PRI); absent reads as success, low. */
  outcome?: string;
  risk?: string;
  /** The formatted body. */
  text: string;
}

/**
 * Where a stream's messages go. One instance per running stream; the stream
 * calls send() one batch at a time, in log order, and never concurrently.
 *
 * send() resolves once the batch is handed over, and throws (any error;
 * STREAM_DESTINATION_FAILED with a short cause is best) when it could not be:
 * the stream then backs off and sends again from its durable cursor, so a
 * destination may receive a message twice, never miss one.
 *
 * Where the protocol acknowledges what the receiver took (an HTTP 2xx, a
 * JetStream publish ack), a resolved send() is delivery, and settleMs is 0.
 * Where it does not (syslog over TCP or TLS: the kernel took the bytes, the
 * receiver may still die before reading them), settleMs says how long a
 * handed-over batch must stand with no connection lost before it counts as
 * delivered; generation increments at every connection lost, and the stream
 * re-sends whatever was handed over since the last settled batch.
 */
export interface StreamDestination {
  readonly settleMs: number;
  readonly generation: number;
  send(batch: readonly OutgoingMessage[]): Promise<void>;
  /** Closes connections; pending bytes may be dropped (they are not settled). */
  close(): Promise<void>;
}

/** What a destination is built with, besides its own configuration. */
export interface DestinationContext {
  streamId: string;
  /** The tenant log's origin. */
  origin: string;
  /** The tenant's name. */
  tenant: string;
  /** The destination's secret (webhook signing key, NATS token), unsealed; undefined when it has none. */
  secret: string | undefined;
  /** A send's timeout. */
  timeoutMs: number;
}

/** Syslog, RFC 5424 messages with octet-counting framing (RFC 6587) over TCP, or over TLS (RFC 5425). */
export interface SyslogDestinationConfig {
  type: "syslog";
  host: string;
  port: number;
  /** RFC 5425 TLS; the server's certificate is checked against `ca_pem` (PEM) or the system's roots. */
  tls: boolean;
  ca_pem?: string;
  /** The name the server's certificate must carry, when not `host`. */
  server_name?: string;
  /** RFC 5424 APP-NAME (default "trailproof"). */
  app_name?: string;
  /** RFC 5424 facility number, 0-23 (default 13, log audit). */
  facility?: number;
  /** RFC 5424 SD-ID of the stream's parameters, name@enterprise-number (default trailproof@32473, see docs/syslog.md). */
  sd_id?: string;
}

/** NATS JetStream: one publish per message to `subject`, with Nats-Msg-Id so the server drops redeliveries. */
export interface NatsDestinationConfig {
  type: "nats";
  /** nats://host:port, one or more. */
  servers: string[];
  subject: string;
}

/** HTTPS webhook: NDJSON batches signed as the alert webhooks are (docs/notifications.md). */
export interface WebhookDestinationConfig {
  type: "webhook";
  url: string;
}

export type DestinationConfig = SyslogDestinationConfig | NatsDestinationConfig | WebhookDestinationConfig;
export type DestinationType = DestinationConfig["type"];

/** Builds a destination; called when a stream starts and after its secret is rotated. */
export type DestinationFactory<C extends DestinationConfig = DestinationConfig> = (
  config: C,
  context: DestinationContext,
) => StreamDestination;
