// Short-lived state that every node of a service must see alike: failed
// sign-ins, read deduplication marks, rate-limit counters, pending second
// sign-in steps and verification jobs. Coordination, never tenant data.

/** Hits recorded under a key within a window. */
export interface RecentHits {
  count: number;
  /** How long ago the oldest of them was recorded, in ms; 0 when there are none. */
  oldestAgeMs: number;
}

/** A fixed-window counter after an increment. */
export interface WindowCount {
  /** Increments in the current window, this one included (>= 1). */
  count: number;
  /** Milliseconds until the current window ends and the count starts again. */
  resetInMs: number;
}

/**
 * Every method MUST be atomic across processes sharing the store: two nodes
 * calling at once see the same outcome as the two calls made one after the
 * other. Expiry is judged by the store's own clock (nodes' clocks need not
 * agree). An expired hit, counter window or value MUST be treated exactly
 * as an absent one, and MUST be pruned eventually so the store stays
 * bounded by what is live. Keys are opaque strings up to 512 characters;
 * windows and ttls are positive milliseconds.
 */
export interface SharedState {
  /** Records one hit under `key`, kept for `windowMs`. */
  addHit(key: string, windowMs: number): Promise<void>;
  /** Hits under `key` recorded within the last `windowMs`. */
  recentHits(key: string, windowMs: number): Promise<RecentHits>;
  /** Forgets every hit under `key`. */
  clearHits(key: string): Promise<void>;

  /**
   * Adds one to `key`'s counter in a fixed window of `windowMs`, which starts
   * at the first increment after the previous window ended. Two concurrent
   * increments MUST both count (no lost update).
   */
  increment(key: string, windowMs: number): Promise<WindowCount>;

  /** Stores `value` under `key` until ttlMs from now, replacing any value. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Stores `value` under `key` until ttlMs from now only when no live value
   * is there, and resolves true; resolves false, changing nothing, while one
   * is. Of concurrent claims on one key exactly one MUST get true.
   */
  claim(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** The live value under `key`, or undefined. */
  get(key: string): Promise<string | undefined>;
  /**
   * Removes `key` and resolves its live value, or undefined. Of concurrent
   * takes of one value exactly one MUST get it (a one-time token is spent once).
   */
  take(key: string): Promise<string | undefined>;
  /** Removes `key`, live or not. */
  delete(key: string): Promise<void>;
}

/** The longest key a SharedState accepts. */
export const MAX_SHARED_KEY_LENGTH = 512;
