// Throttles failed sign-ins per person and per client address: after
// MAX_FAILURES within WINDOW_MS further attempts are refused (429) until the
// window passes, so passwords and TOTP codes cannot be guessed online.
const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = 5;
const MAX_TRACKED = 50_000;

export class SignInLimiter {
  readonly #failures = new Map<string, number[]>();

  /** Milliseconds until another attempt is allowed for any of `keys`, or 0. */
  retryAfterMs(keys: readonly string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const recent = (this.#failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
      if (recent.length >= MAX_FAILURES) wait = Math.max(wait, (recent[0] as number) + WINDOW_MS - now);
    }
    return wait;
  }

  recordFailure(keys: readonly string[], now = Date.now()): void {
    for (const key of keys) {
      const recent = (this.#failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
      recent.push(now);
      this.#failures.delete(key);
      this.#failures.set(key, recent);
      if (this.#failures.size > MAX_TRACKED) this.#failures.delete(this.#failures.keys().next().value as string);
    }
  }

  reset(keys: readonly string[]): void {
    for (const key of keys) this.#failures.delete(key);
  }
}
