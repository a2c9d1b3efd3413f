// Reading the fields of an event as it left (a JsonObject after the stream's
// or the role's privacy view): any field may be absent, so every read is typed
// and optional, never a cast.
import type { JsonObject, JsonValue } from "@trailproof/core";

export function objectAt(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

export function stringAt(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === "string" ? value : undefined;
}

export function stringsAt(object: JsonObject | undefined, key: string): string[] | undefined {
  const value = object?.[key];
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((v): v is string => typeof v === "string");
  return strings.length > 0 ? strings : undefined;
}

/** The object without its undefined values: OCSF objects carry no nulls for "absent". */
export function compact(object: Readonly<Record<string, JsonValue | undefined>>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
  return out;
}
