// The registry stage of event validation (log format v1): the action resolves
// to a definition (the named action_version or the latest), kind and category
// agree with it, and metadata and states satisfy its JSON Schemas.
import type { Problem } from "../errors.js";
import type { ActionDefinition } from "../schema/action-definition.js";
import type { ActionRegistry } from "../schema/action-registry.js";
import { isActionName } from "../schema/action-taxonomy.js";
import { asRecord, type JsonRecord } from "./validate-event-input.js";

export type UnknownActionPolicy = "reject" | "accept";

/**
 * Resolves `event.action` and checks what the definition governs. `event` has
 * passed only the plain-JSON check, so each rule runs on what is well-formed.
 * `definition` is undefined for an unknown action (accepted or not).
 */
export function checkAgainstRegistry(
  event: JsonRecord,
  registry: ActionRegistry,
  unknownActions: UnknownActionPolicy,
): { definition: ActionDefinition | undefined; problems: Problem[] } {
  const problems: Problem[] = [];
  const { action, action_version: version } = event;
  if (!isActionName(action)) return { definition: undefined, problems };
  const named = Number.isInteger(version) && (version as number) >= 1 ? (version as number) : undefined;
  if (version !== undefined && named === undefined) return { definition: undefined, problems };
  const definition = registry.resolve(action, named);
  if (definition === undefined) {
    const known = registry.versions(action);
    if (known.length > 0) {
      problems.push({
        pointer: "/action_version",
        message: `version ${named} of ${action} is not registered; registered versions: ${known.join(", ")}`,
      });
    } else if (unknownActions === "reject") {
      // Name both ways out, so whoever reads the rejection can act on it.
      problems.push({
        pointer: "/action",
        message:
          `${action} is not a registered action: register its schema (POST /v1/schemas), ` +
          'or set the tenant setting unknown_actions to "accept" (PATCH /v1/settings)',
      });
    } else {
      for (const field of ["kind", "category"]) {
        if (event[field] === undefined) {
          problems.push({ pointer: `/${field}`, message: `is required because ${action} is not a registered action` });
        }
      }
      if (version !== undefined) {
        problems.push({
          pointer: "/action_version",
          message: `cannot name a version of ${action}, which is not a registered action`,
        });
      }
    }
    return { definition: undefined, problems };
  }
  for (const field of ["kind", "category"] as const) {
    const given = event[field];
    if (given !== undefined && given !== definition[field]) {
      problems.push({
        pointer: `/${field}`,
        message: `must be ${definition[field]} (the ${field} of ${action} version ${definition.version}) or be left out`,
      });
    }
  }
  const metadata = event.metadata === undefined ? {} : asRecord(event.metadata);
  if (metadata !== undefined) problems.push(...registry.validateMetadata(definition, metadata, "/metadata"));
  const change = asRecord(event.change);
  for (const side of ["before", "after"] as const) {
    const state = change?.[side];
    if (state !== undefined) problems.push(...registry.validateState(definition, state, `/change/${side}`));
  }
  return { definition, problems };
}
