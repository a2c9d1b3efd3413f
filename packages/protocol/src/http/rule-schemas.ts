// Alert rules (/v1/rules) and the alerts they raise (/v1/alerts): a rule is
// per tenant and versioned; its condition matches events with the search
// syntax (query/search-syntax.ts) and is one of four types. docs/alerts.md
// explains each with examples.
import { type Static, Type } from "typebox";

/** What a windowed rule may count per: the event's actor, target, action, IP, workflow, session or run. */
export const RuleGroupFieldSchema = Type.Union([
  Type.Literal("actor"),
  Type.Literal("target"),
  Type.Literal("action"),
  Type.Literal("ip"),
  Type.Literal("workflow"),
  Type.Literal("session"),
  Type.Literal("run"),
]);
export type RuleGroupField = Static<typeof RuleGroupFieldSchema>;
export const RULE_GROUP_FIELDS: readonly RuleGroupField[] = [
  "actor",
  "target",
  "action",
  "ip",
  "workflow",
  "session",
  "run",
];

const Query = (description: string) => Type.String({ minLength: 1, maxLength: 2048, description });
const Seconds = (max: number, description: string) => Type.Integer({ minimum: 1, maximum: max, description });
const DAY = 86_400;

export const ThresholdConditionSchema = Type.Object(
  {
    type: Type.Literal("threshold"),
    query: Query("the events counted, in the search syntax, e.g. outcome:denied action:permission.*"),
    count: Type.Integer({ minimum: 1, maximum: 100_000, description: "raise at this many in one window" }),
    window_seconds: Seconds(7 * DAY, "the sliding window, by the events' occurred_at"),
    group_by: Type.Optional(
      Type.Array(RuleGroupFieldSchema, { maxItems: 3, uniqueItems: true, description: "count per these, e.g. actor" }),
    ),
  },
  { additionalProperties: false },
);

export const SpikeConditionSchema = Type.Object(
  {
    type: Type.Literal("spike"),
    query: Query("the events counted"),
    bucket_seconds: Type.Union([Type.Literal(300), Type.Literal(900), Type.Literal(3600), Type.Literal(DAY)], {
      description: "the bucket counted, aligned to UTC",
    }),
    baseline: Type.Union(
      [Type.Literal("same_hour_of_day"), Type.Literal("same_hour_of_week"), Type.Literal("previous_buckets")],
      {
        description:
          "same_hour_of_day: the same bucket of the day over the previous `baseline_periods` days; same_hour_of_week: the same bucket of the week over the previous `baseline_periods` weeks; previous_buckets: the `baseline_periods` buckets before",
      },
    ),
    baseline_periods: Type.Integer({
      minimum: 1,
      maximum: 52,
      description: "how many weeks or buckets make the baseline",
    }),
    factor: Type.Number({
      minimum: 1.1,
      maximum: 1000,
      description: "raise when the count exceeds the baseline mean times this",
    }),
    min_count: Type.Integer({
      minimum: 1,
      maximum: 1_000_000,
      description: "and the count is at least this, so quiet tenants do not page anyone",
    }),
    group_by: Type.Optional(Type.Array(RuleGroupFieldSchema, { maxItems: 3, uniqueItems: true })),
  },
  { additionalProperties: false },
);

export const SequenceStepSchema = Type.Object(
  {
    query: Query("the step's events"),
    self: Type.Optional(Type.Boolean({ description: "the event's target is its own actor (a grant to self)" })),
  },
  { additionalProperties: false },
);

export const SequenceConditionSchema = Type.Object(
  {
    type: Type.Literal("sequence"),
    by: Type.Union([Type.Literal("actor"), Type.Literal("run"), Type.Literal("session"), Type.Literal("target")], {
      description: "the steps must share this",
    }),
    within_seconds: Seconds(30 * DAY, "from the first step to the last, by occurred_at"),
    steps: Type.Array(SequenceStepSchema, { minItems: 2, maxItems: 10 }),
    not_followed_by: Type.Optional(
      Type.Array(SequenceStepSchema, {
        maxItems: 5,
        description: "raise only if none of these follows the last step within within_seconds of the first",
      }),
    ),
  },
  { additionalProperties: false },
);

export const AbsenceConditionSchema = Type.Object(
  {
    type: Type.Literal("absence"),
    query: Query("the expected events, e.g. action:workflow.run.finish workflow:wf_nightly"),
    schedule: Type.Optional(
      Type.String({
        minLength: 9,
        maxLength: 128,
        description: "a cron expression: an expected event for each time it names; absent: `silence_seconds`",
      }),
    ),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "IANA zone of the schedule" })),
    grace_seconds: Type.Optional(Seconds(7 * DAY, "how late an expected event may be (schedule)")),
    silence_seconds: Type.Optional(Seconds(30 * DAY, "raise once no matching event arrived for this long")),
    group_by: Type.Optional(Type.Array(RuleGroupFieldSchema, { maxItems: 1 })),
  },
  { additionalProperties: false },
);

export const RuleConditionSchema = Type.Union([
  ThresholdConditionSchema,
  SpikeConditionSchema,
  SequenceConditionSchema,
  AbsenceConditionSchema,
]);
export type RuleCondition = Static<typeof RuleConditionSchema>;
export type RuleType = RuleCondition["type"];
export type ThresholdCondition = Static<typeof ThresholdConditionSchema>;
export type SpikeCondition = Static<typeof SpikeConditionSchema>;
export type SequenceCondition = Static<typeof SequenceConditionSchema>;
export type AbsenceCondition = Static<typeof AbsenceConditionSchema>;

