// One OTLP log record as a Trailproof event (docs/compat.md, OpenTelemetry
// section): audit.* attributes and the semantic-convention ones (user.id,
// client.address, user_agent.original, session.id, ...) fill the envelope,
// the remaining attributes become metadata, and the resource, scope and
// severity are kept under metadata.otlp. The mapping depends on the record
// alone (never on when it arrived), so a retried export maps to the same
// bytes and the same id.
import { isIP } from "node:net";
import {
  ACTOR_TYPES,
  type JsonObject,
  MAX_MESSAGE_LENGTH,
  MAX_PRINCIPAL_ID_LENGTH,
  MAX_STRING_LENGTH,
} from "@trailproof/core";
import { eventIdFrom, hashedEventId } from "../mapping/event-id.js";
import { sourceMetadata } from "../mapping/fit-metadata.js";
import { EVENT_NAME_VERBS, guessKindUnlessRegistered } from "../mapping/infer-kind.js";
import { outcomeStatusOf } from "../mapping/outcome-status.js";
import { normaliseAction, normaliseTypeName } from "../mapping/source-names.js";
import { isSpanId, isTraceId } from "../mapping/trace-context.js";
import type { OtlpLogRecord } from "./otlp-request.js";

/** The attribute naming a record's tenant, on the record or its resource. */
export const TENANT_ATTRIBUTE = "tenant.id";
/** severityNumber 17-24 are ERROR and FATAL. */
const SEVERITY_ERROR = 17;

export type MappedRecord = { event: JsonObject } | { refusal: string };

/** The tenant a record names (untrusted): its own tenant.id, else its resource's. */
export function requestedTenantOf(record: OtlpLogRecord): string | undefined {
  const own = record.attributes[TENANT_ATTRIBUTE] ?? record.resource[TENANT_ATTRIBUTE];
  return typeof own === "string" && own !== "" ? own : undefined;
}

/** The id that makes a retried record a duplicate: its event.id or audit.id, else a hash of its content. */
export function recordIdOf(record: OtlpLogRecord): string {
  const named = record.attributes["event.id"] ?? record.attributes["audit.id"];
  if (typeof named === "string" && named !== "") return eventIdFrom("otlp", named);
  const { pointer: _where, ...content } = record;
  return hashedEventId("otlp", content);
}

