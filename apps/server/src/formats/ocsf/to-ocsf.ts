// One Trailproof event as an OCSF 1.8.0 event object (docs/ocsf.md): the class
// and activity from ocsf-mapping.ts, the base event's attributes (time,
// severity, status, metadata, actor), the class's own attributes, and in
// `unmapped.trailproof` the log position (origin, index, prev_index) and the
// event's fields that have no OCSF attribute of their own.
import {
  type ActionCategory,
  type ActionKind,
  isActionCategory,
  isActionKind,
  type JsonObject,
} from "@trailproof/core";
import { compact, objectAt, stringAt, stringsAt } from "./json-fields.js";
import { classAttributes, ocsfUser } from "./ocsf-class-attributes.js";
import { OCSF_CLASSES, OCSF_VERSION } from "./ocsf-classes.js";
import { ocsfMappingOf } from "./ocsf-mapping.js";

export interface OcsfPosition {
  /** The tenant log's origin (its checkpoint's first line). */
  origin: string;
  /** The entry's index in the tenant's log. */
  index: number;
  /** The index sent before this one on the same stream or export; null for the first. */
  prevIndex: number | null;
  streamId?: string;
}

/** OCSF severity_id from our risk: 1 Informational (no risk), 2 Low, 3 Medium, 4 High, 5 Critical. */
const SEVERITY: Record<string, [number, string]> = {
  low: [2, "Low"],
  medium: [3, "Medium"],
  high: [4, "High"],
  critical: [5, "Critical"],
};

/** The event's fields written elsewhere in the OCSF object, one to one: not repeated in unmapped. */
const MAPPED_FIELDS = new Set(["id", "occurred_at", "received_at", "message", "tags", "risk"]);

function epochMs(timestamp: string | undefined): number | undefined {
  if (timestamp === undefined) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

function baseStatus(outcome: JsonObject | undefined): JsonObject {
  const status = stringAt(outcome, "status");
  const reason = stringAt(outcome, "reason");
  if (status === "success") return compact({ status_id: 1, status: "Success", status_code: reason });
  if (status === "failure" || status === "denied") {
    return compact({ status_id: 2, status: "Failure", status_code: reason, status_detail: status });
  }
  return { status_id: 0, status: "Unknown" };
}

function endpointAttributes(context: JsonObject | undefined, required: boolean): JsonObject {
  const ip = stringAt(context, "ip");
  const userAgent = stringAt(context, "user_agent");
  const requestId = stringAt(context, "request_id");
  // API and Datastore Activity require src_endpoint; an event with no ip says so by name.
  const src: JsonObject | undefined = ip ? { ip } : required ? { name: "unknown" } : undefined;
  const http = userAgent || requestId ? compact({ user_agent: userAgent, uid: requestId }) : undefined;
  return compact({ src_endpoint: src, http_request: http });
}

export function toOcsf(event: JsonObject, position: OcsfPosition): JsonObject {
  const action = stringAt(event, "action") ?? "";
  const kind = stringAt(event, "kind");
  const category = stringAt(event, "category");
  const mapping = ocsfMappingOf(
    action,
    isActionKind(kind) ? (kind as ActionKind) : undefined,
    isActionCategory(category) ? (category as ActionCategory) : undefined,
  );
  const ocsfClass = OCSF_CLASSES[mapping.className];
  const eventId = stringAt(event, "id") ?? "";
  const occurredAt = stringAt(event, "occurred_at");
  const [severityId, severity] = SEVERITY[stringAt(event, "risk") ?? ""] ?? [1, "Informational"];
  const context = objectAt(event.context);
  const actor = objectAt(event.actor);
  const session = stringAt(context, "session_id");
  const hasEndpoints = mapping.className !== "application_lifecycle" && !mapping.className.endsWith("_finding");
  const endpointRequired = mapping.className === "api_activity" || mapping.className === "datastore_activity";

  const unmapped: JsonObject = {
    origin: position.origin,
    index: position.index,
    prev_index: position.prevIndex,
  };
  if (position.streamId !== undefined) unmapped.stream_id = position.streamId;
  for (const [key, value] of Object.entries(event)) {
    if (!MAPPED_FIELDS.has(key)) unmapped[key] = value;
  }

  return {
    activity_id: mapping.activityId,
    activity_name: mapping.activityName,
    category_uid: ocsfClass.categoryUid,
    category_name: ocsfClass.categoryName,
    class_uid: ocsfClass.uid,
    class_name: ocsfClass.name,
    type_uid: ocsfClass.uid * 100 + mapping.activityId,
    type_name: `${ocsfClass.name}: ${mapping.activityName}`,
    severity_id: severityId,
    severity,
    time: epochMs(occurredAt) ?? 0,
    ...compact({ message: stringAt(event, "message") }),
    ...baseStatus(objectAt(event.outcome)),
    metadata: compact({
      version: OCSF_VERSION,
      product: { name: "Trailproof", vendor_name: "Trailproof" },
      log_name: position.origin,
      log_provider: "Trailproof",
      sequence: position.index,
      uid: eventId,
      event_code: action,
      original_time: occurredAt,
      logged_time: epochMs(stringAt(event, "received_at")),
      labels: stringsAt(event, "tags"),
      correlation_uid: stringAt(context, "trace_id"),
    }),
    actor: compact({ user: ocsfUser(actor), session: session ? { uid: session } : undefined }),
    ...(hasEndpoints ? endpointAttributes(context, endpointRequired) : {}),
    ...classAttributes(mapping.className, mapping.activityId, event, eventId),
    unmapped: { trailproof: unmapped },
  };
}
