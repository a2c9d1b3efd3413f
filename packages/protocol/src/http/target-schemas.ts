// Entity histories (/v1/targets/{type}/{id}/history): every recorded change
// to one target, and with `at` its state at that moment.
import { type Static, Type } from "typebox";
import { MinIndexProperty } from "./read-your-writes.js";
import { EventItemSchema } from "./wire-schemas.js";

/** The event format's own limits on target type and id. */
export const TargetParamsSchema = Type.Object({
  type: Type.String({ pattern: "^[a-z][a-z0-9_]*$", maxLength: 128 }),
  id: Type.String({ minLength: 1, maxLength: 256 }),
});

export const TargetHistoryQuerySchema = Type.Object(
  {
    at: Type.Optional(Type.String({ description: "RFC 3339: reconstruct the state as of this moment" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    order: Type.Optional(Type.Union([Type.Literal("desc"), Type.Literal("asc")], { default: "desc" })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    ...MinIndexProperty,
  },
  { additionalProperties: false },
);

export const TargetHistorySchema = Type.Object({
  target: Type.Object({ type: Type.String(), id: Type.String() }),
  events: Type.Array(EventItemSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
  state_at: Type.Optional(
    Type.Object({
      at: Type.String(),
      state: Type.Unknown(),
      as_of: Type.Union([
        Type.Null(),
        Type.Object({ index: Type.Integer(), event_id: Type.String(), occurred_at: Type.String() }),
      ]),
      applied_events: Type.Integer(),
      gaps: Type.Array(Type.Unknown()),
    }),
  ),
});
export type TargetHistory = Static<typeof TargetHistorySchema>;
