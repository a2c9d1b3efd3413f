// Turning an event as a platform sends it into the committed event the log
// hashes (log format v2): validate everything at once, apply defaults, stamp
// the appender, mask secrets, commit personal values, and derive the keyed
// idempotency digest. Sealed from one private copy of the input, each part
// RFC 8785-encoded once.
import { toHex } from "../bytes.js";
import { encodeCanonicalJsonShared, type JsonObject, type JsonValue } from "../canonical-json.js";
import { type Problem, TrailproofError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import type { ActionDefinition } from "../schema/action-definition.js";
import type { ActionRegistry } from "../schema/action-registry.js";
import { removeAt } from "../schema/json-pointer.js";
import { type AppendedBy, checkAppendedBy } from "./appended-by.js";
import { buildCommittedEvent } from "./build-committed-event.js";
import type { UnknownActionPolicy } from "./check-against-registry.js";
import { buildContentDigest, DIGEST_KEY_BYTES } from "./content-digest.js";
import { type CopiedEventInput, copyEventInput } from "./copy-event-input.js";
import type { Disclosure } from "./disclosure.js";
import { EVENT_ID_PATTERN, type EventInput, MAX_EVENT_ID_LENGTH } from "./envelope-schema.js";
import { commitPersonal, maskSecrets } from "./event-privacy.js";
import { checkCopiedEvent, eventProblems } from "./event-problems.js";
import {
  checkOccurredAtBounds,
  DEFAULT_OCCURRED_AT_BOUNDS,
  type OccurredAtBounds,
  occurredAtProblems,
} from "./occurred-at-bounds.js";
import { utf8Owned, utf8Transient } from "./utf8-scratch.js";
import { asRecord, eventInvalid, type JsonRecord, uniqueProblems } from "./validate-event-input.js";

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
  /** Who appends the event: the caller's credential, stamped into the leaf as appended_by. */
  appendedBy: AppendedBy;
  /**
   * The tenant's secret digest key (DIGEST_KEY_BYTES random bytes, kept
   * outside the log). Without one no content digest is computed: for callers
   * that only validate, such as the SDK.
   */
  digestKey?: Uint8Array;
  /** The plausible range of occurred_at; DEFAULT_OCCURRED_AT_BOUNDS when absent. */
  occurredAtBounds?: OccurredAtBounds;
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
   * The keyed idempotency digest (content-digest.ts): `hmac-sha256:` and hex.
   * Same id + same digest = a retry. Undefined when the context has no digestKey.
   */
  contentDigest: string | undefined;
}

const eventId = new RegExp(EVENT_ID_PATTERN);

function contextInvalid(message: string): TrailproofError {
  return new TrailproofError("EVENT_CONTEXT_INVALID", message);
}

/**
 * Validates `input` (untrusted) against the envelope, the registry and the
 * occurred_at bounds, and builds the committed event. Throws EVENT_INVALID
 * listing every problem of every stage at once, and EVENT_CONTEXT_INVALID
 * for a bad context (a bug of the caller, not of the event).
 */
export function prepareEvent(input: unknown, ctx: PrepareContext): PreparedEvent {
  const { copied, definition } = checkedCopy(input, ctx);
  return sealCopy(copied, definition, ctx, false) as PreparedEvent;
}

/**
 * The idempotency digest log format v1 stored: hex SHA-256 of the RFC 8785
 * form of the event as sent with its secret and personal values removed,
 * unkeyed. Only for retries of entries written before v2, whose stored digest
 * has this form; validates `input` (untrusted) as prepareEvent does.
 */
export function legacyContentDigest(input: unknown, ctx: PrepareContext): string {
  const { copied, definition } = checkedCopy(input, ctx);
  return sealCopy(copied, definition, ctx, true) as string;
}

function checkedCopy(
  input: unknown,
  ctx: PrepareContext,
): { copied: CopiedEventInput; definition: ActionDefinition | undefined } {
  const receivedMs = ctx.receivedAt.getTime();
  if (Number.isNaN(receivedMs)) throw contextInvalid("receivedAt is not a valid date");
  checkAppendedBy(ctx.appendedBy);
  if (ctx.digestKey !== undefined && ctx.digestKey.length < DIGEST_KEY_BYTES) {
    throw contextInvalid(`digestKey must be at least ${DIGEST_KEY_BYTES} bytes`);
  }
  const bounds = ctx.occurredAtBounds ?? DEFAULT_OCCURRED_AT_BOUNDS;
  checkOccurredAtBounds(bounds);
  // The copy is checked first; only an event with a problem is walked again,
  // to list its problems exactly as the input has them.
  const copied = copyEventInput(input);
  const checked = copied === undefined ? undefined : checkCopiedEvent(copied, ctx);
  const outOfBounds: Problem[] =
    copied === undefined || checked === undefined ? [] : occurredAtProblems(copied.copy, bounds, receivedMs);
  if (copied === undefined || checked === undefined || outOfBounds.length > 0) {
    const problems = uniqueProblems([...eventProblems(input, ctx), ...occurredAtProblems(input, bounds, receivedMs)]);
    // Fail closed: only an input that reads differently each time (getters) gets here.
    throw eventInvalid(
      problems.length > 0 ? problems : [{ pointer: "", message: "the event changed while it was being read" }],
    );
  }
  return { copied, definition: checked.definition };
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
 * copied: the committed event shares them with `sent`, so shared parts are
 * encoded once, and only what privacy changed is encoded again. With
 * `legacy`, the v1 digest of `sent` instead (legacyContentDigest).
 */
function sealCopy(
  { copy, encoded: memo }: CopiedEventInput,
  definition: ActionDefinition | undefined,
  ctx: PrepareContext,
  legacy: boolean,
): PreparedEvent | string {
  const sent = copy as unknown as EventInput;
  const id = sent.id ?? ctx.newId();
  if (id.length > MAX_EVENT_ID_LENGTH || !eventId.test(id)) {
    throw contextInvalid("newId() returned an invalid event id");
  }
  const committed = buildCommittedEvent(sent, definition, id, ctx.receivedAt, ctx.appendedBy);
  const privacy = definition?.privacy;
  const masked = maskSecrets(committed, privacy);
  const { commitments, disclosures, salts, paths } = commitPersonal(committed, privacy, ctx.hasher, ctx.randomBytes);
  committed.privacy = { masked: masked.map((p) => p.pointer), commitments };
  // Every container a removal changed loses its remembered encoding. The v1
  // digest's basis is the event as sent with its secret and personal values
  // removed: the same removals, replayed on `sent`. Where `sent` shares the
  // parent with the committed event they are already done; where it does not
  // (a whole state or the whole metadata), this is what removes them.
  for (const { tokens } of [...masked, ...paths]) {
    if (legacy) {
      removeAt(copy, tokens);
      forgetAncestors(memo, copy, tokens);
    }
    forgetAncestors(memo, committed, tokens);
  }
  if (legacy) return toHex(ctx.hasher.sha256(utf8Transient(encodeCanonicalJsonShared(copy, memo))));

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
  const leafData = utf8Owned(encodeCanonicalJsonShared(committed, memo));
  let contentDigest: string | undefined;
  if (ctx.digestKey !== undefined) {
    const values: Record<string, JsonValue> = {};
    for (const d of disclosures) values[d.pointer] = d.value;
    contentDigest = buildContentDigest(ctx.hasher, ctx.digestKey, committed, values, memo);
  }
  return { id, committed, leafData, disclosures, salts, contentDigest };
}
