// Turns one untrusted input into an entry ready to sequence: validated and
// sealed by core's prepareEvent, its leaf hash computed. Runs before the
// group commit so the writer only writes, on the main thread or in a seal
// worker (seal/seal-worker.ts). Searchable fields are not copied here: the
// search follower derives them from the leaf (query/search-fields.ts).
import {
  type ActionRegistry,
  type AppendedBy,
  type Hasher,
  hashLeaf,
  InvalidInputError,
  type JsonObject,
  type OccurredAtBounds,
  type Problem,
  prepareEvent,
  subjectIdOf,
  uuidv7,
} from "@trailproof/core";
import type { PlainDisclosure } from "./privacy/sealed-disclosure.js";
import { pooledRandomBytes } from "./random-pool.js";
import type { EntryRow, UnknownActionPolicy } from "./store/log-store.js";
import type { TenantLog } from "./tenant-log.js";

/** A personal value as sealEntry leaves it: in clear, with its subject's id, for the writer to seal. */
export interface SubjectDisclosure extends PlainDisclosure {
  /** The subject's id (core's subjectIdOf); the writer stores its pseudonym, never this. */
  subjectId: string;
}

/** Everything of an entry but the index, which the writer assigns; personal values not sealed yet. */
export type SealedRow = Omit<EntryRow, "index" | "disclosures"> & { disclosures: SubjectDisclosure[] };

export interface PendingEntry {
  log: TenantLog;
  row: SealedRow;
  /** The input as appended: a retry of an entry written before log format v2 is compared by the v1 digest of it. */
  input: unknown;
  /**
   * Seals the same event again with a later received_at and the same id:
   * where another node appended entries stamped after this one, the log's
   * received_at order is kept by restamping (append/write-entries.ts).
   */
  reseal?: (receivedMs: number) => SealOutcome;
}

export type SealOutcome = { row: SealedRow } | { id: string | null; problems: Problem[] };

export interface SealContext {
  registry: ActionRegistry;
  unknownActions: UnknownActionPolicy;
  hasher: Hasher;
  /** Becomes received_at; the caller MUST stamp it non-decreasing in log order. */
  receivedMs: number;
  /** Who appends: stamped into the leaf as appended_by. */
  appendedBy: AppendedBy;
  /** The tenant's digest key (keys/digest-keys.ts). */
  digestKey: Uint8Array;
  /** The plausible range of occurred_at; core's default when absent. */
  occurredAtBounds?: OccurredAtBounds;
  /**
   * Source of ids and commitment salts; MUST be cryptographically secure.
   * Defaults to node:crypto in blocks (pooledRandomBytes). Tests inject a fixed one.
   */
  randomBytes?: (n: number) => Uint8Array;
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
      appendedBy: ctx.appendedBy,
      digestKey: ctx.digestKey,
      ...(ctx.occurredAtBounds ? { occurredAtBounds: ctx.occurredAtBounds } : {}),
    });
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    const id =
      typeof input === "object" && input !== null && typeof (input as { id?: unknown }).id === "string"
        ? (input as { id: string }).id
        : null;
    return { id, problems: err.problems.length > 0 ? [...err.problems] : [{ pointer: "", message: err.message }] };
  }
  return {
    row: {
      eventId: prepared.id,
      leafData: prepared.leafData,
      leafHash: hashLeaf(ctx.hasher, prepared.leafData),
      // A digest key was given, so prepareEvent computed the digest.
      contentDigest: prepared.contentDigest as string,
      receivedMs: ctx.receivedMs,
      disclosures: prepared.disclosures.map((d, k) => ({
        pointer: d.pointer,
        salt: prepared.salts[k] as Uint8Array,
        value: d.value,
        subjectId: subjectIdOf(prepared.committed, d.pointer, definitionOf(ctx.registry, prepared.committed)),
      })),
    },
  };
}

/** The action schema the committed event was validated against, if any (its privacy.subject names whose values are whose). */
function definitionOf(registry: ActionRegistry, committed: JsonObject) {
  const version = typeof committed.action_version === "number" ? committed.action_version : undefined;
  return typeof committed.action === "string" ? registry.resolve(committed.action, version) : undefined;
}
