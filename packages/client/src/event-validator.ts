// Client-side validation with core's own rules (prepareEvent: the envelope,
// the action's registered schemas, patch and hash checks), so a mistake throws
// EVENT_INVALID with every problem in the platform's own tests instead of
// coming back as a rejection later. Then secrets are dropped (drop-secrets.ts).
import {
  type ActionPrivacy,
  type ActionRegistry,
  computePatch,
  encodeCanonicalJson,
  type JsonObject,
  type JsonValue,
  type PatchOperation,
  portableHasher,
  prepareEvent,
  stateHash,
  type UnknownActionPolicy,
  validateEventInput,
} from "@trailproof/core";
import { dropSecrets } from "./drop-secrets.js";

export function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}

function canonical(value: JsonValue): JsonValue {
  return JSON.parse(encodeCanonicalJson(value)) as JsonValue;
}

export class EventValidator {
  readonly #registry: ActionRegistry | undefined;
  readonly #unknownActions: UnknownActionPolicy;

  /** Without a registry only the envelope is checked and no secret can be recognised. */
  constructor(registry: ActionRegistry | undefined, unknownActions: UnknownActionPolicy) {
    this.#registry = registry;
    this.#unknownActions = unknownActions;
  }

  /** The privacy rules of `action` (at `version`, else the latest), when registered. */
  privacyOf(action: unknown, version?: unknown): ActionPrivacy | undefined {
    if (this.#registry === undefined || typeof action !== "string") return undefined;
    return this.#registry.resolve(action, typeof version === "number" ? version : undefined)?.privacy;
  }

  /**
   * Throws EVENT_INVALID listing every problem of `event` (untrusted, complete:
   * id, occurred_at and actor filled). Then drops its secret values in place,
   * recomputing a given patch and given state hashes from the cleaned states so
   * the event stays consistent. Returns the dropped pointers.
   */
  check(event: JsonObject): string[] {
    if (this.#registry === undefined) validateEventInput(event);
    else {
      prepareEvent(event, {
        registry: this.#registry,
        unknownActions: this.#unknownActions,
        receivedAt: new Date(),
        newId: () => String(event.id),
        hasher: portableHasher,
        randomBytes,
        // Only the verdict counts here: the sealed copy, and with it who appended it, is discarded.
        appendedBy: { type: "service", id: "client-validator" },
      });
    }
    const dropped = dropSecrets(event, this.privacyOf(event.action, event.action_version));
    if (dropped.some((p) => p.startsWith("/change/"))) repairChange(event.change as JsonObject);
    return dropped;
  }
}

/** After secrets left the states: a given patch and given hashes are recomputed from what remains. */
function repairChange(change: JsonObject): void {
  const { before, after } = change;
  if (before !== undefined && after !== undefined && change.patch !== undefined) {
    change.patch = computePatch(canonical(before), canonical(after)) as unknown as JsonValue;
  } else if (Array.isArray(change.patch)) {
    // A patch without both states: an operation whose value was secret says nothing storable.
    change.patch = (change.patch as unknown as PatchOperation[]).filter(
      (op) => !(op.op === "add" || op.op === "replace" || op.op === "test") || op.value !== undefined,
    ) as unknown as JsonValue;
  }
  for (const side of ["before", "after"] as const) {
    const state = change[side];
    if (change[`${side}_hash`] !== undefined && state !== undefined) {
      change[`${side}_hash`] = stateHash(portableHasher, state);
    }
  }
}
