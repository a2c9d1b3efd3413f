// The columns of the CSV export (docs/exports.md lists them): one per field
// of the event envelope, named by the field's dotted path (`actor.id`,
// `context.ip`); arrays and objects (target.path, tags, change.before,
// change.after, change.patch, metadata...) as JSON text. The set is fixed, so
// every row has the same columns whatever its event holds; an absent field is
// an empty cell.
import type { JsonObject, JsonValue } from "@trailproof/core";
import type { EventItem } from "@trailproof/protocol";

/** Columns read from the view itself rather than the event. */
const VIEW_COLUMNS = ["index", "redacted", "erased", "withheld"] as const;

/** Event fields, by dotted path. */
const EVENT_COLUMNS = [
  "id",
  "occurred_at",
  "received_at",
  "action",
  "action_version",
  "kind",
  "category",
  "risk",
  "outcome.status",
  "outcome.reason",
  "actor.type",
  "actor.id",
  "actor.name",
  "actor.on_behalf_of.type",
  "actor.on_behalf_of.id",
  "actor.on_behalf_of.name",
  "target.type",
  "target.id",
  "target.name",
  "target.path",
  "message",
  "context.session_id",
  "context.request_id",
  "context.ip",
  "context.user_agent",
  "context.device_fingerprint",
  "context.environment",
  "context.region",
  "context.trace_id",
  "context.span_id",
  "automation.origin",
  "automation.workflow_id",
  "automation.workflow_version",
  "automation.run_id",
  "automation.step",
  "automation.trigger_id",
  "automation.rule_id",
  "automation.condition",
  "automation.caused_by",
  "automation.rationale",
  "automation.decision_path",
  "automation.overrides",
  "change.before",
  "change.after",
  "change.patch",
  "tags",
  "metadata",
  "appended_by.type",
  "appended_by.id",
  "schema_version",
] as const;

export const CSV_COLUMNS: readonly string[] = [...VIEW_COLUMNS, ...EVENT_COLUMNS];

function at(event: JsonObject, path: string): JsonValue | undefined {
  let value: JsonValue | undefined = event;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** A value as one cell: strings as they are, numbers and booleans as JSON, the rest as JSON text. */
function cell(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** One event view as one row, in CSV_COLUMNS order. */
export function toCsvRow(item: EventItem): string[] {
  const event = item.event as JsonObject;
  return [
    String(item.index),
    String(item.redacted),
    item.erased ? JSON.stringify(item.erased.map((e) => e.pointer)) : "",
    item.withheld ? JSON.stringify(item.withheld.map((w) => w.pointer)) : "",
    ...EVENT_COLUMNS.map((path) => cell(at(event, path))),
  ];
}
