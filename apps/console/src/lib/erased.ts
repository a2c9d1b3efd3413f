// Erased personal values as reads show them (docs/api.md "Erasure"): the
// value's pointer holds {"$erased": {erasure_id, erased_at}} and the item
// lists each one in `erased`. The event is untrusted JSON: check the shape.
import type { EventItem } from "../api/types.js";

export interface Erasure {
  erasure_id: string;
  erased_at: string;
}

/** The erasure behind `value` when it is the erased marker; undefined for any other value. */
export function erasedMarker(value: unknown): Erasure | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== "$erased") return undefined;
  const inner = (value as { $erased: unknown }).$erased;
  if (inner === null || typeof inner !== "object") return undefined;
  const { erasure_id, erased_at } = inner as Record<string, unknown>;
  return typeof erasure_id === "string" && typeof erased_at === "string" ? { erasure_id, erased_at } : undefined;
}

/** The erasure of the personal value at `pointer`, as the item lists it; undefined when it was not erased. */
export function erasureAt(item: EventItem, pointer: string): Erasure | undefined {
  const found = item.erased?.find((e) => e.pointer === pointer);
  return found ? { erasure_id: found.erasure_id, erased_at: found.erased_at } : undefined;
}

/** A personal value as text: a string as it is; an erased marker or anything else is not text. */
export function personalText(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
