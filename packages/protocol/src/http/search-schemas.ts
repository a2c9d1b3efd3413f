// The query string of event searches (GET /v1/events, /v1/stats, a viewer
// token's pinned filter): one parameter per filter field plus `q` in the
// search syntax (parsed by query/event-filter-params.ts), and the page.
// Unknown parameters are refused rather than ignored, so a typo never
// widens a search.
import { type Static, Type } from "typebox";
import { MinIndexProperty } from "./read-your-writes.js";

const Str = (description: string) => Type.Optional(Type.String({ maxLength: 1024, description }));

/** One property per EVENT_FILTER_PARAMS entry, and `q`. */
export const EventFilterQueryProperties = {
  q: Str(
    'search syntax, e.g. `actor:alice action:app.* risk:high after:2026-01-01 "checkout page"`; `-term` or `NOT term` excludes, `OR` and parentheses combine: `-action:audit.* (risk:high OR outcome:denied)`',
  ),
  from: Str("occurred_at at or after (RFC 3339)"),
  to: Str("occurred_at before (RFC 3339)"),
  actor_id: Str("actor id"),
  actor_type: Str("user, service_account, automation or system"),
  action: Str("exact action, or a prefix as `app.*`"),
  kind: Str("event kind"),
  category: Str("event category"),
  target_type: Str("target type"),
  target_id: Str("target id"),
  outcome: Str("success, failure or denied"),
  risk: Str("low, medium, high or critical"),
  tag: Str("one tag, e.g. module:builder"),
  session_id: Str("context.session_id"),
  run_id: Str("automation.run_id"),
  workflow_id: Str("automation.workflow_id"),
  caused_by: Str("automation.caused_by"),
  environment: Str("context.environment"),
  text: Str("words that must all appear in the message"),
};

/** An event filter as an object of its query parameters (a viewer token's pinned filter). */
export const EventFilterQuerySchema = Type.Object(EventFilterQueryProperties, { additionalProperties: false });
export type EventFilterQuery = Static<typeof EventFilterQuerySchema>;

export const PageQueryProperties = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  order: Type.Optional(Type.Union([Type.Literal("desc"), Type.Literal("asc")], { default: "desc" })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: "next_cursor of the previous page" })),
};

/** GET /v1/events: the filter, the page and read-your-writes. */
export const SearchQuerySchema = Type.Object(
  { ...EventFilterQueryProperties, ...PageQueryProperties, ...MinIndexProperty },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuerySchema>;
