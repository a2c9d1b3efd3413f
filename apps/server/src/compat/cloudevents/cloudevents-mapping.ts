// One CloudEvent as a Trailproof event (docs/compat.md, CloudEvents section):
// type is the action, subject the target, data.actor/target/outcome/message/
// context and the actorid/ip/... extensions fill the rest of the envelope;
// the remaining data and the other attributes are kept in metadata. The id
// is derived from (source, id), the pair the spec makes unique, so a
// redelivery maps to the same event.
import { isIP } from "node:net";
import {
  ACTOR_TYPES,
  type JsonObject,
  MAX_MESSAGE_LENGTH,
  MAX_PRINCIPAL_ID_LENGTH,
  MAX_STRING_LENGTH,
} from "@trailproof/core";
import { hashedEventId } from "../mapping/event-id.js";
import { sourceMetadata } from "../mapping/fit-metadata.js";
import { EVENT_NAME_VERBS, guessKindUnlessRegistered } from "../mapping/infer-kind.js";
import { isObject } from "../mapping/json-guards.js";
import { outcomeStatusOf } from "../mapping/outcome-status.js";
import { normaliseAction, normaliseTypeName } from "../mapping/source-names.js";
import { isSpanId, isTraceId, parseTraceparent } from "../mapping/trace-context.js";
import type { ReceivedCloudEvent } from "./cloudevents-request.js";

export type MappedCloudEvent = { event: JsonObject } | { refusal: { pointer: string; message: string } };

/** The tenant an event names (untrusted): its `tenant` extension, else `tenantid`. */
export function requestedTenantOf(ce: ReceivedCloudEvent): string | undefined {
  const named = ce.attributes.tenant ?? ce.attributes.tenantid;
  return typeof named === "string" && named !== "" ? named : undefined;
}

/** The event id of (source, id): a redelivery has the same one. */
export function eventIdOf(ce: ReceivedCloudEvent): string {
  return hashedEventId("ce", [ce.attributes.source, ce.attributes.id]);
}

const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/** A principal ({type, id, name}) from a data.actor or data.target object; undefined without a string id. */
function principalIn(value: unknown): { type?: string; id: string; name?: string } | undefined {
  if (!isObject(value) || str(value.id) === undefined) return undefined;
  const type = str(value.type);
  const name = str(value.name);
  return { id: value.id as string, ...(type ? { type } : {}), ...(name ? { name: cut(name, MAX_STRING_LENGTH) } : {}) };
}

/**
 * The event for `ce`, or why it cannot be one. `receivedAt` stands in for a
 * missing `time`; `registered` says whether the tenant has a schema for an
 * action (only unregistered ones get a kind and category guessed).
 */
