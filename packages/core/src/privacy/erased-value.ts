// The erased marker (issue 12): where a personal value was crypto-shredded,
// readers see this object at its pointer, never the value, never a gap and
// never null, so an erased field is told apart from one that was not sent.
import type { JsonObject, JsonValue } from "../canonical-json.js";

/** The only key of an erased marker. A JSON key starting with "$" is not a valid metadata name anyone expects. */
export const ERASED_MARKER_KEY = "$erased";

export interface ErasedMarker {
  $erased: { erasure_id: string; erased_at: string };
}

export function buildErasedMarker(erasureId: string, erasedAt: string): ErasedMarker {
  return { $erased: { erasure_id: erasureId, erased_at: erasedAt } };
}

/** Whether `value` is an erased marker (a type guard). */
export function isErasedMarker(value: JsonValue | undefined): value is JsonObject & ErasedMarker {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const inner = (value as JsonObject)[ERASED_MARKER_KEY];
  return keys.length === 1 && typeof inner === "object" && inner !== null && !Array.isArray(inner);
}
