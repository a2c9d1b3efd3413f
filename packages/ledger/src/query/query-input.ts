// Checks shared by every AuditQuery store: the filter, the page and the
// bounds, so each backend refuses the same inputs with the same codes.
import { InvalidInputError, type Problem } from "@trailproof/core";
import { type EventFilter, eventFilterProblems, filterTimeRange } from "@trailproof/protocol";
import type { PageRequest, SortOrder } from "./audit-query.js";
import { type CursorPosition, parseCursor } from "./cursor.js";

export const MAX_PAGE_LIMIT = 500;
export const MAX_TRACE_EVENTS = 1000;

export function invalidQuery(problems: Problem[]): InvalidInputError {
  const summary = problems.map((p) => `${p.pointer} ${p.message}`).join("; ");
  return new InvalidInputError("SEARCH_QUERY_INVALID", `query is invalid: ${summary}`, { problems });
}

export interface CheckedFilter {
  filter: EventFilter;
  fromMs: number | undefined;
  toMs: number | undefined;
}

/** `filter` with its time range in milliseconds; throws SEARCH_QUERY_INVALID with every problem. */
export function checkEventFilter(filter: EventFilter): CheckedFilter {
  const problems = eventFilterProblems(filter);
  if (problems.length > 0) throw invalidQuery(problems);
  return { filter, ...filterTimeRange(filter) };
}

export interface CheckedPage {
  limit: number;
  order: SortOrder;
  after: CursorPosition | undefined;
}

/** The page with its cursor decoded; throws SEARCH_QUERY_INVALID or SEARCH_CURSOR_INVALID. */
export function checkPageRequest(page: PageRequest): CheckedPage {
  const problems: Problem[] = [];
  if (!Number.isSafeInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE_LIMIT) {
    problems.push({ pointer: "/limit", message: `must be an integer from 1 to ${MAX_PAGE_LIMIT}` });
  }
  if (page.order !== "asc" && page.order !== "desc") {
    problems.push({ pointer: "/order", message: "must be asc or desc" });
  }
  if (problems.length > 0) throw invalidQuery(problems);
  const after = page.cursor === undefined ? undefined : parseCursor(page.cursor, page.order);
  return { limit: page.limit, order: page.order, after };
}

/** Requires 1 <= maxEvents <= MAX_TRACE_EVENTS. */
export function checkMaxEvents(maxEvents: number): number {
  if (!Number.isSafeInteger(maxEvents) || maxEvents < 1 || maxEvents > MAX_TRACE_EVENTS) {
    throw invalidQuery([{ pointer: "/maxEvents", message: `must be an integer from 1 to ${MAX_TRACE_EVENTS}` }]);
  }
  return maxEvents;
}
