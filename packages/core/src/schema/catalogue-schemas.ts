// Building blocks for the built-in catalogue's JSON Schemas. Every object is
// open (additional fields allowed) so platforms can send more than the
// catalogue names and a later version can add optional fields.
import type { JsonSchema } from "./action-definition.js";

export const STRING: JsonSchema = { type: "string" };
export const NULLABLE_STRING: JsonSchema = { type: ["string", "null"] };
export const BOOLEAN: JsonSchema = { type: "boolean" };
export const COUNT: JsonSchema = { type: "integer", minimum: 0 };
export const STRINGS: JsonSchema = { type: "array", items: { type: "string" } };
export const TIMESTAMP: JsonSchema = { type: "string", format: "date-time" };

/** An open object schema whose listed properties are all optional. */
export function openObject(properties: Record<string, JsonSchema>): JsonSchema {
  return { type: "object", properties };
}
