// Notifications (/v1/channels, /v1/deliveries, /v1/operator/channels;
// docs/notifications.md): signed webhook channels, and the outbox's
// deliveries with their attempts. A channel's secret appears in exactly two
// answers, its creation and its rotation, and never again.
import { type Static, Type } from "typebox";

export const ChannelFormatSchema = Type.Union([Type.Literal("native"), Type.Literal("slack")], {
  description: "native: Trailproof's JSON payload; slack: a Slack-compatible {text, blocks} payload",
});

export const ChannelSchema = Type.Object({
  id: Type.String({ description: "chn_..." }),
  name: Type.String(),
  kind: Type.Literal("webhook"),
  format: ChannelFormatSchema,
  url: Type.String(),
  enabled: Type.Boolean(),
  created_at: Type.String(),
  created_by: Type.String(),
  updated_at: Type.String(),
  updated_by: Type.String(),
});
export type WireChannel = Static<typeof ChannelSchema>;

/** 201 and rotate-secret: the channel and its signing secret, shown this once. */
export const ChannelWithSecretSchema = Type.Object({
  channel: ChannelSchema,
  secret: Type.String({ description: "the HMAC-SHA256 signing secret: shown once, never again" }),
});
export type ChannelWithSecret = Static<typeof ChannelWithSecretSchema>;

export const ChannelResponseSchema = Type.Object({ channel: ChannelSchema });
export const ChannelListSchema = Type.Object({ channels: Type.Array(ChannelSchema) });

/** Checked by the service too (every problem listed): the URL's scheme and host, the name's length. */
export const NewChannelSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    format: Type.Optional(ChannelFormatSchema),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NewChannel = Static<typeof NewChannelSchema>;

export const ChannelPatchSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    format: Type.Optional(ChannelFormatSchema),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type ChannelPatch = Static<typeof ChannelPatchSchema>;

export const ChannelParamsSchema = Type.Object({ id: Type.String({ pattern: "^chn_[A-Za-z0-9_-]{1,64}$" }) });

export const ChannelTestResultSchema = Type.Object({
  delivered: Type.Boolean({ description: "true when the receiver answered 2xx" }),
  http_status: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Number(),
  delivery_id: Type.String({ description: "the Trailproof-Delivery header the test carried" }),
});
export type ChannelTestResult = Static<typeof ChannelTestResultSchema>;

export const DeliveryStatusSchema = Type.Union([
  Type.Literal("pending"),
  Type.Literal("delivered"),
  Type.Literal("dead"),
]);
export type WireDeliveryStatus = Static<typeof DeliveryStatusSchema>;

export const DeliverySchema = Type.Object({
  id: Type.String({ description: "dlv_...: the Trailproof-Delivery header, the same on every attempt" }),
  channel_id: Type.String(),
  kind: Type.String({ description: "alert.raise, report.generate or operator.alert" }),
  source_event_id: Type.Union([Type.String(), Type.Null()]),
  source_index: Type.Union([Type.Integer(), Type.Null()]),
  status: DeliveryStatusSchema,
  attempts: Type.Integer(),
  next_attempt_at: Type.String(),
  last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  delivered_at: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Record(Type.String(), Type.Unknown(), { description: "the native payload" }),
});
export type WireDelivery = Static<typeof DeliverySchema>;

export const DeliveryAttemptSchema = Type.Object({
  attempt: Type.Integer(),
  at: Type.String(),
  http_status: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Number(),
});
export type WireDeliveryAttempt = Static<typeof DeliveryAttemptSchema>;

export const DeliveryListSchema = Type.Object({ deliveries: Type.Array(DeliverySchema) });
export const DeliveryDetailSchema = Type.Object({
  delivery: DeliverySchema,
  attempts: Type.Array(DeliveryAttemptSchema),
});
export type DeliveryDetail = Static<typeof DeliveryDetailSchema>;

export const DeliveryListQuerySchema = Type.Object(
  {
    status: Type.Optional(DeliveryStatusSchema),
    channel: Type.Optional(Type.String({ pattern: "^chn_[A-Za-z0-9_-]{1,64}$" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const DeliveryParamsSchema = Type.Object({ id: Type.String({ pattern: "^dlv_[a-f0-9]{32}$" }) });
