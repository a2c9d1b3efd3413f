// Turns one untrusted input into an entry ready to sequence: validated and
// sealed by core's prepareEvent, its leaf hash computed, its searchable
// fields copied out. Runs before the group commit so the writer only writes.
import {
  fromBase64,
  type Hasher,
  hashLeaf,
  InvalidInputError,
  type JsonObject,
  type Problem,
  prepareEvent,
} from "@trailproof/core";
import type { EntryFields, EntryRow } from "./store/log-store.js";
import type { TenantLog } from "./tenant-log.js";

export interface PendingEntry {
  log: TenantLog;
  /** Everything but the index, which the writer assigns. */
  row: Omit<EntryRow, "index">;
}

export interface PrepareOptions {
  hasher: Hasher;
  receivedMs: number;
  newId: () => string;
  randomBytes: (n: number) => Uint8Array;
}

export function prepareEntry(
  input: unknown,
  log: TenantLog,
  options: PrepareOptions,
): PendingEntry | { id: string | null; problems: Problem[] } {
  let prepared: ReturnType<typeof prepareEvent>;
  try {
    prepared = prepareEvent(input, {
      registry: log.registry,
      unknownActions: log.record.unknownActions,
      receivedAt: new Date(options.receivedMs),
      newId: options.newId,
      hasher: options.hasher,
      randomBytes: options.randomBytes,
    });
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    const id =
      typeof input === "object" && input !== null && typeof (input as { id?: unknown }).id === "string"
        ? (input as { id: string }).id
        : null;
    return { id, problems: err.problems.length > 0 ? [...err.problems] : [{ pointer: "", message: err.message }] };
  }
  const committed = prepared.committed;
  return {
    log,
    row: {
      eventId: prepared.id,
      leafData: prepared.leafData,
      leafHash: hashLeaf(options.hasher, prepared.leafData),
      contentDigest: prepared.contentDigest,
      receivedMs: options.receivedMs,
      occurredMs: Date.parse(committed.occurred_at as string),
      fields: entryFields(committed),
      disclosures: prepared.disclosures.map((d) => ({
        pointer: d.pointer,
        salt: fromBase64(d.salt),
        value: d.value,
      })),
    },
  };
}

function entryFields(e: JsonObject): EntryFields {
  const obj = (v: unknown) => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  const actor = obj(e.actor);
  const target = obj(e.target);
  const context = obj(e.context);
  const automation = obj(e.automation);
  return {
    action: e.action as string,
    kind: e.kind as string,
    category: e.category as string,
    outcome: str(obj(e.outcome).status) ?? "success",
    risk: e.risk as string,
    actorType: actor.type as string,
    actorId: actor.id as string,
    targetType: target.type as string,
    targetId: target.id as string,
    sessionId: str(context.session_id),
    runId: str(automation.run_id),
    workflowId: str(automation.workflow_id),
    causedBy: str(automation.caused_by),
    environment: str(context.environment),
    triggerId: str(automation.trigger_id),
    message: str(e.message),
    tags: Array.isArray(e.tags) ? e.tags.filter((t): t is string => typeof t === "string") : [],
  };
}
