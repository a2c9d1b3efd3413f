// Turns one untrusted input into an entry ready to sequence: validated and
// sealed by core's prepareEvent, its leaf hash computed, its searchable
// fields copied out. Runs before the group commit so the writer only writes,
// on the main thread or in a seal worker (seal/seal-worker.ts).
import { randomFillSync } from "node:crypto";
import {
  type ActionRegistry,
  type Hasher,
  hashLeaf,
  InvalidInputError,
  type JsonObject,
  type Problem,
  prepareEvent,
  uuidv7,
} from "@trailproof/core";
import type { EntryFields, EntryRow, UnknownActionPolicy } from "./store/log-store.js";
import type { TenantLog } from "./tenant-log.js";

/** Everything of an entry but the index, which the writer assigns. */
export type SealedRow = Omit<EntryRow, "index">;

export interface PendingEntry {
  log: TenantLog;
  row: SealedRow;
}

export type SealOutcome = { row: SealedRow } | { id: string | null; problems: Problem[] };

export interface SealContext {
  registry: ActionRegistry;
  unknownActions: UnknownActionPolicy;
  hasher: Hasher;
  /** Becomes received_at; the caller MUST stamp it non-decreasing in log order. */
  receivedMs: number;
  /**
   * Source of ids and commitment salts; MUST be cryptographically secure.
   * Defaults to node:crypto in blocks (pooledRandomBytes). Tests inject a fixed one.
   */
  randomBytes?: (n: number) => Uint8Array;
}

/**
 * node:crypto's randomness costs microseconds per call whatever the size, and
 * an event takes one 32-byte salt per personal value, so bytes are drawn a
 * block at a time and handed out once each, in order. Per thread (module state).
 */
const RANDOM_BLOCK_BYTES = 4096;
let randomBlock = new Uint8Array(0);
let randomOffset = 0;

export function pooledRandomBytes(n: number): Uint8Array {
  if (n > RANDOM_BLOCK_BYTES) return randomFillSync(new Uint8Array(n));
  if (randomOffset + n > randomBlock.length) {
    randomBlock = randomFillSync(new Uint8Array(RANDOM_BLOCK_BYTES));
    randomOffset = 0;
  }
  // A copy: what is handed out never aliases the block, which is refilled later.
  const out = randomBlock.slice(randomOffset, randomOffset + n);
  randomOffset += n;
  return out;
}

/**
 * Validates and seals `input` (untrusted). Ids and commitment salts come from
 * ctx.randomBytes, by default node:crypto in the calling thread. Only
 * EVENT_INVALID-style problems become a rejection; anything else (a bug) is thrown.
 */
export function sealEntry(input: unknown, ctx: SealContext): SealOutcome {
  const random = ctx.randomBytes ?? pooledRandomBytes;
  let prepared: ReturnType<typeof prepareEvent>;
  try {
    prepared = prepareEvent(input, {
      registry: ctx.registry,
      unknownActions: ctx.unknownActions,
      receivedAt: new Date(ctx.receivedMs),
      newId: () => uuidv7(random, ctx.receivedMs),
      hasher: ctx.hasher,
      randomBytes: random,
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
    row: {
      eventId: prepared.id,
      leafData: prepared.leafData,
      leafHash: hashLeaf(ctx.hasher, prepared.leafData),
      contentDigest: prepared.contentDigest,
      receivedMs: ctx.receivedMs,
      occurredMs: Date.parse(committed.occurred_at as string),
      fields: entryFields(committed),
      disclosures: prepared.disclosures.map((d, k) => ({
        pointer: d.pointer,
        salt: prepared.salts[k] as Uint8Array,
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
