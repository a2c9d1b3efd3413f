// The committed event, log format v2: the exact object whose RFC 8785 form is
// the leaf data. Built here with defaults applied and the appender stamped,
// before privacy runs; absent optional fields are omitted, never undefined or null.
import type { JsonValue } from "../canonical-json.js";
import type { ActionDefinition } from "../schema/action-definition.js";
import { renderMessage } from "../schema/message-template.js";
import type { AppendedBy } from "./appended-by.js";
import { type EventInput, MAX_MESSAGE_LENGTH } from "./envelope-schema.js";
import { computePatch } from "./event-change.js";
import { normalizeTimestamp } from "./normalize-timestamp.js";
import type { JsonRecord } from "./validate-event-input.js";

/**
 * The log format version, the committed event's `schema_version`: 2 since
 * every entry names its appender (`appended_by`). Entries of version 1 have
 * none and keep verifying; the envelope a platform sends is still version 1
 * (EVENT_SCHEMA_VERSION), since nothing in it changed.
 */
export const LOG_FORMAT_VERSION = 2;

function defined(record: Record<string, JsonValue | undefined>): JsonRecord {
  const out: JsonRecord = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function message(sent: EventInput, definition: ActionDefinition | undefined, outcome: string): string | undefined {
  if (sent.message !== undefined) return sent.message;
  if (definition?.messageTemplate === undefined) return undefined;
  return renderMessage(
    definition.messageTemplate,
    {
      action: sent.action,
      "actor.type": sent.actor.type,
      "actor.id": sent.actor.id,
      "target.type": sent.target.type,
      "target.id": sent.target.id,
      "target.name": sent.target.name ?? sent.target.id,
      outcome,
    },
    MAX_MESSAGE_LENGTH,
  );
}

/**
 * The committed event for `sent` (a validated input in canonical key order,
 * owned by the caller and reused here without copying), before secrets are
 * masked and personal values committed. `privacy` is filled in by the caller.
 * `appendedBy` comes from the caller, never from `sent`: the envelope has no
 * such field, so an event that sends one is refused before it gets here.
 */
export function buildCommittedEvent(
  sent: EventInput,
  definition: ActionDefinition | undefined,
  id: string,
  receivedAt: Date,
  appendedBy: AppendedBy,
): JsonRecord {
  const outcome = (sent.outcome ?? { status: "success" }) as JsonRecord;
  const change = sent.change;
  return defined({
    schema_version: LOG_FORMAT_VERSION,
    appended_by: { type: appendedBy.type, id: appendedBy.id },
    id,
    action: sent.action,
    action_version: definition?.version ?? null,
    kind: definition?.kind ?? sent.kind,
    category: definition?.category ?? sent.category,
    occurred_at: normalizeTimestamp(sent.occurred_at),
    received_at: receivedAt.toISOString(),
    actor: sent.actor as JsonRecord,
    target: sent.target as JsonRecord,
    outcome,
    message: message(sent, definition, String(outcome.status)),
    context: sent.context as JsonRecord | undefined,
    automation: sent.automation as JsonRecord | undefined,
    change:
      change === undefined
        ? undefined
        : defined({
            before: change.before,
            after: change.after,
            patch: (change.patch ?? computePatch(change.before, change.after)) as JsonValue,
          }),
    tags: sent.tags,
    risk: sent.risk ?? definition?.defaultRisk ?? "low",
    metadata: sent.metadata,
  });
}
