// Retry timing for delivery: exponential backoff with full jitter (AWS
// Architecture Blog, "Exponential Backoff And Jitter") and the Retry-After
// header of RFC 9110 section 10.2.3, which the service sends with 429 and 503.

export interface BackoffOptions {
  /** First retry waits up to this long. */
  baseMs: number;
  /** No computed wait exceeds this (Retry-After from the service may). */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 200, capMs: 30_000 };

/** Longest Retry-After honoured: a larger value is taken as this, so a bad header cannot park the client for days. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * Wait before retry number `attempt` (0 for the first retry): uniform in
 * [0, min(capMs, baseMs * 2^attempt)). `random` returns [0, 1).
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 52));
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds a Retry-After value asks for: delay-seconds or an HTTP-date.
 * `value` comes from the network; anything unparseable gives undefined.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^[0-9]{1,10}$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // HTTP-dates end in "GMT" (RFC 9110 section 5.6.7); Date.parse alone takes "-1" for a year.
  const at = text.endsWith("GMT") ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - nowMs, 0), MAX_RETRY_AFTER_MS);
}
