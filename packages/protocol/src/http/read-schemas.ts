// Smaller read parameters and answers: an event id, the automations window,
// the stats answer, viewer tokens and the ingest body. The event filter
// parameters themselves belong to the search syntax (../query/).
import { type Static, Type } from "typebox";

export const EventIdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** One event or `{"events": [...]}`: the ledger validates each event and lists every problem. */
export const IngestBodySchema = Type.Object({}, { additionalProperties: true });

export const AutomationsQuerySchema = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) },
  { additionalProperties: false },
);

/** The stats parameters beside the event filter. */
export const StatsQueryProperties = {
  bucket: Type.Optional(
    Type.Union([Type.Literal("minute"), Type.Literal("hour"), Type.Literal("day"), Type.Literal("week")], {
      default: "hour",
    }),
  ),
  group_by: Type.Optional(
    Type.Union([
      Type.Literal("action"),
      Type.Literal("actor"),
      Type.Literal("outcome"),
      Type.Literal("risk"),
      Type.Literal("kind"),
      Type.Literal("category"),
    ]),
  ),
  pseudonyms: Type.Optional(
    Type.Boolean({
      description:
        "with group_by=actor, name each group by the actor's keyed pseudonym instead of its id; always so for roles that may not read personal values",
    }),
  ),
};

export const StatsBucketSchema = Type.Object({
  start: Type.String(),
  count: Type.Integer(),
  groups: Type.Optional(Type.Record(Type.String(), Type.Integer())),
  other: Type.Optional(Type.Integer({ description: "events outside the named groups" })),
});
export type StatsBucket = Static<typeof StatsBucketSchema>;

export const StatsSchema = Type.Object({
  total: Type.Integer(),
  bucket: Type.String(),
  group_by: Type.Union([Type.String(), Type.Null()]),
  pseudonyms: Type.Optional(Type.Boolean({ description: "true when the actor groups are pseudonyms" })),
  groups: Type.Optional(Type.Array(Type.String(), { description: "the named groups, largest first" })),
  buckets: Type.Array(StatsBucketSchema),
});
export type Stats = Static<typeof StatsSchema>;

/** Longest a viewer token lives. */
export const MAX_VIEWER_TOKEN_TTL_S = 3600;

/** The viewer token request beside its optional filter (the event filter parameters). */
export const ViewerTokenProperties = {
  viewer: Type.Object(
    {
      id: Type.String({ minLength: 1, maxLength: 256 }),
      name: Type.Optional(Type.String({ maxLength: 256 })),
    },
    { additionalProperties: false },
  ),
  ttl_seconds: Type.Optional(Type.Integer({ minimum: 60, maximum: MAX_VIEWER_TOKEN_TTL_S, default: 900 })),
};

export const ViewerTokenSchema = Type.Object({
  token: Type.String(),
  expires_at: Type.String(),
  embed_path: Type.String(),
});
export type ViewerToken = Static<typeof ViewerTokenSchema>;

/** A live viewer token as its tenant's admins see it: never the token itself. */
export const IssuedViewerTokenSchema = Type.Object({
  token_id: Type.String(),
  viewer: Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
  filter: Type.Record(Type.String(), Type.String(), { description: "the search parameters every read is pinned to" }),
  created_by: Type.String(),
  created_at: Type.String(),
  expires_at: Type.String(),
});
export type IssuedViewerToken = Static<typeof IssuedViewerTokenSchema>;

export const IssuedViewerTokenListSchema = Type.Object({ viewer_tokens: Type.Array(IssuedViewerTokenSchema) });
