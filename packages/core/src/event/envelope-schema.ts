// The event envelope, schema_version 1, as a platform sends it (log format v1).
// Closed at every level except metadata and the states, which the action's
// definition validates. Limits are part of the format: raising one is a change.
import { type Static, Type } from "typebox";
import type { JsonObject, JsonValue } from "../canonical-json.js";
import {
  ACTION_CATEGORIES,
  ACTION_KINDS,
  ACTION_NAME_PATTERN,
  MAX_ACTION_NAME_LENGTH,
  RISK_LEVELS,
} from "../schema/action-taxonomy.js";

export const EVENT_SCHEMA_VERSION = 1;

/** Whole event, RFC 8785 canonical UTF-8 bytes. */
export const MAX_EVENT_BYTES = 256 * 1024;
/** change.before and change.after, each, canonical bytes. */
export const MAX_STATE_BYTES = 64 * 1024;
/** metadata, canonical bytes. */
export const MAX_METADATA_BYTES = 16 * 1024;
/** Nesting levels of the whole event (the top-level object is level 1). */
export const MAX_EVENT_DEPTH = 32;
/** Any envelope string without a tighter limit below. */
export const MAX_STRING_LENGTH = 1024;
export const MAX_EVENT_ID_LENGTH = 128;
export const MAX_PRINCIPAL_ID_LENGTH = 256;
export const MAX_MESSAGE_LENGTH = 512;
export const MAX_TAGS = 32;
export const MAX_TAG_LENGTH = 128;
export const MAX_TARGET_PATH_ELEMENTS = 16;
export const MAX_DECISION_PATH_ELEMENTS = 64;
export const MAX_PATCH_OPERATIONS = 1024;

export const ACTOR_TYPES = ["user", "service_account", "automation", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
export const OUTCOME_STATUSES = ["success", "failure", "denied"] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];
export const AUTOMATION_ORIGINS = ["schedule", "webhook", "integration", "workflow", "rule", "api"] as const;
export type AutomationOrigin = (typeof AUTOMATION_ORIGINS)[number];
export const PATCH_OPS = ["add", "remove", "replace", "move", "copy", "test"] as const;

export const EVENT_ID_PATTERN = "^[A-Za-z0-9._:-]+$";
/** RFC 3339 date-time with a mandatory offset; calendar validity is checked separately. */
export const TIMESTAMP_PATTERN =
  "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$";
export const STATE_HASH_PATTERN = "^sha256:[0-9a-f]{64}$";
/** RFC 6901 pointer. `/` is excluded inside a token so the pattern cannot backtrack exponentially. */
export const JSON_POINTER_PATTERN = "^(/([^~/]|~[01])*)*$";
export const TAG_PATTERN = "^[a-z0-9][a-z0-9_.-]*(:[a-z0-9][a-z0-9_.-]*(/[a-z0-9][a-z0-9_.-]*)*)?$";

const text = (maxLength = MAX_STRING_LENGTH) => Type.String({ maxLength });
const nonEmpty = (maxLength = MAX_STRING_LENGTH) => Type.String({ minLength: 1, maxLength });
const eventId = (description: string) =>
  Type.String({ minLength: 1, maxLength: MAX_EVENT_ID_LENGTH, pattern: EVENT_ID_PATTERN, description });
const closed = { additionalProperties: false } as const;
const anyJson = Type.Unsafe<JsonValue>({});

const principal = {
  type: Type.Enum([...ACTOR_TYPES]),
  id: nonEmpty(MAX_PRINCIPAL_ID_LENGTH),
  name: Type.Optional(text()),
};

const patchOperation = Type.Object(
  {
    op: Type.Enum([...PATCH_OPS]),
    path: Type.String({
      maxLength: MAX_STRING_LENGTH,
      pattern: JSON_POINTER_PATTERN,
      description: "an RFC 6901 JSON Pointer such as /fields/0/label",
    }),
    from: Type.Optional(
      Type.String({
        maxLength: MAX_STRING_LENGTH,
        pattern: JSON_POINTER_PATTERN,
        description: "an RFC 6901 JSON Pointer",
      }),
    ),
    value: Type.Optional(anyJson),
  },
  closed,
);

const stateHash = Type.String({
  pattern: STATE_HASH_PATTERN,
  description: '"sha256:" followed by 64 lowercase hex digits',
});

