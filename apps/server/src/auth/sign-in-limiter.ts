// Throttles failed sign-ins per person and per client address: after
// MAX_FAILURES within WINDOW_MS further attempts are refused (429) until the
// window passes, so passwords and TOTP codes cannot be guessed online.
import type { SharedState } from "@trailproof/ledger";

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 5;

/**
 * Failures live in the shared state, so every node counts them together:
 * an attacker spreading guesses across nodes behind a load balancer gets
 * MAX_FAILURES in all, not per node.
 */
export class SignInLimiter {
  readonly #shared: SharedState;

  constructor(shared: SharedState) {
    this.#shared = shared;
  }

  /** Milliseconds until another attempt is allowed for any of `keys`, or 0. */
  async retryAfterMs(keys: readonly string[]): Promise<number> {
    let wait = 0;
    for (const key of keys) {
      const recent = await this.#shared.recentHits(hitKey(key), WINDOW_MS);
      if (recent.count >= MAX_FAILURES) wait = Math.max(wait, WINDOW_MS - recent.oldestAgeMs, 1);
    }
    return wait;
  }

  async recordFailure(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.#shared.addHit(hitKey(key), WINDOW_MS);
  }

  async reset(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.#shared.clearHits(hitKey(key));
  }
}

const hitKey = (key: string) => `sign-in-failure:${key}`;
