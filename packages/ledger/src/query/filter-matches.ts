// Whether an entry's leaf says what a query asked for: the check a read
// makes on every entry a store resolved from its search rows, so a row that
// was edited behind the service's back can hide an event but never make a
// query answer with one that does not match.
import {
  type EventFilter,
  type EventFilterField,
  evaluateCondition,
  filterTimeRange,
  parseFilterDate,
  searchWords,
} from "@trailproof/protocol";
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
 * The first filter field the leaf's fields do not satisfy ("where" for the
 * condition), or undefined when they satisfy all. Free text is checked
 * leniently (each word occurs in the folded message), so a difference
 * between this and the full-text tokenizer can never drop a true match:
 * where the lenient check finds the words, the answer is "cannot tell", and
 * the condition fails only when it fails whatever those terms are.
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
  if (filter.text !== undefined && !mayContainWords(fields, filter.text)) return "text";
  if (filter.where !== undefined && evaluateCondition(filter.where, (t) => termMatches(fields, t)) === false) {
    return "where";
  }
  return undefined;
}

/** False when the message lacks one of the words of `text`; true when it may hold them all. */
function mayContainWords(fields: SearchFields, text: string): boolean {
  const message = fold(fields.message ?? "");
  const parts = searchWords(text).flatMap((w) => fold(w).match(/[\p{L}\p{N}]+/gu) ?? []);
  return parts.every((part) => message.includes(part));
}

/** One term of a condition: true, false, or undefined when the lenient text check cannot tell. */
function termMatches(fields: SearchFields, term: { field: EventFilterField; value: string }): boolean | undefined {
  const exact = EXACT.find(([key]) => key === term.field);
  if (exact !== undefined) return fields[exact[1]] === term.value;
  switch (term.field) {
    case "actionPrefix":
      return fields.action.startsWith(term.value);
    case "tag":
      return fields.tags.includes(term.value);
    case "from":
    case "to": {
      const date = parseFilterDate(term.value);
      if (!("ms" in date)) return undefined;
      return term.field === "from" ? fields.occurredMs >= date.ms : fields.occurredMs < date.ms;
    }
    case "text":
      return mayContainWords(fields, term.value) ? undefined : false;
    default:
      return undefined;
  }
}
