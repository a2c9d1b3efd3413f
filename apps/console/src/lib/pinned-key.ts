// A verifier key an auditor pinned in this browser. Once pinned, proofs are
// checked against it instead of whatever key the server publishes now, so a
// server that swapped its key (and re-signed a rewritten log) is caught.
import type { VerifierKeys } from "../api/types.js";
import type { TrustedKeys } from "./proof.js";

const KEY = "trailproof.pinnedKey";

export interface PinnedKey {
  origin: string;
  verifierKey: string;
}

export function loadPinnedKey(storage: Storage = window.localStorage): PinnedKey | undefined {
  try {
    const v: unknown = JSON.parse(storage.getItem(KEY) ?? "null");
    if (v && typeof v === "object" && "origin" in v && "verifierKey" in v) {
      const { origin, verifierKey } = v as PinnedKey;
      if (typeof origin === "string" && typeof verifierKey === "string") return { origin, verifierKey };
    }
  } catch {
    // An unreadable pin counts as none; the page says which key it used.
  }
  return undefined;
}

export function savePinnedKey(pin: PinnedKey | undefined, storage: Storage = window.localStorage): void {
  if (pin) storage.setItem(KEY, JSON.stringify(pin));
  else storage.removeItem(KEY);
}

/** The keys to trust: the pinned one for its origin, else every key the server lists. */
export function trustedKeys(published: VerifierKeys, pin = loadPinnedKey()): TrustedKeys & { pinned: boolean } {
  if (pin && pin.origin === published.origin) return { origin: pin.origin, keys: [pin.verifierKey], pinned: true };
  const keys = [published.verifier_key, ...published.keys.map((k) => k.verifier_key)].filter(
    (k, i, all) => k && all.indexOf(k) === i,
  );
  return { origin: published.origin, keys, pinned: false };
}
