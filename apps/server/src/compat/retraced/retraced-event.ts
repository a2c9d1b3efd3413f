// A Retraced event (`@retracedhq/retraced` CreateEventRequest, untrusted) as a
// v1 envelope. The project in the URL is the tenant; the group stays with the
// event as a tag (retraced_group:<hash of its id>, what a Retraced viewer
// token is pinned to) and in metadata. Checked up front like Retraced does
// (missing group/actor/target ids, crud), then validated like any event.
import { createHash } from "node:crypto";
import type { Problem } from "@trailproof/core";
import { compact, isObject } from "../mapping/json-guards.js";
import { toActionName, toTypeName } from "../mapping/source-names.js";

const CRUD_KINDS: Readonly<Record<string, string>> = { c: "create", r: "read", u: "update", d: "delete" };
const MAX_MESSAGE = 512;

type Json = Record<string, unknown>;

/** The tag a Retraced group's events carry: its id hashed, since tags are lower-case and ids are anything. */
export function groupTag(groupId: string): string {
  return `retraced_group:${createHash("sha256").update(groupId).digest("hex").slice(0, 32)}`;
}

/**
 * Problems with a Retraced event's shape, each at `${at}/<field>`: what real
 * Retraced refuses with 400 before storing anything (and what would make the
 * client throw after a 201: a group, actor or target without an id).
 */
export function retracedEventProblems(event: unknown, at: string): Problem[] {
  if (!isObject(event)) return [{ pointer: at, message: "must be a Retraced event object" }];
  const problems: Problem[] = [];
  if (typeof event.action !== "string" || event.action.trim() === "") {
    problems.push({ pointer: `${at}/action`, message: "is required: a non-empty string" });
  }
  for (const name of ["group", "actor", "target"] as const) {
    const value = event[name];
    if (value === undefined || value === null) continue;
    if (!isObject(value)) problems.push({ pointer: `${at}/${name}`, message: "must be an object" });
    else if (typeof value.id !== "string" || value.id === "") {
      problems.push({
        pointer: `${at}/${name}/id`,
        message: `is required when ${name} is present: a non-empty string`,
      });
    }
  }
  if ((event.actor === undefined || event.actor === null) && event.is_anonymous !== true) {
    problems.push({ pointer: `${at}/actor`, message: "is required unless is_anonymous is true" });
  }
  if (event.crud !== undefined && !(typeof event.crud === "string" && event.crud in CRUD_KINDS)) {
    problems.push({ pointer: `${at}/crud`, message: 'must be one of "c", "r", "u", "d"' });
  }
  if (event.created !== undefined && typeof event.created !== "string") {
    problems.push({ pointer: `${at}/created`, message: "must be an ISO 8601 timestamp string" });
  }
  for (const name of ["fields", "metadata"] as const) {
    if (event[name] !== undefined && !isObject(event[name])) {
      problems.push({ pointer: `${at}/${name}`, message: "must be an object of strings" });
    }
  }
  return problems;
}

export interface RetracedMapping {
  /** The event's id, also the one answered with its hash. */
  id: string;
  projectId: string;
  /** True when the tenant registers the action: its schema, not crud, decides kind and category. */
  registered: boolean;
  /** When the request arrived (ISO): occurred_at of an event without `created`. */
  receivedAt: string;
}

/** The first `n` UTF-16 units of `s`, never ending in half a surrogate pair. */
function firstChars(s: string, n: number): string {
  const cut = s.slice(0, n);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** The envelope for a Retraced event that passed retracedEventProblems. */
export function toEnvelope(event: Json, m: RetracedMapping): Json {
  const action = toActionName(event.action as string, "retraced");
  const actor = isObject(event.actor) ? event.actor : undefined;
  const target = isObject(event.target) ? event.target : undefined;
  const group = isObject(event.group) ? event.group : undefined;
  const crud = typeof event.crud === "string" ? event.crud : undefined;
  const description = typeof event.description === "string" ? event.description : undefined;
  const context = compact({
    ip: typeof event.source_ip === "string" && event.source_ip !== "" ? event.source_ip : undefined,
  });
  const retraced = compact({
    action: event.action,
    crud,
    group,
    actor: actor ? compact({ href: actor.href, fields: actor.fields }) : undefined,
    target: target ? compact({ type: target.type, href: target.href, fields: target.fields }) : undefined,
    fields: event.fields,
    metadata: event.metadata,
    external_id: event.external_id,
    component: event.component,
    version: event.version,
    is_anonymous: event.is_anonymous,
    description: description !== undefined && description.length > MAX_MESSAGE ? description : undefined,
  });
  for (const key of ["actor", "target"])
    if (isObject(retraced[key]) && Object.keys(retraced[key]).length === 0) delete retraced[key];
  return compact({
    id: m.id,
    action,
    kind: m.registered ? undefined : crud === undefined ? undefined : CRUD_KINDS[crud],
    category: m.registered ? undefined : "data",
    occurred_at: typeof event.created === "string" ? event.created : m.receivedAt,
    actor: actor
      ? compact({ type: "user", id: actor.id, name: typeof actor.name === "string" ? actor.name : undefined })
      : { type: "user", id: "anonymous" },
    target: target
      ? compact({
          type: toTypeName(target.type, "object"),
          id: target.id,
          name: typeof target.name === "string" ? target.name : undefined,
        })
      : group
        ? { type: "group", id: group.id }
        : { type: "project", id: m.projectId },
    outcome: event.is_failure === true ? { status: "failure" } : undefined,
    message: description === undefined ? undefined : firstChars(description, MAX_MESSAGE),
    context: Object.keys(context).length > 0 ? context : undefined,
    tags: group ? [groupTag(group.id as string)] : undefined,
    metadata: { retraced },
  });
}
