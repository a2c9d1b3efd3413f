// Whose personal value a disclosure is (issue 12, "Erasure that keeps proofs
// valid"): every disclosure is sealed under its subject's data key, so erasing
// a subject destroys exactly that person's values. Envelope values belong to
// the actor (or to the principal the actor acts for); metadata and state
// values to the subject the action schema's privacy.subject names.
import type { JsonObject, JsonValue } from "../canonical-json.js";
import type { ActionDefinition } from "../schema/action-definition.js";
import { getAt, parsePointer } from "../schema/json-pointer.js";

/** privacy.subject of an action schema: "actor" (the default), "target", or an RFC 6901 pointer to a string in the event. */
export type SubjectRule = "actor" | "target" | `/${string}`;

/** The subject rule's problem (untrusted, from a schema being registered), or undefined. */
export function subjectRuleProblem(rule: string): string | undefined {
  if (rule === "actor" || rule === "target") return undefined;
  if (!rule.startsWith("/") || parsePointer(rule) === undefined) {
    return 'must be "actor", "target" or a JSON pointer to a string in the event';
  }
  return undefined;
}

function stringAt(event: JsonObject, pointer: string): string | undefined {
  const tokens = parsePointer(pointer);
  const value: JsonValue | undefined = tokens === undefined ? undefined : getAt(event, tokens);
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/**
 * The subject id of the personal value at `pointer` of `event` (the
 * committed event: the subject's own id is never a personal value, so it is
 * still there). Falls back to the actor's id where the rule names nothing,
 * and to "" for an event without one: a value always has some key to be erased with.
 */
export function subjectIdOf(
  event: JsonObject,
  pointer: string,
  definition?: Pick<ActionDefinition, "privacy">,
): string {
  const actor = stringAt(event, "/actor/id") ?? "";
  if (pointer.startsWith("/actor/on_behalf_of/")) return stringAt(event, "/actor/on_behalf_of/id") ?? actor;
  if (pointer.startsWith("/actor/") || pointer.startsWith("/context/")) return actor;
  const rule = definition?.privacy?.subject ?? "actor";
  if (rule === "actor") return actor;
  if (rule === "target") return stringAt(event, "/target/id") ?? actor;
  return stringAt(event, rule) ?? actor;
}
