// Privacy at commit time (log format v1): `secret` fields are removed before
// anything is stored; `personal` fields are removed and replaced by salted
// commitments. Pointers are into the event and processed in sorted order.
import { toBase64 } from "../bytes.js";
import type { JsonValue } from "../canonical-json.js";
import { TrailproofError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import type { ActionPrivacy } from "../schema/action-definition.js";
import { formatPointer, getAt, parsePointer, removeAt } from "../schema/json-pointer.js";
import { findClassified } from "../schema/privacy-patterns.js";
import { COMMITMENT_SALT_BYTES, commitValue, type Disclosure } from "./disclosure.js";
import { asRecord, type JsonRecord } from "./validate-event-input.js";

/** Envelope fields that are personal whatever the action says. */
export const PERSONAL_ENVELOPE_POINTERS = [
  "/actor/name",
  "/actor/on_behalf_of/name",
  "/context/ip",
  "/context/user_agent",
  "/context/device_fingerprint",
] as const;

type Cls = "secret" | "personal";

/**
 * Token paths, from the event root, of the values of class `cls` in metadata,
 * change.before, change.after and the values of change.patch operations (a
 * patch value is classified at its operation's path), plus, for `personal`,
 * the envelope defaults. Sorted by pointer, no duplicates.
 */
function classified(event: JsonRecord, privacy: ActionPrivacy | undefined, cls: Cls): string[][] {
  const found: string[][] = [];
  const add = (value: JsonValue | undefined, prefix: string[], rules: ActionPrivacy["state"], base: string[] = []) => {
    if (value === undefined) return;
    for (const rel of findClassified(value, rules, cls, base)) found.push([...prefix, ...rel]);
  };
  add(event.metadata, ["metadata"], privacy?.metadata);
  const change = asRecord(event.change);
  add(change?.before, ["change", "before"], privacy?.state);
  add(change?.after, ["change", "after"], privacy?.state);
  const patch = Array.isArray(change?.patch) ? change.patch : [];
  patch.forEach((entry, i) => {
    const op = asRecord(entry);
    const base = typeof op?.path === "string" ? parsePointer(op.path) : undefined;
    if (base !== undefined) add(op?.value, ["change", "patch", String(i), "value"], privacy?.state, base);
  });
  if (cls === "personal") {
    for (const pointer of PERSONAL_ENVELOPE_POINTERS) {
      const tokens = parsePointer(pointer) as string[];
      if (getAt(event, tokens) !== undefined) found.push(tokens);
    }
  }
  const byPointer = new Map(found.map((tokens) => [formatPointer(tokens), tokens]));
  return [...byPointer.keys()].sort().map((p) => byPointer.get(p) as string[]);
}

/** Removes every secret value from `event` in place; returns their pointers, sorted. */
export function maskSecrets(event: JsonRecord, privacy: ActionPrivacy | undefined): string[] {
  const paths = classified(event, privacy, "secret");
  for (const tokens of paths) removeAt(event, tokens);
  return paths.map(formatPointer);
}

/** Removes every personal value from `event` in place, keeping nothing. */
export function removePersonal(event: JsonRecord, privacy: ActionPrivacy | undefined): void {
  for (const tokens of classified(event, privacy, "personal")) removeAt(event, tokens);
}

/**
 * Replaces every personal value of `event` in place by a salted commitment.
 * Salts are drawn from `randomBytes` in pointer order, so a fixed source of
 * randomness gives a fixed result.
 */
export function commitPersonal(
  event: JsonRecord,
  privacy: ActionPrivacy | undefined,
  hasher: Hasher,
  randomBytes: (n: number) => Uint8Array,
): { commitments: JsonRecord; disclosures: Disclosure[] } {
  const commitments: JsonRecord = {};
  const disclosures: Disclosure[] = [];
  for (const tokens of classified(event, privacy, "personal")) {
    const value = getAt(event, tokens);
    if (value === undefined) continue;
    const salt = randomBytes(COMMITMENT_SALT_BYTES);
    if (salt.length !== COMMITMENT_SALT_BYTES) {
      throw new TrailproofError(
        "EVENT_CONTEXT_INVALID",
        `randomBytes(${COMMITMENT_SALT_BYTES}) returned ${salt.length} bytes`,
      );
    }
    const pointer = formatPointer(tokens);
    // Pointers start with "/", so no key here can reach a prototype.
    commitments[pointer] = commitValue(hasher, salt, value);
    disclosures.push({ pointer, salt: toBase64(salt), value });
    removeAt(event, tokens);
  }
  return { commitments, disclosures };
}
