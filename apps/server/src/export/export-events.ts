// The events an export holds, read page by page through the search (the same
// filter and order as GET /v1/events) and shown as the caller's role may see
// them (routes/event-view.ts). An async generator: one page in memory at a
// time, and the next page is read only when the HTTP response has taken the
// last one (backpressure), so an export of any size runs in constant memory.
import type { EventFilter, EventItem, Role } from "@trailproof/protocol";
import type { AppDeps } from "../deps.js";
import { toEventItems } from "../routes/event-view.js";

/** Entries read per search page. */
export const EXPORT_PAGE_SIZE = 500;

export interface ExportScope {
  tenant: string;
  tenantId: number;
  role: Role;
  filter: EventFilter;
  order: "asc" | "desc";
  /** The log's size when the export began: entries appended since are left out, so the export is one snapshot. */
  treeSize: number;
}

/**
 * The matching entries' views, in the search's order. Entries whose body was
 * pruned by retention are left out (their leaves stay in the bundle).
 */
export async function* exportEvents(deps: AppDeps, scope: ExportScope): AsyncGenerator<EventItem> {
  let cursor: string | undefined;
  do {
    const page = await deps.query.search(scope.tenantId, scope.filter, {
      limit: EXPORT_PAGE_SIZE,
      order: scope.order,
      ...(cursor === undefined ? {} : { cursor }),
    });
    const entries = page.entries.filter((e) => e.index < scope.treeSize && e.leafData.length > 0);
    yield* await toEventItems(deps.ledger, scope.tenant, scope.role, entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