export const AlertSeveritySchema = Type.Union([
  Type.Literal("low"),
  Type.Literal("medium"),
  Type.Literal("high"),
  Type.Literal("critical"),
]);
export type AlertSeverity = Static<typeof AlertSeveritySchema>;

const ChannelId = Type.String({ pattern: "^chn_[A-Za-z0-9_-]{1,64}$" });

/** What a client sends to create or change a rule (POST /v1/rules, PUT /v1/rules/{id}, backtest). */
export const RuleDefinitionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    severity: AlertSeveritySchema,
    enabled: Type.Optional(Type.Boolean({ default: true })),
    condition: RuleConditionSchema,
    channels: Type.Optional(
      Type.Array(ChannelId, { maxItems: 10, uniqueItems: true, description: "notification channels to tell" }),
    ),
  },
  { additionalProperties: false },
);
export type RuleDefinition = Static<typeof RuleDefinitionSchema>;

export const RuleSchema = Type.Object({
  id: Type.String({ description: "rul_..." }),
  version: Type.Integer({ minimum: 1, description: "1 at creation, +1 at each change" }),
  definition: RuleDefinitionSchema,
  deleted: Type.Boolean(),
  created_by: Type.String(),
  created_at: Type.String(),
  updated_by: Type.String(),
  updated_at: Type.String(),
  /** The log index of the rule.create/update/delete event of this version: evaluation starts after it. */
  log_index: Type.Integer({ minimum: 0 }),
});
export type WireRule = Static<typeof RuleSchema>;

export const RuleParamsSchema = Type.Object({ id: Type.String({ pattern: "^rul_[A-Za-z0-9_-]{1,64}$" }) });

export const AlertStatusSchema = Type.Union([
  Type.Literal("open"),
  Type.Literal("acknowledged"),
  Type.Literal("resolved"),
]);
export type AlertStatus = Static<typeof AlertStatusSchema>;

/** One alert as a rule (or a back-test) raised it. Free of personal data: groups are pseudonyms. */
export const RaisedAlertSchema = Type.Object({
  id: Type.String({ description: "alr_...: the same log and rule always give the same id" }),
  rule_id: Type.String(),
  rule_version: Type.Integer({ minimum: 1 }),
  type: Type.Union([
    Type.Literal("threshold"),
    Type.Literal("spike"),
    Type.Literal("sequence"),
    Type.Literal("absence"),
  ]),
  severity: AlertSeveritySchema,
  message: Type.String(),
  /** The events that made it (at most 100, oldest first); none for an absence. */
  matched_event_ids: Type.Array(Type.String()),
  /** The group's value (a pseudonym where it names a person), or null for an ungrouped rule. */
  group: Type.Union([Type.String(), Type.Null()]),
  /** When the condition held, by the events' clock: the last matched event's occurred_at, or an absence's deadline. */
  occurred_at: Type.String(),
  window_start: Type.Union([Type.String(), Type.Null()]),
  window_end: Type.Union([Type.String(), Type.Null()]),
});
export type WireRaisedAlert = Static<typeof RaisedAlertSchema>;

export const AlertSchema = Type.Intersect([
  RaisedAlertSchema,
  Type.Object({
    status: AlertStatusSchema,
    /** The index of its alert.raise entry in the tenant's log. */
    log_index: Type.Integer({ minimum: 0 }),
    raised_at: Type.String(),
    acknowledged_by: Type.Union([Type.String(), Type.Null()]),
    acknowledged_at: Type.Union([Type.String(), Type.Null()]),
    resolved_by: Type.Union([Type.String(), Type.Null()]),
    resolved_at: Type.Union([Type.String(), Type.Null()]),
    resolution_note: Type.Union([Type.String(), Type.Null()]),
  }),
]);
export type WireAlert = Static<typeof AlertSchema>;

export const BacktestQuerySchema = Type.Object(
  {
    from: Type.String({ description: "RFC 3339 or YYYY-MM-DD; by occurred_at" }),
    to: Type.String({ description: "exclusive" }),
  },
  { additionalProperties: false },
);

export const BacktestResponseSchema = Type.Object({
  alerts: Type.Array(RaisedAlertSchema),
  /** Entries read from the log for the period. */
  entries_scanned: Type.Integer({ minimum: 0 }),
  /** True when the period held more entries than one back-test reads; the alerts cover the first part. */
  truncated: Type.Boolean(),
});
export type BacktestResponse = Static<typeof BacktestResponseSchema>;

export const RuleResponseSchema = Type.Object({ rule: RuleSchema });
export const RuleListSchema = Type.Object({ rules: Type.Array(RuleSchema) });
/** Every version of one rule, oldest first (a deletion is the last version). */
export const RuleVersionListSchema = Type.Object({ versions: Type.Array(RuleSchema) });

export const AlertParamsSchema = Type.Object({ id: Type.String({ pattern: "^alr_[A-Za-z0-9_-]{1,64}$" }) });

export const AlertListQuerySchema = Type.Object(
  {
    status: Type.Optional(AlertStatusSchema),
    rule: Type.Optional(Type.String({ pattern: "^rul_[A-Za-z0-9_-]{1,64}$", description: "only this rule's alerts" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);
export const AlertListSchema = Type.Object({ alerts: Type.Array(AlertSchema) });
export const AlertResponseSchema = Type.Object({ alert: AlertSchema });

export const AlertResolveBodySchema = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000, description: "why it is resolved; free text, erasable" })) },
  { additionalProperties: false },
);
