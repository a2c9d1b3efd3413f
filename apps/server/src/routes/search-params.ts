// The query string of event searches: every filter parameter (parsed by
// protocol's parseEventFilterParams), page size, order and cursor. Unknown
// parameters are refused rather than ignored, so a typo never widens a search.
import { Type } from "typebox";
import { MIN_INDEX_PROPERTY } from "./read-your-writes.js";

const Str = (description: string) => Type.Optional(Type.String({ maxLength: 1024, description }));

export const FILTER_QUERY_PROPERTIES = {
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

const PAGE_QUERY_PROPERTIES = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  order: Type.Optional(Type.Union([Type.Literal("desc"), Type.Literal("asc")], { default: "desc" })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: "next_cursor of the previous page" })),
};

export const SEARCH_QUERYSTRING = Type.Object(
  { ...FILTER_QUERY_PROPERTIES, ...PAGE_QUERY_PROPERTIES, ...MIN_INDEX_PROPERTY },
  { additionalProperties: false },
);

export interface PageParams {
  limit: number;
  order: "asc" | "desc";
  cursor?: string;
}

export function pageParams(params: Record<string, unknown>): PageParams {
  const page: PageParams = {
    limit: typeof params.limit === "number" ? params.limit : 50,
    order: params.order === "asc" ? "asc" : "desc",
  };
  if (typeof params.cursor === "string") page.cursor = params.cursor;
  return page;
}

/** The query without its cursor, keys sorted: what makes two page requests the same search. */
export function stableQuery(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params)
      .filter(([k, v]) => k !== "cursor" && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
