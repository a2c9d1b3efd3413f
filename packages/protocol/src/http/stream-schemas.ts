// SIEM streams (/v1/streams; docs/streams.md): per-tenant destinations
// (syslog over TCP or TLS, NATS JetStream, an HTTPS webhook) with a filter,
// a format and a privacy mode, each following the log from a durable
// cursor. A destination's secret appears in exactly two answers, its
// creation and its rotation, and never again.
import { type Static, Type } from "typebox";

export const StreamFormatSchema = Type.Union([Type.Literal("native"), Type.Literal("ocsf"), Type.Literal("cef")], {
  description: "native: Trailproof's JSON; ocsf: an OCSF event (docs/ocsf.md); cef: ArcSight CEF (docs/cef.md)",
});

export const StreamPersonalSchema = Type.Union([Type.Literal("drop"), Type.Literal("pseudonymise")], {
  description:
    "drop (default): people's ids read `redacted` and personal values are left out; pseudonymise: the tenant's keyed pseudonym in place of each. Erased values never leave.",
});

const Host = Type.String({ minLength: 1, maxLength: 253 });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });

export const SyslogDestinationSchema = Type.Object(
  {
    type: Type.Literal("syslog"),
    host: Host,
    port: Port,
    tls: Type.Boolean({ description: "RFC 5425 TLS; false: plain TCP (RFC 6587 octet counting either way)" }),
    ca_pem: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 65536,
        description: "PEM CA the server's certificate must chain to (default: the system's roots)",
      }),
    ),
    server_name: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    app_name: Type.Optional(Type.String({ minLength: 1, maxLength: 48, pattern: "^[!-~]+$" })),
    facility: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
    sd_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 32,
        description: "the structured-data id (default trailproof@32473; docs/syslog.md)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const NatsDestinationSchema = Type.Object(
  {
    type: Type.Literal("nats"),
    servers: Type.Array(Type.String({ minLength: 1, maxLength: 512, pattern: "^nats://" }), {
      minItems: 1,
      maxItems: 16,
    }),
    subject: Type.String({ minLength: 1, maxLength: 255, pattern: "^[^\\s*>]+$" }),
  },
  { additionalProperties: false },
);

export const WebhookDestinationSchema = Type.Object(
  { type: Type.Literal("webhook"), url: Type.String({ minLength: 1, maxLength: 2048 }) },
  { additionalProperties: false },
);

export const StreamDestinationSchema = Type.Union([
  SyslogDestinationSchema,
  NatsDestinationSchema,
  WebhookDestinationSchema,
]);

export const StreamHealthSchema = Type.Object({
  running: Type.Boolean({ description: "whether the answering node runs the stream now" }),
  lag_entries: Type.Integer({ description: "log entries not delivered (or passed over by the filter) yet" }),
  lag_seconds: Type.Number({ description: "how long ago the oldest waiting entry was received; 0 when none waits" }),
  covered: Type.Integer({ description: "the cursor: entries below this index are done" }),
  last_sent_index: Type.Union([Type.Integer(), Type.Null()], {
    description: "the index of the last message delivered",
  }),
  delivered: Type.Integer({ description: "messages delivered since the stream was created" }),
  last_delivered_at: Type.Union([Type.String(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()], {
    description: "the last failure, cleared by the next delivery",
  }),
  last_error_at: Type.Union([Type.String(), Type.Null()]),
});
export type WireStreamHealth = Static<typeof StreamHealthSchema>;

export const StreamSchema = Type.Object({
  id: Type.String({ description: "str_..." }),
  name: Type.String(),
  destination: StreamDestinationSchema,
  format: StreamFormatSchema,
  filter: Type.String({ description: "search syntax; empty: every entry" }),
  personal: StreamPersonalSchema,
  status: Type.Union([Type.Literal("active"), Type.Literal("paused")]),
  has_secret: Type.Boolean(),
  created_at: Type.String(),
  created_by: Type.String(),
  updated_at: Type.String(),
  updated_by: Type.String(),
  health: Type.Optional(StreamHealthSchema),
});
export type WireStream = Static<typeof StreamSchema>;

export const NewStreamSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    destination: StreamDestinationSchema,
    format: Type.Optional(StreamFormatSchema),
    filter: Type.Optional(Type.String({ maxLength: 2000 })),
    personal: Type.Optional(StreamPersonalSchema),
    start: Type.Optional(
      Type.Union([Type.Literal("now"), Type.Literal("beginning")], {
        description: "now (default): from the stream's own stream.create entry on; beginning: the whole log",
      }),
    ),
    secret: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description: "nats: the server's auth token (none when absent); webhook: ignored, a signing secret is made",
      }),
    ),
  },
  { additionalProperties: false },
);
export type NewStream = Static<typeof NewStreamSchema>;

export const StreamWithSecretSchema = Type.Object({
  stream: StreamSchema,
  secret: Type.Union([Type.String(), Type.Null()], {
    description: "webhook: the HMAC-SHA256 signing secret, shown this once; null for a destination without one",
  }),
});
export const StreamResponseSchema = Type.Object({ stream: StreamSchema });
export const StreamListSchema = Type.Object({ streams: Type.Array(StreamSchema) });
export const StreamParamsSchema = Type.Object({ id: Type.String({ pattern: "^str_[A-Za-z0-9_-]{1,64}$" }) });
