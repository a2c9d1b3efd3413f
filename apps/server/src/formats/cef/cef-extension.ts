// The CEF extension of a stream message: the event's fields under the CEF
// key dictionary's standard keys where one fits, the stream's own fields
// (origin, index, prev index) in custom fields with labels. The mapping table
// is in docs/cef.md; a field absent from the event (dropped by the stream's
// privacy mode, or never sent) is absent here too.
import { isIP } from "node:net";
import type { JsonObject, JsonValue } from "@trailproof/core";
import type { StreamMessage } from "../../streams/stream-types.js";

/** Target types that name a person or an account, sent as the destination user (duser, duid). */
const PERSON_TARGET_TYPES = new Set(["user", "service_account", "person", "member", "account"]);

function field(object: JsonValue | undefined, key: string): JsonValue | undefined {
  return object !== null && typeof object === "object" && !Array.isArray(object) ? object[key] : undefined;
}

function text(object: JsonValue | undefined, key: string): string | undefined {
  const value = field(object, key);
  return typeof value === "string" ? value : undefined;
}

function principal(object: JsonValue | undefined): string | undefined {
  const type = text(object, "type");
  const id = text(object, "id");
  return type !== undefined && id !== undefined ? `${type}:${id}` : id;
}

/** Ordered [key, value] pairs, unescaped; undefined values are left out. */
export function cefExtension(message: StreamMessage): [string, string][] {
  const event: JsonObject = message.event;
  const actor = field(event, "actor");
  const target = field(event, "target");
  const context = field(event, "context");
  const outcome = field(event, "outcome");
  const occurredAt = text(event, "occurred_at");
  const occurredMs = occurredAt === undefined ? Number.NaN : Date.parse(occurredAt);
  const ip = text(context, "ip");
  const personTarget = PERSON_TARGET_TYPES.has(text(target, "type") ?? "");
  const tags = field(event, "tags");
  const pairs: [string, string | undefined][] = [
    ["rt", Number.isFinite(occurredMs) ? String(occurredMs) : undefined],
    ["act", text(event, "action")],
    ["cat", text(event, "category")],
    ["outcome", text(outcome, "status")],
    ["reason", text(outcome, "reason")],
    ["externalId", message.eventId],
    ["suid", text(actor, "id")],
    ["suser", text(actor, "name")],
    ["src", ip !== undefined && isIP(ip) === 4 ? ip : undefined],
    ["c6a2", ip !== undefined && isIP(ip) === 6 ? ip : undefined],
    ["c6a2Label", ip !== undefined && isIP(ip) === 6 ? "source_ip" : undefined],
    ["requestClientApplication", text(context, "user_agent")],
    ["duid", personTarget ? text(target, "id") : undefined],
    ["duser", personTarget ? text(target, "name") : undefined],
    ["cs1Label", "origin"],
    ["cs1", message.origin],
    ["cn1Label", "index"],
    ["cn1", String(message.index)],
    ["cn2Label", message.prevIndex === null ? undefined : "prev_index"],
    ["cn2", message.prevIndex === null ? undefined : String(message.prevIndex)],
    ["cs2Label", "target"],
    ["cs2", principal(target)],
    ["cs3Label", text(target, "name") === undefined || personTarget ? undefined : "target_name"],
    ["cs3", personTarget ? undefined : text(target, "name")],
    ["cs4Label", field(actor, "on_behalf_of") === undefined ? undefined : "on_behalf_of"],
    ["cs4", principal(field(actor, "on_behalf_of"))],
    ["cs5Label", text(event, "risk") === undefined ? undefined : "risk"],
    ["cs5", text(event, "risk")],
    ["cs6Label", text(context, "request_id") === undefined ? undefined : "request_id"],
    ["cs6", text(context, "request_id")],
    ["flexString1Label", Array.isArray(tags) && tags.length > 0 ? "tags" : undefined],
    ["flexString1", Array.isArray(tags) && tags.length > 0 ? tags.map(String).join(",") : undefined],
  ];
  return pairs.filter((pair): pair is [string, string] => pair[1] !== undefined);
}
