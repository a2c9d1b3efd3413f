// Whether an entry's leaf says what a query asked for: the check a read
// makes on every entry a store resolved from its search rows, so a row that
// was edited behind the service's back can hide an event but never make a
// query answer with one that does not match.
import { type EventFilter, filterTimeRange, searchWords } from "@trailproof/protocol";
import type { SearchFields } from "./search-fields.js";

/** Case and diacritics folded, as the full-text index folds them. */
function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

const EXACT: [keyof EventFilter, keyof SearchFields][] = [
  ["actorId", "actorId"],
  ["actorType", "actorType"],
  ["action", "action"],
  ["kind", "kind"],
  ["category", "category"],
  ["targetType", "targetType"],
  ["targetId", "targetId"],
  ["outcome", "outcome"],
  ["risk", "risk"],
  ["sessionId", "sessionId"],
  ["runId", "runId"],
  ["workflowId", "workflowId"],
  ["causedBy", "causedBy"],
  ["environment", "environment"],
];

/**
 * The first filter field the leaf's fields do not satisfy, or undefined
 * when they satisfy all. Free text is checked leniently (each word occurs in
 * the folded message), so a difference between this and the full-text
 * tokenizer can never drop a true match.
 */
export function filterMismatch(fields: SearchFields, filter: EventFilter): string | undefined {
  for (const [key, field] of EXACT) {
    const wanted = filter[key];
    if (wanted !== undefined && fields[field] !== wanted) return key;
  }
  if (filter.actionPrefix !== undefined && !fields.action.startsWith(filter.actionPrefix)) return "actionPrefix";
  if (filter.tag !== undefined && !fields.tags.includes(filter.tag)) return "tag";
  const { fromMs, toMs } = filterTimeRange(filter);
  if (fromMs !== undefined && fields.occurredMs < fromMs) return "from";
  if (toMs !== undefined && fields.occurredMs >= toMs) return "to";
  if (filter.text !== undefined) {
    const message = fold(fields.message ?? "");
    const parts = searchWords(filter.text).flatMap((w) => fold(w).match(/[\p{L}\p{N}]+/gu) ?? []);
    if (!parts.every((part) => message.includes(part))) return "text";
  }
  return undefined;
}
