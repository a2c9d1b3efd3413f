// A committed entry as the engine sees it: the leaf's event for matching,
// and the values a rule groups by with every person's id (and IP) replaced
// by the tenant's pseudonym, so alerts and their state hold no personal data.
import { fromUtf8, type JsonObject, PERSON_ACTOR_TYPES, PERSON_TARGET_TYPES } from "@trailproof/core";
import type { StoredEntry } from "@trailproof/ledger";
import type { EngineEvent } from "./engine-types.js";

const text = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * `entry` for the engine. `pseudonym` is the tenant's (privacy/pseudonyms.ts);
 * `ip` is the entry's opened context.ip, where a rule groups by IP (the leaf
 * holds only its commitment), or null.
 */
export function engineEventOf(
  entry: StoredEntry,
  pseudonym: (id: string) => string,
  ip: string | null = null,
): EngineEvent {
  const event = JSON.parse(fromUtf8(entry.leafData)) as JsonObject;
  const actor = (event.actor ?? {}) as JsonObject;
  const target = (event.target ?? {}) as JsonObject;
  const context = (event.context ?? {}) as JsonObject;
  const automation = (event.automation ?? {}) as JsonObject;
  const actorId = text(actor.id);
  const targetId = text(target.id);
  const targetType = text(target.type);
  return {
    index: entry.index,
    eventId: entry.eventId,
    receivedMs: entry.receivedMs,
    occurredMs: Date.parse(event.occurred_at as string),
    event,
    keys: {
      actor: actorId === null ? null : PERSON_ACTOR_TYPES.includes(actor.type as string) ? pseudonym(actorId) : actorId,
      target:
        targetId === null || targetType === null
          ? null
          : `${targetType}:${PERSON_TARGET_TYPES.includes(targetType) ? pseudonym(targetId) : targetId}`,
      action: text(event.action),
      ip: ip === null ? null : pseudonym(ip),
      workflow: text(automation.workflow_id),
      session: text(context.session_id),
      run: text(automation.run_id),
    },
  };
}
