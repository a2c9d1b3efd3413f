// Reader-side views of a committed event (log format v1): revealEvent puts
// disclosed personal values back for readers allowed to see them, after
// checking each against its commitment; redactEvent gives the committed form.
import type { JsonObject, JsonValue } from "../canonical-json.js";
import { VerificationError } from "../errors.js";
import { type Hasher, portableHasher } from "../hasher.js";
import { parsePointer, putAt, removeAt } from "../schema/json-pointer.js";
import { type Disclosure, verifyDisclosure } from "./disclosure.js";
import { asRecord } from "./validate-event-input.js";

function commitmentsOf(event: JsonObject): Record<string, JsonValue> {
  return asRecord(asRecord(event.privacy)?.commitments) ?? {};
}

function copy<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/**
 * A copy of `committed` with each disclosed value at its pointer. Every
 * disclosure (untrusted, e.g. from storage) MUST open the commitment the event
 * holds for its pointer; otherwise PRIVACY_COMMITMENT_MISMATCH, nothing revealed.
 * The result is a view, not the leaf: hash `committed`, never this.
 */
export function revealEvent(
  committed: JsonObject,
  disclosures: readonly Disclosure[],
  hasher: Hasher = portableHasher,
): JsonObject {
  const commitments = commitmentsOf(committed);
  const revealed = copy(committed);
  for (const disclosure of disclosures) {
    const commitment = Object.hasOwn(commitments, disclosure.pointer) ? commitments[disclosure.pointer] : undefined;
    const tokens = parsePointer(disclosure.pointer);
    if (typeof commitment !== "string" || tokens === undefined || tokens.length === 0) {
      throw new VerificationError(
        "PRIVACY_COMMITMENT_MISMATCH",
        `the event holds no commitment for ${disclosure.pointer || "(event)"}`,
      );
    }
    verifyDisclosure(hasher, commitment, disclosure);
    if (!putAt(revealed, tokens, copy(disclosure.value))) {
      throw new VerificationError("PRIVACY_COMMITMENT_MISMATCH", `the event has no place for ${disclosure.pointer}`);
    }
  }
  return revealed;
}

/** A personal value a reader does not get because its stored disclosure fails its commitment. */
export interface WithheldValue {
  pointer: string;
  reason: "commitment_mismatch";
}

/**
 * Like revealEvent, but a disclosure that does not open its commitment is
 * withheld instead of failing the whole event: the result carries every
 * value that verifies and names each one withheld. A reader never sees a
 * tampered value, and one damaged row does not make the event unreadable.
 */
export function revealEventChecked(
  committed: JsonObject,
  disclosures: readonly Disclosure[],
  hasher: Hasher = portableHasher,
): { event: JsonObject; withheld: WithheldValue[] } {
  const good: Disclosure[] = [];
  const withheld: WithheldValue[] = [];
  for (const d of disclosures) {
    try {
      revealEvent(committed, [d], hasher);
      good.push(d);
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      withheld.push({ pointer: d.pointer, reason: "commitment_mismatch" });
    }
  }
  return { event: revealEvent(committed, good, hasher), withheld };
}

/**
 * The committed form of `event`, committed or revealed: a copy with every value
 * that has a commitment removed again (array elements become null, as at commit).
 */
export function redactEvent(event: JsonObject): JsonObject {
  const redacted = copy(event);
  for (const pointer of Object.keys(commitmentsOf(event))) {
    const tokens = parsePointer(pointer);
    if (tokens !== undefined && tokens.length > 0) removeAt(redacted, tokens);
  }
  return redacted;
}
