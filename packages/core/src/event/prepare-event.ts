// Turning an event as a platform sends it into the committed event the log
// hashes (log format v1): validate everything at once, apply defaults, mask
// secrets, commit personal values, and derive the idempotency digest. Sealed
// from one private copy of the input, each part RFC 8785-encoded once.
import { toHex } from "../bytes.js";
import { encodeCanonicalJsonShared, type JsonObject, type JsonValue } from "../canonical-json.js";
import { TrailproofError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import type { ActionDefinition } from "../schema/action-definition.js";
import type { ActionRegistry } from "../schema/action-registry.js";
import { removeAt } from "../schema/json-pointer.js";
import { buildCommittedEvent } from "./build-committed-event.js";
import type { UnknownActionPolicy } from "./check-against-registry.js";
import { type CopiedEventInput, copyEventInput } from "./copy-event-input.js";
import type { Disclosure } from "./disclosure.js";
import { EVENT_ID_PATTERN, type EventInput, MAX_EVENT_ID_LENGTH } from "./envelope-schema.js";
import { commitPersonal, maskSecrets } from "./event-privacy.js";
import { checkCopiedEvent, eventProblems } from "./event-problems.js";
import { utf8Owned, utf8Transient } from "./utf8-scratch.js";
import { asRecord, eventInvalid, type JsonRecord } from "./validate-event-input.js";
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
  /** The salt of each disclosure as bytes, in the same order (the same salts, not decoded again). */
  salts: Uint8Array[];
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
  // The copy is checked first; only an event with a problem is walked again,
  // to list its problems exactly as the input has them.
  const copied = copyEventInput(input);
  const checked = copied === undefined ? undefined : checkCopiedEvent(copied, ctx);
  if (copied === undefined || checked === undefined) {
    const problems = eventProblems(input, ctx);
    // Fail closed: only an input that reads differently each time (getters) gets here.
    throw eventInvalid(
      problems.length > 0 ? problems : [{ pointer: "", message: "the event changed while it was being read" }],
    );
  }
  if (Number.isNaN(ctx.receivedAt.getTime())) throw contextInvalid("receivedAt is not a valid date");
  return sealCopy(copied, checked.definition, ctx);
}

/** Forgets the encodings of `root` and of every container on the way to `tokens`' parent, which changed. */
function forgetAncestors(memo: Map<object, string>, root: JsonRecord, tokens: readonly string[]): void {
  let node: JsonValue | undefined = root;
  for (let i = 0; i < tokens.length && typeof node === "object" && node !== null; i++) {
    memo.delete(node);
    node = Array.isArray(node) ? node[Number(tokens[i])] : (node as JsonRecord)[tokens[i] as string];
  }
}

/**
 * The committed event from the copy (`sent`): checked, private, in canonical
 * key order, every container already encoded. Its parts are reused, not
 * copied: the committed event shares them with `sent`, which after privacy
 * runs is also the content digest's basis, so shared parts are encoded once
 * for both, and only what privacy changed is encoded again.
 */
function sealCopy(
  { copy, encoded: memo }: CopiedEventInput,
  definition: ActionDefinition | undefined,
  ctx: PrepareContext,
): PreparedEvent {
  const sent = copy as unknown as EventInput;
  const id = sent.id ?? ctx.newId();
  if (id.length > MAX_EVENT_ID_LENGTH || !eventId.test(id)) {
    throw contextInvalid("newId() returned an invalid event id");
  }
  const committed = buildCommittedEvent(sent, definition, id, ctx.receivedAt);
  const privacy = definition?.privacy;
  const masked = maskSecrets(committed, privacy);
  const { commitments, disclosures, salts, paths } = commitPersonal(committed, privacy, ctx.hasher, ctx.randomBytes);
  committed.privacy = { masked: masked.map((p) => p.pointer), commitments };
  // The digest basis is the event as sent with its secret and personal values
  // removed: the same removals, replayed on `sent`. Where `sent` shares the
  // parent with the committed event they are already done; where it does not
  // (a whole state or the whole metadata), this is what removes them. Every
  // container a removal changed loses its remembered encoding.
  for (const { tokens } of [...masked, ...paths]) {
    removeAt(copy, tokens);
    forgetAncestors(memo, copy, tokens);
    forgetAncestors(memo, committed, tokens);
  }

  // From here on nothing changes, so encodings stay valid once remembered.
  // State hashes cover the states as committed (secret and personal values
  // removed): anyone can recompute them from the leaf, drift between one
  // event's after and the next one's before shows without reading either,
  // and no unsalted hash of personal data outlives an erasure.
  const committedChange = asRecord(committed.change);
  for (const side of ["before", "after"] as const) {
    const state = committedChange?.[side];
    if (committedChange !== undefined && state !== undefined) {
      const digest = ctx.hasher.sha256(utf8Transient(encodeCanonicalJsonShared(state, memo)));
      committedChange[`${side}_hash`] = `sha256:${toHex(digest)}`;
    }
  }
  return {
    id,
    committed,
    leafData: utf8Owned(encodeCanonicalJsonShared(committed, memo)),
    disclosures,
    salts,
    contentDigest: toHex(ctx.hasher.sha256(utf8Transient(encodeCanonicalJsonShared(copy, memo)))),
  };
}
