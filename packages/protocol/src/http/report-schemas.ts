// Compliance and internal-audit reports (/v1/reports, /v1/report-schedules;
// docs/reports.md): a report definition (period, sections, checks), the
// schedules that generate one on a cron, and the search-syntax matcher the
// server and `trailproof verify --report` both run the definition's queries with.
import {
  type JsonObject,
  MAX_APPROVAL_WINDOW_SECONDS,
  REPORT_SECTION_TYPES,
  type ReportQueryMatcher,
} from "@trailproof/core";
import { type Static, Type } from "typebox";
import { eventMatchesFilter } from "../query/event-matches-filter.js";
import { MAX_SEARCH_QUERY_LENGTH, parseSearchQuery } from "../query/search-syntax.js";

const QUERY = Type.String({
  minLength: 1,
  maxLength: MAX_SEARCH_QUERY_LENGTH,
  description: "search syntax (docs/search.md), e.g. `action:template.deploy environment:production`",
});
const WITHIN = Type.Integer({
  minimum: 1,
  maximum: MAX_APPROVAL_WINDOW_SECONDS,
  description: "seconds before the event an approval may be",
});
const NAME = Type.String({ minLength: 1, maxLength: 200 });

export const ReportSectionBodySchema = Type.Object(
  {
    type: Type.Union(REPORT_SECTION_TYPES.map((t) => Type.Literal(t))),
    query: Type.Optional({ ...QUERY, description: "replaces the section's default query" }),
    approval: Type.Optional(
      Type.Object(
        { query: QUERY, within_seconds: WITHIN },
        {
          additionalProperties: false,
          description: "an event matching query on the same target by a different actor, at most within_seconds before",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ReportCheckBodySchema = Type.Union([
  Type.Object(
    {
      type: Type.Literal("approval_before"),
      name: NAME,
      query: QUERY,
      approval_query: QUERY,
      within_seconds: WITHIN,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal("no_grant_and_use"), name: NAME, grant_query: QUERY, use_query: QUERY },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal("requires_tag"),
      name: NAME,
      query: QUERY,
      tag: Type.String({
        minLength: 1,
        maxLength: 256,
        description: "exact tag, or a prefix ending in `:` (`ticket:`)",
      }),
    },
    { additionalProperties: false },
  ),
]);

export const ReportDefinitionBodySchema = Type.Object(
  {
    name: NAME,
    period: Type.Object(
      {
        from: Type.String({ format: "date-time", description: "entries received at or after (inclusive)" }),
        to: Type.String({ format: "date-time", description: "entries received before (exclusive)" }),
      },
      { additionalProperties: false },
    ),
    sections: Type.Array(ReportSectionBodySchema, { maxItems: 8, default: [] }),
    checks: Type.Array(ReportCheckBodySchema, { maxItems: 32, default: [] }),
  },
  { additionalProperties: false },
);
export type WireReportDefinitionBody = Static<typeof ReportDefinitionBodySchema>;

export const ReportFormatQuerySchema = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal("json"), Type.Literal("csv"), Type.Literal("html")], {
        description: "json (the verifiable artifact; default), csv or html; else the Accept header decides",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReportParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** The JSON artifact: trailproof-report/v1, RFC 8785 bytes (docs/reports.md). */
export const ReportArtifactSchema = Type.Object(
  {
    format: Type.Literal("trailproof-report/v1"),
    report_id: Type.String(),
    definition: Type.Object({}, { additionalProperties: true }),
    checkpoint: Type.String(),
    range: Type.Object({}, { additionalProperties: true }),
    completeness: Type.Object({}, { additionalProperties: true }),
    sections: Type.Array(Type.Object({}, { additionalProperties: true })),
    checks: Type.Array(Type.Object({}, { additionalProperties: true })),
    events: Type.Array(Type.Object({}, { additionalProperties: true })),
    summary: Type.Object({ entries: Type.Integer(), listed: Type.Integer(), violations: Type.Integer() }),
  },
  { additionalProperties: true },
);

export const REPORT_PERIOD_RULES = ["previous_day", "previous_week", "previous_month", "previous_quarter"] as const;
export type ReportPeriodRule = (typeof REPORT_PERIOD_RULES)[number];

const SCHEDULE_DEFINITION = Type.Object(
  {
    name: NAME,
    sections: Type.Array(ReportSectionBodySchema, { maxItems: 8, default: [] }),
    checks: Type.Array(ReportCheckBodySchema, { maxItems: 32, default: [] }),
  },
  { additionalProperties: false, description: "a report definition without its period: the period rule gives it" },
);

export const ReportScheduleBodySchema = Type.Object(
  {
    name: NAME,
    cron: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "5-field cron in UTC, e.g. `0 6 1 * *` (06:00 on the 1st of each month)",
    }),
    period: Type.Union(
      REPORT_PERIOD_RULES.map((r) => Type.Literal(r)),
      { description: "the calendar period (UTC) before the firing time the report covers" },
    ),
    definition: SCHEDULE_DEFINITION,
    channel_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 16, default: [] }),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type WireReportScheduleBody = Static<typeof ReportScheduleBodySchema>;

export const ReportScheduleSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  cron: Type.String(),
  period: Type.String(),
  definition: Type.Object({}, { additionalProperties: true }),
  channel_ids: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  created_by: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
  last_fired_at: Type.Union([Type.String(), Type.Null()]),
  last_report_id: Type.Union([Type.String(), Type.Null()]),
});
export type WireReportSchedule = Static<typeof ReportScheduleSchema>;

export const ReportScheduleResponseSchema = Type.Object({ schedule: ReportScheduleSchema });
export const ReportScheduleListSchema = Type.Object({ schedules: Type.Array(ReportScheduleSchema) });

/**
 * The one meaning of a report's queries: the search syntax's filter over the
 * committed event (protocol's reference semantics). Throws
 * SEARCH_QUERY_INVALID on a query that does not parse.
 */
export const reportQueryMatcher: ReportQueryMatcher = (query: string) => {
  const filter = parseSearchQuery(query);
  return (event: JsonObject) => eventMatchesFilter(event, filter);
};
