// The pseudonymous view of an event: the ids that name a person (a user
// actor, the user an actor acted for, a target that is a user or person)
// replaced by their keyed pseudonyms, for readers who count and follow
// people without needing to know who they are (the viewer role, stats).
// The result is a view, not the leaf: hash the committed event, never this.
import type { JsonObject } from "../canonical-json.js";
import { asRecord } from "../event/validate-event-input.js";

/** Target types whose id names a person, and so is pseudonymised. */
export const PERSON_TARGET_TYPES: readonly string[] = ["user", "person"];

/** Principal (actor) types whose id names a person. */
export const PERSON_ACTOR_TYPES: readonly string[] = ["user"];

function replaceId(
  record: JsonObject | undefined,
  types: readonly string[],
  pseudonym: (id: string) => string,
  replaced: Map<string, string>,
): void {
  if (record === undefined) return;
  if (typeof record.type === "string" && types.includes(record.type) && typeof record.id === "string") {
    const p = pseudonym(record.id);
    replaced.set(record.id, p);
    record.id = p;
  }
}

/** Characters that continue an id: an id inside a longer word is not that id. */
const ID_CHAR = "[\\p{L}\\p{N}_.:@-]";
/** After an id: an id character, or a dot that goes on into one (a full stop ends the id). */
const ID_GOES_ON = "[\\p{L}\\p{N}_:@-]|\\.[\\p{L}\\p{N}_]";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `message` with each replaced id, where it stands as a word of its own, replaced by its pseudonym. */
function replaceInMessage(message: string, replaced: Map<string, string>): string {
  let out = message;
  for (const [id, p] of replaced) {
    out = out.replace(new RegExp(`(?<!${ID_CHAR})${escapeRegExp(id)}(?!${ID_GOES_ON})`, "gu"), p);
  }
  return out;
}

/**
 * A copy of `event` with every person's id replaced by `pseudonym(id)`:
 * actor.id and actor.on_behalf_of.id of type user, target.id of a
 * PERSON_TARGET_TYPES target, and those ids where the message (often built
 * from a template naming {actor.id}) has them as words. Nothing else
 * changes; personal values are the redaction's business (redactEvent).
 */
export function pseudonymiseEvent(event: JsonObject, pseudonym: (id: string) => string): JsonObject {
  const copy = structuredClone(event);
  const replaced = new Map<string, string>();
  const actor = asRecord(copy.actor);
  replaceId(actor, PERSON_ACTOR_TYPES, pseudonym, replaced);
  replaceId(asRecord(actor?.on_behalf_of), PERSON_ACTOR_TYPES, pseudonym, replaced);
  replaceId(asRecord(copy.target), PERSON_TARGET_TYPES, pseudonym, replaced);
  if (typeof copy.message === "string" && replaced.size > 0) copy.message = replaceInMessage(copy.message, replaced);
  return copy;
}
