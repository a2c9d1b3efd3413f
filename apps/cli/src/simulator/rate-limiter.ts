// Bounds how fast the simulator sends, in events per second of wall time
// (a token bucket holding one second's worth). Simulated time is separate.

export class RateLimiter {
  readonly #perSecond: number;
  #tokens: number;
  #lastMs: number;

  /** Requires perSecond > 0; Infinity means unbounded. */
  constructor(perSecond: number) {
    this.#perSecond = perSecond;
    this.#tokens = Math.min(perSecond, 1000);
    this.#lastMs = Date.now();
  }

  /** Resolves when one more event may be sent. */
  async take(): Promise<void> {
    if (this.#perSecond === Number.POSITIVE_INFINITY) return;
    for (;;) {
      const now = Date.now();
      this.#tokens = Math.min(this.#perSecond, this.#tokens + ((now - this.#lastMs) / 1000) * this.#perSecond);
      this.#lastMs = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.#tokens) / this.#perSecond) * 1000)));
    }
  }
}
