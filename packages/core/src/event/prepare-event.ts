// Turning an event as a platform sends it into the committed event the log
// hashes (log format v1): validate everything at once, apply defaults, mask
// secrets, commit personal values, and derive the idempotency digest.
import { toHex } from "../bytes.js";
import { encodeCanonicalJsonBytes, type JsonObject } from "../canonical-json.js";
import { TrailproofError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import type { ActionRegistry } from "../schema/action-registry.js";
import { buildCommittedEvent } from "./build-committed-event.js";
import { checkAgainstRegistry, type UnknownActionPolicy } from "./check-against-registry.js";
import type { Disclosure } from "./disclosure.js";
import { EVENT_ID_PATTERN, type EventInput, MAX_EVENT_ID_LENGTH, type PatchOperation } from "./envelope-schema.js";
import { patchProblems, stateHash, stateHashProblems } from "./event-change.js";
import { commitPersonal, maskSecrets, removePersonal } from "./event-privacy.js";
import { asRecord, checkEventInput, eventInvalid, type JsonRecord, uniqueProblems } from "./validate-event-input.js";

export interface PrepareContext {
  registry: ActionRegistry;
  unknownActions: UnknownActionPolicy;
  /** Becomes received_at; the caller keeps it non-decreasing in log order. */
  receivedAt: Date;
  /** Used when the event has no id; MUST return an id matching EVENT_ID_PATTERN. */
  newId: () => string;
  hasher: Hasher;
  /** Cryptographically secure randomness for commitment salts. */
  randomBytes: (n: number) => Uint8Array;
}

export interface PreparedEvent {
  id: string;
  /** The committed event; its RFC 8785 form is `leafData`. */
  committed: JsonObject;
  leafData: Uint8Array;
  /** Personal values with salts: store beside the log, never inside it. */
  disclosures: Disclosure[];
  /**
   * Hex SHA-256 of the RFC 8785 form of the event as sent, with its secret and
   * personal values removed (an unsalted digest of them would let anyone who
   * guesses a password or an e-mail confirm it). Same id + same digest = a retry.
   */
  contentDigest: string;
}

const eventId = new RegExp(EVENT_ID_PATTERN);

function contextInvalid(message: string): TrailproofError {
  return new TrailproofError("EVENT_CONTEXT_INVALID", message);
}

/**
 * Validates `input` (untrusted) against the envelope and the registry and
 * builds the committed event. Throws EVENT_INVALID listing every problem of
 * every stage at once.
 */
export function prepareEvent(input: unknown, ctx: PrepareContext): PreparedEvent {
  const { event, canonical, problems } = checkEventInput(input);
  if (event === undefined || canonical === undefined) throw eventInvalid(problems);
  // Hashes and patch are checked only when the change section is well-formed.
  const change = asRecord(event.change);
  const changeWellFormed = change !== undefined && !problems.some((p) => p.pointer.startsWith("/change"));
  const { definition, problems: registryProblems } = checkAgainstRegistry(event, ctx.registry, ctx.unknownActions);
  problems.push(...registryProblems);
  if (changeWellFormed) {
    problems.push(...stateHashProblems(ctx.hasher, change));
    const patch = change.patch as PatchOperation[] | undefined;
    if (patch !== undefined) problems.push(...patchProblems(change.before, change.after, patch));
  }
  if (problems.length > 0) throw eventInvalid(uniqueProblems(problems));
  if (Number.isNaN(ctx.receivedAt.getTime())) throw contextInvalid("receivedAt is not a valid date");

  // A private copy in canonical key order: the caller's object is never
  // mutated, and a computed patch depends only on the states' content.
  const sent = JSON.parse(canonical) as EventInput;
  const id = sent.id ?? ctx.newId();
  if (id.length > MAX_EVENT_ID_LENGTH || !eventId.test(id)) {
    throw contextInvalid("newId() returned an invalid event id");
  }
  const committed = buildCommittedEvent(sent, definition, id, ctx.receivedAt);
  const privacy = definition?.privacy;
  const masked = maskSecrets(committed, privacy);
  const { commitments, disclosures } = commitPersonal(committed, privacy, ctx.hasher, ctx.randomBytes);
  committed.privacy = { masked, commitments };
  // State hashes cover the states as committed (secret and personal values
  // removed): anyone can recompute them from the leaf, drift between one
  // event's after and the next one's before shows without reading either,
  // and no unsalted hash of personal data outlives an erasure.
  const committedChange = asRecord(committed.change);
  for (const side of ["before", "after"] as const) {
    const state = committedChange?.[side];
    if (committedChange !== undefined && state !== undefined) {
      committedChange[`${side}_hash`] = stateHash(ctx.hasher, state);
    }
  }

  const digestBasis = JSON.parse(canonical) as JsonRecord;
  maskSecrets(digestBasis, privacy);
  removePersonal(digestBasis, privacy);
  return {
    id,
    committed,
    leafData: encodeCanonicalJsonBytes(committed),
    disclosures,
    contentDigest: toHex(ctx.hasher.sha256(encodeCanonicalJsonBytes(digestBasis))),
  };
}