/** Nanoseconds since the epoch (a decimal string) as RFC 3339 UTC with nanoseconds. */
export function timestampOf(nanos: string): string {
  const n = BigInt(nanos);
  const seconds = n / 1_000_000_000n;
  const fraction = (n % 1_000_000_000n).toString().padStart(9, "0");
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`);
}

const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/** Reads and removes attributes as the envelope consumes them; what is left becomes metadata. */
class Attributes {
  readonly rest: JsonObject;
  constructor(attributes: JsonObject) {
    this.rest = { ...attributes };
  }
  /** The first of `keys` holding a non-empty string, removed from the rest. */
  take(...keys: string[]): string | undefined {
    for (const key of keys) {
      const value = this.rest[key];
      if (typeof value === "string" && value !== "") {
        delete this.rest[key];
        return value;
      }
    }
    return undefined;
  }
  /** Like take, but only a value `accept` takes is removed. */
  takeIf(accept: (value: string) => boolean, ...keys: string[]): string | undefined {
    for (const key of keys) {
      const value = this.rest[key];
      if (typeof value === "string" && accept(value)) {
        delete this.rest[key];
        return value;
      }
    }
    return undefined;
  }
}

/**
 * The event for `record`, or why it cannot be one. `registered` says whether
 * the tenant has a schema for an action: only unregistered actions get a
 * kind and category guessed from their name (a registered action brings its
 * own, and a guess that differs would be refused).
 */
export function mapLogRecord(record: OtlpLogRecord, registered: (action: string) => boolean): MappedRecord {
  const attrs = new Attributes(record.attributes);
  const otlp: JsonObject = {};
  const id = recordIdOf(record);
  attrs.take("event.id", "audit.id");
  attrs.take(TENANT_ATTRIBUTE);

  // audit.action is the sender's word for us, so it wins over the OTel event name.
  const auditAction = attrs.take("audit.action");
  const named = auditAction ?? record.eventName ?? attrs.take("event.name");
  if (named === undefined) return { refusal: "has no action: send eventName or an audit.action attribute" };
  const action = normaliseAction(named, "otlp");
  if (action === undefined) return { refusal: `${JSON.stringify(named.slice(0, 80))} cannot be an action name` };
  if (action !== named) otlp.action = named;
  if (record.eventName !== undefined && record.eventName !== named) otlp.event_name = record.eventName;

  const nanos = record.timeUnixNano !== "0" ? record.timeUnixNano : record.observedTimeUnixNano;
  if (nanos === "0") return { refusal: "has neither timeUnixNano nor observedTimeUnixNano" };

  const event: JsonObject = { id, action, occurred_at: timestampOf(nanos) };
  const kind = attrs.take("audit.kind");
  const category = attrs.take("audit.category");
  if (kind !== undefined) event.kind = kind;
  if (category !== undefined) event.category = category;
  guessKindUnlessRegistered(event, action, registered(action), EVENT_NAME_VERBS);

  // The service stands in for a missing actor or target; the whole name is in metadata.otlp.resource.
  const serviceName = record.resource["service.name"];
  const service =
    typeof serviceName === "string" && serviceName !== "" ? cut(serviceName, MAX_PRINCIPAL_ID_LENGTH) : "otlp";
  const actorId = attrs.take("audit.actor.id", "user.id", "enduser.id");
  const actorType = attrs.takeIf((t) => (ACTOR_TYPES as readonly string[]).includes(t), "audit.actor.type");
  const actorName = attrs.take("audit.actor.name", "user.name", "user.full_name");
  event.actor =
    actorId === undefined
      ? { type: actorType ?? "system", id: service }
      : { type: actorType ?? "user", id: actorId, ...(actorName ? { name: cut(actorName, MAX_STRING_LENGTH) } : {}) };

  const targetId = attrs.take("audit.target.id");
  const targetType = attrs.take("audit.target.type");
  const targetName = attrs.take("audit.target.name");
  event.target =
    targetId === undefined
      ? { type: "service", id: service }
      : {
          type: (targetType && normaliseTypeName(targetType)) ?? "resource",
          id: targetId,
          ...(targetName ? { name: cut(targetName, MAX_STRING_LENGTH) } : {}),
        };

  const said = attrs.take("audit.outcome");
  const reason = attrs.take("audit.outcome.reason");
  const status = said === undefined ? undefined : outcomeStatusOf(said);
  const failed = (record.severityNumber ?? 0) >= SEVERITY_ERROR;
  event.outcome = {
    status: status ?? (failed ? "failure" : "success"),
    ...(reason ? { reason } : {}),
  };

  if (typeof record.body === "string" && record.body !== "") {
    event.message = cut(record.body, MAX_MESSAGE_LENGTH);
    if (record.body.length > MAX_MESSAGE_LENGTH) otlp.body = record.body;
  } else if (record.body !== undefined && record.body !== null && record.body !== "") {
    otlp.body = record.body;
  }

  const context: JsonObject = {};
  const ip = attrs.takeIf((v) => isIP(v) !== 0, "client.address", "source.address");
  if (ip !== undefined) context.ip = ip;
  const userAgent = attrs.take("user_agent.original");
  if (userAgent !== undefined) context.user_agent = cut(userAgent, MAX_STRING_LENGTH);
  const session = attrs.takeIf((v) => v.length <= MAX_STRING_LENGTH, "session.id");
  if (session !== undefined) context.session_id = session;
  const environment = record.resource["deployment.environment.name"] ?? record.resource["deployment.environment"];
  if (typeof environment === "string" && environment !== "" && environment.length <= 128) {
    context.environment = environment;
  }
  if (isTraceId(record.traceId)) context.trace_id = record.traceId;
  if (isSpanId(record.spanId)) context.span_id = record.spanId;
  if (Object.keys(context).length > 0) event.context = context;

  otlp.resource = record.resource;
  if (Object.keys(record.scope).length > 0) otlp.scope = record.scope;
  if (record.severityNumber !== undefined) otlp.severity_number = record.severityNumber;
  if (record.severityText !== undefined) otlp.severity_text = record.severityText;
  if (record.flags !== undefined) otlp.flags = record.flags;
  // An attribute named otlp would hide the source's own entry: it moves inside it.
  event.metadata = sourceMetadata(attrs.rest, "otlp", otlp, "attribute_otlp");
  return { event };
}
