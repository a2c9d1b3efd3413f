// Fixtures shared by this folder's tests: a registry with the built-in
// catalogue, a deterministic (seeded SHA-256 counter) byte source, and events.
import { utf8 } from "../bytes.js";
import type { JsonObject } from "../canonical-json.js";
import type { TrailproofError } from "../errors.js";
import { portableHasher } from "../hasher.js";
import { ActionRegistry } from "../schema/action-registry.js";
import { builtinCatalogue } from "../schema/builtin-catalogue.js";
import type { PrepareContext } from "./prepare-event.js";

export const registry = new ActionRegistry(builtinCatalogue);

/** Deterministic bytes: SHA-256(seed || counter) blocks. Same seed, same stream. */
export function seededRandomBytes(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let filled = 0; filled < n; filled += 32) {
      const block = portableHasher.sha256(utf8(`${seed}:${counter++}`));
      out.set(block.subarray(0, Math.min(32, n - filled)), filled);
    }
    return out;
  };
}

export function context(overrides: Partial<PrepareContext> = {}): PrepareContext {
  let next = 0;
  return {
    registry,
    unknownActions: "reject",
    receivedAt: new Date("2026-05-01T08:00:01.500Z"),
    newId: () => `evt-${++next}`,
    hasher: portableHasher,
    randomBytes: seededRandomBytes("test"),
    appendedBy: { type: "api_key", id: "00000000000000a1" },
    digestKey: new Uint8Array(32).fill(0xd1),
    ...overrides,
  };
}

/** A valid app.page.update event; `extra` fields replace the defaults. */
export function pageEvent(extra: JsonObject = {}): JsonObject {
  return {
    id: "evt-page-1",
    action: "app.page.update",
    occurred_at: "2026-05-01T10:00:00.123+02:00",
    actor: { type: "user", id: "u-42", name: "Ada Lovelace" },
    target: { type: "page", id: "p-7", name: "Checkout", path: ["workspace:acme", "app:crm", "page:p-7"] },
    change: { before: { title: "Old", route: "/old" }, after: { title: "New", route: "/old" } },
    ...extra,
  };
}

/** The error `fn` throws; fails the test when it throws nothing. */
export function thrown(fn: () => unknown): TrailproofError {
  try {
    fn();
  } catch (err) {
    return err as TrailproofError;
  }
  throw new Error("expected a throw, got none");
}

/** Whether `needle` occurs in `bytes` as UTF-8. */
export function containsText(bytes: Uint8Array, needle: string): boolean {
  return new TextDecoder().decode(bytes).includes(needle);
}
