// A WorkOS audit log event (`POST /audit_logs/events`, @workos-inc/node
// createEvent, untrusted) as a v1 envelope. The organization is the tenant
// (compat/choose-tenant.ts). The event id is derived from the tenant, the
// key and the Idempotency-Key, and nothing in the mapping depends on when the
// request arrived, so a retried request is the same event again and the
// ledger answers it as a duplicate.
import { isIP } from "node:net";
import type { Problem } from "@trailproof/core";
import { digestEventId, randomEventId } from "../mapping/event-id.js";
import { inferKind, WORKOS_VERBS } from "../mapping/infer-kind.js";
import { compact, isObject, isText } from "../mapping/json-guards.js";
import { toActionName, toTypeName } from "../mapping/source-names.js";

type Json = Record<string, unknown>;

/** The metadata member the mapping keeps WorkOS's own fields under; an event may not use it itself. */
export const WORKOS_METADATA_KEY = "workos";

/** Problems with the request's WorkOS shape (what WorkOS answers 400 for), each at a pointer into the body. */
export function workosEventProblems(body: unknown): Problem[] {
  if (!isObject(body)) return [{ pointer: "", message: 'must be {"organization_id", "event"}' }];
  const event = body.event;
  if (!isObject(event)) return [{ pointer: "/event", message: "is required: an object" }];
  const problems: Problem[] = [];
  const need = (ok: boolean, pointer: string, message: string) => {
    if (!ok) problems.push({ pointer, message });
  };
  need(body.organization_id === undefined || isText(body.organization_id), "/organization_id", "must be a string");
  need(isText(event.action), "/event/action", "is required: a non-empty string");
  need(isText(event.occurred_at), "/event/occurred_at", "is required: an ISO 8601 timestamp");
  need(event.version === undefined || Number.isInteger(event.version), "/event/version", "must be an integer");
  const actor = event.actor;
  need(isObject(actor), "/event/actor", "is required: {id, type, name?, metadata?}");
  if (isObject(actor)) {
    need(isText(actor.id), "/event/actor/id", "is required: a non-empty string");
    need(isText(actor.type), "/event/actor/type", "is required: a non-empty string");
  }
  const targets = event.targets;
  need(Array.isArray(targets) && targets.length > 0, "/event/targets", "is required: a non-empty array");
  if (Array.isArray(targets)) {
    for (const [i, t] of targets.entries()) {
      if (!isObject(t)) {
        need(false, `/event/targets/${i}`, "must be {id, type, name?, metadata?}");
        continue;
      }
      need(isText(t.id), `/event/targets/${i}/id`, "is required: a non-empty string");
      need(isText(t.type), `/event/targets/${i}/type`, "is required: a non-empty string");
    }
  }
  need(event.context === undefined || isObject(event.context), "/event/context", "must be {location, user_agent?}");
  need(event.metadata === undefined || isObject(event.metadata), "/event/metadata", "must be an object");
  if (isObject(event.metadata)) {
    need(
      !Object.hasOwn(event.metadata, WORKOS_METADATA_KEY),
      `/event/metadata/${WORKOS_METADATA_KEY}`,
      "is reserved: Trailproof keeps the event's WorkOS fields there",
    );
  }
  return problems;
}

/** WorkOS actor types are free text: ours where they match, service_account for services and keys, else user. */
function actorType(raw: string): string {
  const t = raw.toLowerCase();
  if (t === "user" || t === "system" || t === "automation" || t === "service_account") return t;
  return /service|api|key|bot|machine/.test(t) ? "service_account" : "user";
}

/**
 * The event's id: `workos-` and 32 hex of sha256 over the tenant, the key id
 * and the Idempotency-Key (untrusted), so the same key from the same
 * credential for the same organization is the same event; random without one.
 */
export function workosEventId(tenant: string, keyId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomEventId("workos");
  return digestEventId("workos", JSON.stringify([tenant, keyId, idempotencyKey]));
}

/** The envelope of a request that passed workosEventProblems; `registered`: the tenant's schema decides kind and category. */
export function toEnvelope(event: Json, id: string, registered: boolean): Json {
  const action = toActionName(event.action as string, "workos");
  const actor = event.actor as Json;
  const targets = event.targets as Json[];
  const first = targets[0] as Json;
  const context = isObject(event.context) ? event.context : {};
  const location = typeof context.location === "string" ? context.location : undefined;
  const ip = location !== undefined && isIP(location) !== 0 ? location : undefined;
  const inferred = inferKind(action, WORKOS_VERBS);
  const verb = action.slice(action.lastIndexOf(".") + 1);
  const status = /fail/.test(verb) ? "failure" : /denied|forbidden|blocked/.test(verb) ? "denied" : undefined;
  return compact({
    id,
    action,
    action_version: registered && Number.isInteger(event.version) ? event.version : undefined,
    kind: registered ? undefined : inferred.kind,
    category: registered ? undefined : inferred.category,
    occurred_at: event.occurred_at,
    actor: compact({
      type: actorType(actor.type as string),
      id: actor.id,
      name: typeof actor.name === "string" ? actor.name : undefined,
    }),
    target: compact({
      type: toTypeName(first.type, "resource"),
      id: first.id,
      name: typeof first.name === "string" ? first.name : undefined,
    }),
    outcome: status === undefined ? undefined : { status },
    context:
      ip === undefined && typeof context.user_agent !== "string"
        ? undefined
        : compact({ ip, user_agent: context.user_agent }),
    metadata: {
      ...(isObject(event.metadata) ? event.metadata : {}),
      [WORKOS_METADATA_KEY]: compact({
        action: event.action,
        version: event.version,
        actor_type: actor.type,
        actor_metadata: actor.metadata,
        targets,
        location: ip === undefined ? location : undefined,
      }),
    },
  });
}
