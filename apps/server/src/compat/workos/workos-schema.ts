// A WorkOS audit log schema (`POST /audit_logs/actions/{action}/schemas`,
// @workos-inc/node createSchema, untrusted) as the next version of the
// action's definition in our registry (docs/event-schema.md): the event
// metadata's property types, the actor metadata's and the target types
// constrain what toEnvelope (workos-event.ts) puts in `metadata`, so events
// are checked against it like any registered action.
import type { ActionDefinition, JsonSchema, Problem } from "@trailproof/core";
import { inferKind, WORKOS_VERBS } from "../mapping/infer-kind.js";
import { isObject } from "../mapping/json-guards.js";
import { toActionName } from "../mapping/source-names.js";
import { WORKOS_METADATA_KEY } from "./workos-event.js";

type Json = Record<string, unknown>;

/** Problems with the request's shape: targets a non-empty array of {type}, the metadata objects. */
export function workosSchemaProblems(body: unknown): Problem[] {
  if (!isObject(body)) return [{ pointer: "", message: "must be {targets, actor?, metadata?}" }];
  const problems: Problem[] = [];
  if (!Array.isArray(body.targets) || body.targets.length === 0) {
    problems.push({ pointer: "/targets", message: "is required: a non-empty array of {type, metadata?}" });
  } else {
    body.targets.forEach((t, i) => {
      if (!isObject(t) || typeof t.type !== "string" || t.type === "") {
        problems.push({ pointer: `/targets/${i}/type`, message: "is required: a non-empty string" });
      }
    });
  }
  if (body.actor !== undefined && !isObject(body.actor))
    problems.push({ pointer: "/actor", message: "must be an object" });
  if (body.metadata !== undefined && !isObject(body.metadata)) {
    problems.push({ pointer: "/metadata", message: "must be an object" });
  }
  const properties = isObject(body.metadata) ? body.metadata.properties : undefined;
  if (isObject(properties) && Object.hasOwn(properties, WORKOS_METADATA_KEY)) {
    problems.push({ pointer: `/metadata/properties/${WORKOS_METADATA_KEY}`, message: "is reserved" });
  }
  return problems;
}

/** `{type: "object", properties}` of a WorkOS metadata schema, or undefined. */
function objectSchema(metadata: unknown): JsonSchema | undefined {
  if (!isObject(metadata) || !isObject(metadata.properties)) return undefined;
  return { type: "object", properties: metadata.properties as JsonSchema };
}

/** The definition registering `body` (checked by workosSchemaProblems) as `version` of the WorkOS action `rawAction`. */
export function toActionDefinition(rawAction: string, body: Json, version: number): ActionDefinition {
  const action = toActionName(rawAction, "workos");
  const { kind, category } = inferKind(action, WORKOS_VERBS);
  const targetTypes = [...new Set((body.targets as Json[]).map((t) => t.type as string))];
  const actorMetadata = objectSchema(isObject(body.actor) ? body.actor.metadata : undefined);
  const workos: JsonSchema = {
    type: "object",
    properties: {
      ...(actorMetadata ? { actor_metadata: actorMetadata } : {}),
      targets: { type: "array", items: { type: "object", properties: { type: { enum: targetTypes } } } },
    },
  };
  const eventMetadata = objectSchema(body.metadata);
  return {
    action,
    version,
    kind,
    category,
    defaultRisk: "low",
    metadataSchema: {
      type: "object",
      properties: { ...((eventMetadata?.properties as JsonSchema | undefined) ?? {}), [WORKOS_METADATA_KEY]: workos },
    },
  };
}