export const EventInputSchema = Type.Object(
  {
    id: Type.Optional(eventId("letters, digits and . _ : - only (an idempotency key chosen by the platform)")),
    schema_version: Type.Optional(Type.Literal(EVENT_SCHEMA_VERSION)),
    action: Type.String({
      pattern: ACTION_NAME_PATTERN,
      maxLength: MAX_ACTION_NAME_LENGTH,
      description: "a dotted lower-case action name such as app.page.update",
    }),
    action_version: Type.Optional(Type.Integer({ minimum: 1 })),
    kind: Type.Optional(Type.Enum([...ACTION_KINDS])),
    category: Type.Optional(Type.Enum([...ACTION_CATEGORIES])),
    occurred_at: Type.String({
      maxLength: 64,
      pattern: TIMESTAMP_PATTERN,
      description: "an RFC 3339 timestamp with a UTC offset, e.g. 2026-05-01T10:00:00.123+02:00",
    }),
    actor: Type.Object({ ...principal, on_behalf_of: Type.Optional(Type.Object(principal, closed)) }, closed),
    target: Type.Object(
      {
        type: Type.String({
          minLength: 1,
          maxLength: 128,
          pattern: "^[a-z][a-z0-9_]*$",
          description: "a lower-case type name such as page or record",
        }),
        id: nonEmpty(MAX_PRINCIPAL_ID_LENGTH),
        name: Type.Optional(text()),
        path: Type.Optional(
          Type.Array(
            Type.String({
              maxLength: MAX_STRING_LENGTH,
              pattern: "^[a-z][a-z0-9_]*:.+$",
              description: 'a "type:id" ancestor such as app:crm',
            }),
            { maxItems: MAX_TARGET_PATH_ELEMENTS },
          ),
        ),
      },
      closed,
    ),
    outcome: Type.Optional(
      Type.Object(
        {
          status: Type.Enum([...OUTCOME_STATUSES]),
          reason: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 256,
              pattern: "^[a-z0-9_.:-]+$",
              description: "a reason code of lower-case letters, digits and _ . : -",
            }),
          ),
        },
        closed,
      ),
    ),
    message: Type.Optional(text(MAX_MESSAGE_LENGTH)),
    context: Type.Optional(
      Type.Object(
        {
          session_id: Type.Optional(nonEmpty()),
          request_id: Type.Optional(nonEmpty()),
          ip: Type.Optional(Type.String({ maxLength: 64, format: "ip", description: "an IPv4 or IPv6 address" })),
          user_agent: Type.Optional(text()),
          device_fingerprint: Type.Optional(nonEmpty()),
          environment: Type.Optional(nonEmpty(128)),
          region: Type.Optional(nonEmpty(128)),
          trace_id: Type.Optional(
            Type.String({
              pattern: "^(?!0{32}$)[0-9a-f]{32}$",
              description: "32 lowercase hex digits, not all zero (a W3C trace-id)",
            }),
          ),
          span_id: Type.Optional(
            Type.String({
              pattern: "^(?!0{16}$)[0-9a-f]{16}$",
              description: "16 lowercase hex digits, not all zero (a W3C parent-id)",
            }),
          ),
        },
        closed,
      ),
    ),
    automation: Type.Optional(
      Type.Object(
        {
          origin: Type.Enum([...AUTOMATION_ORIGINS]),
          workflow_id: Type.Optional(nonEmpty(MAX_PRINCIPAL_ID_LENGTH)),
          workflow_version: Type.Optional(nonEmpty(128)),
          run_id: Type.Optional(nonEmpty(MAX_PRINCIPAL_ID_LENGTH)),
          step: Type.Optional(nonEmpty(MAX_PRINCIPAL_ID_LENGTH)),
          trigger_id: Type.Optional(nonEmpty(MAX_PRINCIPAL_ID_LENGTH)),
          rule_id: Type.Optional(nonEmpty(MAX_PRINCIPAL_ID_LENGTH)),
          condition: Type.Optional(text()),
          caused_by: Type.Optional(eventId("the id of the event that caused this one")),
          rationale: Type.Optional(text()),
          decision_path: Type.Optional(Type.Array(nonEmpty(), { maxItems: MAX_DECISION_PATH_ELEMENTS })),
          overrides: Type.Optional(eventId("the id of the earlier decision this event overrides or rescinds")),
        },
        closed,
      ),
    ),
    change: Type.Optional(
      Type.Object(
        {
          before: Type.Optional(anyJson),
          after: Type.Optional(anyJson),
          patch: Type.Optional(Type.Array(patchOperation, { maxItems: MAX_PATCH_OPERATIONS })),
          before_hash: Type.Optional(stateHash),
          after_hash: Type.Optional(stateHash),
        },
        closed,
      ),
    ),
    tags: Type.Optional(
      Type.Array(
        Type.String({
          maxLength: MAX_TAG_LENGTH,
          pattern: TAG_PATTERN,
          description: "a lower-case tag such as module:builder or feature:forms/validation",
        }),
        { maxItems: MAX_TAGS },
      ),
    ),
    risk: Type.Optional(Type.Enum([...RISK_LEVELS])),
    metadata: Type.Optional(Type.Unsafe<JsonObject>({ type: "object" })),
  },
  closed,
);

/** An event that passed validateEventInput: shapes hold, cross-field rules hold. */
export type EventInput = Static<typeof EventInputSchema>;
export type PatchOperation = NonNullable<NonNullable<EventInput["change"]>["patch"]>[number];
