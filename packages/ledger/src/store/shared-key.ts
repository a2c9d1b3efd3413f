// The key check every SharedState implementation makes, so both backends
// refuse the same keys with the same code.
import { TrailproofError } from "@trailproof/core";
import { MAX_SHARED_KEY_LENGTH } from "./shared-state.js";

/** Throws SHARED_KEY_INVALID for an empty key or one over MAX_SHARED_KEY_LENGTH characters. */
export function checkSharedKey(key: string): void {
  if (key.length === 0 || key.length > MAX_SHARED_KEY_LENGTH) {
    throw new TrailproofError(
      "SHARED_KEY_INVALID",
      `a shared-state key must have 1 to ${MAX_SHARED_KEY_LENGTH} characters, not ${key.length}`,
    );
  }
}
