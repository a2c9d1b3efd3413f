// Privacy at commit time (log format v1): `secret` fields are removed before
// anything is stored; `personal` fields are removed and replaced by salted
// commitments. Pointers are into the event and processed in sorted order.
import { toBase64 } from "../bytes.js";
import type { JsonValue } from "../canonical-json.js";
import { TrailproofError } from "../errors.js";
import type { Hasher } from "../hasher.js";
import type { ActionPrivacy } from "../schema/action-definition.js";
import { formatPointer, getAt, parsePointer, removeAt } from "../schema/json-pointer.js";
import { findClassified, type PrivacyRules } from "../schema/privacy-patterns.js";
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

/** PERSONAL_ENVELOPE_POINTERS parsed once, not per event. */
const ENVELOPE_TOKENS = PERSONAL_ENVELOPE_POINTERS.map((p) => parsePointer(p) as string[]);

/** A classified value: its pointer from the event root and the same as tokens. */
export interface ClassifiedPath {
  pointer: string;
  tokens: string[];
}

/** Adds the values of `value` (at `prefix`, classified as if at `base`) that `rules` put in class `cls`. */
function addClassified(
  found: ClassifiedPath[],
  value: JsonValue | undefined,
  prefix: string[],
  rules: PrivacyRules | undefined,
  cls: Cls,
  base?: string[],
): void {
  if (value === undefined || rules === undefined) return;
  for (const rel of findClassified(value, rules, cls, base)) {
    const tokens = rel.length === 0 ? prefix : [...prefix, ...rel];
    found.push({ pointer: formatPointer(tokens), tokens });
  }
}

function byPointer(a: ClassifiedPath, b: ClassifiedPath): number {
  return a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0;
}

/**
 * The values of class `cls` in metadata, change.before, change.after and the
 * values of change.patch operations (a patch value is classified at its
 * operation's path), plus, for `personal`, the envelope defaults. Sorted by
 * pointer (code-unit order, as Array.prototype.sort compares strings); every
 * path found is distinct, so there is nothing to deduplicate.
 */
function classified(event: JsonRecord, privacy: ActionPrivacy | undefined, cls: Cls): ClassifiedPath[] {
  const found: ClassifiedPath[] = [];
  if (privacy !== undefined) {
    addClassified(found, event.metadata, ["metadata"], privacy.metadata, cls);
    const change = asRecord(event.change);
    if (change !== undefined && privacy.state !== undefined) {
      addClassified(found, change.before, ["change", "before"], privacy.state, cls);
      addClassified(found, change.after, ["change", "after"], privacy.state, cls);
      const patch = Array.isArray(change.patch) ? change.patch : [];
      for (let i = 0; i < patch.length; i++) {
        const op = asRecord(patch[i]);
        const base = typeof op?.path === "string" ? parsePointer(op.path) : undefined;
        if (base !== undefined) {
          addClassified(found, op?.value, ["change", "patch", String(i), "value"], privacy.state, cls, base);
        }
      }
    }
  }
  if (cls === "personal") {
    for (let i = 0; i < ENVELOPE_TOKENS.length; i++) {
      const tokens = ENVELOPE_TOKENS[i] as string[];
      if (getAt(event, tokens) !== undefined) found.push({ pointer: PERSONAL_ENVELOPE_POINTERS[i] as string, tokens });
    }
  }
  return found.length > 1 ? found.sort(byPointer) : found;
}

/** Removes every secret value from `event` in place; returns where they were, sorted by pointer. */
export function maskSecrets(event: JsonRecord, privacy: ActionPrivacy | undefined): ClassifiedPath[] {
  const paths = classified(event, privacy, "secret");
  for (const { tokens } of paths) removeAt(event, tokens);
  return paths;
}

/**
 * Replaces every personal value of `event` in place by a salted commitment.
 * Salts are drawn from `randomBytes` in pointer order, so a fixed source of
 * randomness gives a fixed result. `salts` are the disclosures' salts as
 * bytes; `paths` is every personal path classified, including any whose value
 * an earlier removal already took.
 */
export function commitPersonal(
  event: JsonRecord,
  privacy: ActionPrivacy | undefined,
  hasher: Hasher,
  randomBytes: (n: number) => Uint8Array,
): { commitments: JsonRecord; disclosures: Disclosure[]; salts: Uint8Array[]; paths: ClassifiedPath[] } {
  const commitments: JsonRecord = {};
  const disclosures: Disclosure[] = [];
  const salts: Uint8Array[] = [];
  const paths = classified(event, privacy, "personal");
  for (const { pointer, tokens } of paths) {
    const value = getAt(event, tokens);
    if (value === undefined) continue;
    const salt = randomBytes(COMMITMENT_SALT_BYTES);
    if (salt.length !== COMMITMENT_SALT_BYTES) {
      throw new TrailproofError(
        "EVENT_CONTEXT_INVALID",
        `randomBytes(${COMMITMENT_SALT_BYTES}) returned ${salt.length} bytes`,
      );
    }
    // Pointers start with "/", so no key here can reach a prototype.
    commitments[pointer] = commitValue(hasher, salt, value);
    disclosures.push({ pointer, salt: toBase64(salt), value });
    salts.push(salt);
    removeAt(event, tokens);
  }
  return { commitments, disclosures, salts, paths };
}
