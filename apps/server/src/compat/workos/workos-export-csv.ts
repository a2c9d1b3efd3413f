// The CSV behind a WorkOS export's URL: the tenant's events in the export's
// range (occurred_at from range_start, before range_end) that the log held
// when the export was made, matching its actions, actor names, actor ids and
// target types, one row each, read page by page with the creating key's role
// (auditors and admins see personal values). Columns: docs/compat.md.
import { pipeline, Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { AppDeps } from "../../deps.js";
import { toEventItem } from "../../routes/event-view.js";
import { WORKOS_METADATA_KEY } from "./workos-event.js";
import type { ExportFilter, ExportRecord } from "./workos-exports.js";

/** Rows in one export at most; a bigger range is cut there (docs/compat.md). */
export const MAX_EXPORT_ROWS = 100_000;
const PAGE = 500;

export const EXPORT_COLUMNS = [
  "id",
  "occurred_at",
  "action",
  "workos_action",
  "actor_type",
  "actor_id",
  "actor_name",
  "target_type",
  "target_id",
  "target_name",
  "targets",
  "location",
  "user_agent",
  "outcome",
  "metadata",
] as const;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown) => (typeof v === "string" ? v : "");

/** One event (revealed as the creator reads it) as a row, or undefined when the filter leaves it out. */
export function exportRow(event: Json, filter: ExportFilter): Record<string, string> | undefined {
  const actor = obj(event.actor);
  const target = obj(event.target);
  const context = obj(event.context);
  const metadata = obj(event.metadata);
  const workos = obj(metadata[WORKOS_METADATA_KEY]);
  const targets = Array.isArray(workos.targets) ? (workos.targets as Json[]) : [target];
  const workosAction = text(workos.action) || text(event.action);
  if (filter.actions && !filter.actions.includes(workosAction) && !filter.actions.includes(text(event.action))) {
    return undefined;
  }
  if (filter.actor_names && !filter.actor_names.includes(text(actor.name))) return undefined;
  if (filter.actor_ids && !filter.actor_ids.includes(text(actor.id))) return undefined;
  if (filter.targets && !targets.some((t) => filter.targets?.includes(text(obj(t).type)))) return undefined;
  const { [WORKOS_METADATA_KEY]: _workos, ...own } = metadata;
  return {
    id: text(event.id),
    occurred_at: text(event.occurred_at),
    action: text(event.action),
    workos_action: workosAction,
    actor_type: text(workos.actor_type) || text(actor.type),
    actor_id: text(actor.id),
    actor_name: text(actor.name),
    target_type: text(target.type),
    target_id: text(target.id),
    target_name: text(target.name),
    targets: JSON.stringify(targets),
    location: text(context.ip) || text(workos.location),
    user_agent: text(context.user_agent),
    outcome: text(obj(event.outcome).status) || "success",
    metadata: JSON.stringify(own),
  };
}

async function* rows(deps: AppDeps, record: ExportRecord): AsyncGenerator<Record<string, string>> {
  const filter = { from: record.filter.range_start, to: record.filter.range_end };
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await deps.query.search(record.tenantId, filter, {
      limit: PAGE,
      order: "asc",
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const entry of page.entries) {
      if (entry.index >= record.treeSize || entry.leafData.length === 0) continue;
      const item = await toEventItem(deps.ledger, record.tenant, record.creator.role, entry);
      const row = exportRow(item.event as Json, record.filter);
      if (row === undefined) continue;
      yield row;
      if (++count >= MAX_EXPORT_ROWS) return;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/** The export's CSV (RFC 4180, a header row), streamed; a read failing midway ends the stream with its error. */
export function exportCsv(deps: AppDeps, record: ExportRecord): NodeJS.ReadableStream {
  const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS] });
  pipeline(Readable.from(rows(deps, record)), csv, () => {});
  return csv;
}