export function mapCloudEvent(
  ce: ReceivedCloudEvent,
  receivedAt: string,
  registered: (action: string) => boolean,
): MappedCloudEvent {
  const { id, source, type, specversion, time, subject, datacontenttype, dataschema, ...extensions } = ce.attributes;
  const data: JsonObject | undefined = isObject(ce.data) ? { ...ce.data } : undefined;
  const takeData = (key: string) => {
    if (data === undefined || !(key in data)) return undefined;
    const value = data[key];
    delete data[key];
    return value;
  };
  const takeExt = (key: string) => {
    const value = str(extensions[key]);
    if (value !== undefined) delete extensions[key];
    return value;
  };
  delete extensions.tenant;
  delete extensions.tenantid;
  const ceMeta: JsonObject = { id, source, type, specversion };
  if (subject !== undefined) ceMeta.subject = subject;
  if (datacontenttype !== undefined) ceMeta.datacontenttype = datacontenttype;
  if (dataschema !== undefined) ceMeta.dataschema = dataschema;

  // The source stands in for a missing actor or target; the whole of it is in metadata.cloudevents.
  const fromSource = cut(source, MAX_PRINCIPAL_ID_LENGTH);
  const named = str(data?.action) ?? type;
  const action = normaliseAction(named, "cloudevents");
  if (action === undefined) {
    return {
      refusal: {
        pointer: `${ce.pointer}/type`,
        message: `${JSON.stringify(named.slice(0, 80))} cannot be an action name`,
      },
    };
  }
  if (named === data?.action) takeData("action");

  const event: JsonObject = { id: eventIdOf(ce), action, occurred_at: str(time) ?? receivedAt };
  if (str(time) === undefined) ceMeta.received_without_time = true;
  const kind = str(takeData("kind")) ?? takeExt("kind");
  const category = str(takeData("category")) ?? takeExt("category");
  if (kind !== undefined) event.kind = kind;
  if (category !== undefined) event.category = category;
  guessKindUnlessRegistered(event, action, registered(action), EVENT_NAME_VERBS);

  const actor = principalIn(data?.actor);
  if (actor) takeData("actor");
  const actorId = actor?.id ?? takeExt("actorid");
  const actorType = actor?.type ?? takeExt("actortype");
  const actorName = actor?.name ?? takeExt("actorname");
  const knownType = actorType !== undefined && (ACTOR_TYPES as readonly string[]).includes(actorType);
  if (actorType !== undefined && !knownType) ceMeta.actor_type = actorType;
  event.actor =
    actorId === undefined
      ? { type: "system", id: fromSource }
      : { type: knownType ? (actorType as string) : "user", id: actorId, ...(actorName ? { name: actorName } : {}) };

  const target = principalIn(data?.target);
  if (target) {
    takeData("target");
    event.target = {
      type: normaliseTypeName(target.type ?? "") ?? "resource",
      id: target.id,
      ...(target.name ? { name: target.name } : {}),
    };
  } else if (typeof subject === "string" && subject !== "") {
    const slash = subject.indexOf("/");
    const subjectType = slash > 0 ? normaliseTypeName(subject.slice(0, slash)) : undefined;
    event.target =
      subjectType !== undefined && slash < subject.length - 1
        ? { type: subjectType, id: subject.slice(slash + 1) }
        : { type: "subject", id: subject };
  } else {
    event.target = { type: "source", id: fromSource };
  }

  const outcome = data?.outcome;
  const said = str(outcome) ?? (isObject(outcome) ? str(outcome.status) : undefined) ?? takeExt("outcome");
  if (said !== undefined) {
    if (data?.outcome !== undefined) takeData("outcome");
    const reason = isObject(outcome) ? str(outcome.reason) : undefined;
    event.outcome = { status: outcomeStatusOf(said), ...(reason ? { reason } : {}) };
  }

  const message = str(data?.message) ?? str(data?.description);
  if (message !== undefined) {
    takeData(str(data?.message) !== undefined ? "message" : "description");
    event.message = cut(message, MAX_MESSAGE_LENGTH);
  }

  const context: JsonObject = {};
  const given = isObject(data?.context) ? { ...(data?.context as JsonObject) } : undefined;
  const fromContext = (key: string, accept: (v: string) => boolean = () => true) => {
    const value = str(given?.[key]);
    if (value === undefined || !accept(value)) return undefined;
    delete given?.[key];
    return value;
  };
  const short = (v: string) => v.length <= MAX_STRING_LENGTH;
  const ip = fromContext("ip", (v) => isIP(v) !== 0) ?? (isIP(str(extensions.ip) ?? "") ? takeExt("ip") : undefined);
  if (ip !== undefined) context.ip = ip;
  const userAgent = fromContext("user_agent", short) ?? takeExt("useragent");
  if (userAgent !== undefined) context.user_agent = cut(userAgent, MAX_STRING_LENGTH);
  const session = fromContext("session_id", short) ?? takeExt("sessionid");
  if (session !== undefined) context.session_id = cut(session, MAX_STRING_LENGTH);
  for (const key of ["request_id", "device_fingerprint"]) {
    const value = fromContext(key, short);
    if (value !== undefined) context[key] = value;
  }
  for (const key of ["environment", "region"]) {
    const value = fromContext(key, (v) => v.length <= 128);
    if (value !== undefined) context[key] = value;
  }
  const trace = parseTraceparent(str(extensions.traceparent));
  const traceId = fromContext("trace_id", isTraceId) ?? trace?.traceId;
  const spanId = fromContext("span_id", isSpanId) ?? trace?.spanId;
  if (traceId !== undefined) context.trace_id = traceId;
  if (spanId !== undefined) context.span_id = spanId;
  if (Object.keys(context).length > 0) event.context = context;
  if (data !== undefined && given !== undefined) {
    if (Object.keys(given).length > 0) data.context = given;
    else delete data.context;
  }

  if (Object.keys(extensions).length > 0) ceMeta.extensions = extensions;
  if (ce.data !== undefined && data === undefined) ceMeta.data = ce.data;
  if (ce.dataBase64 !== undefined) ceMeta.data_base64 = ce.dataBase64;
  event.metadata = sourceMetadata({ ...(data ?? {}) }, "cloudevents", ceMeta, "data_cloudevents");
  return { event };
}
