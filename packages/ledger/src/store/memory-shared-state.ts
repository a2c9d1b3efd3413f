// SharedState in this process's memory (shared-state.ts), for the embedded
// SQLite store, where one process is the whole service. Every method runs
// to completion without awaiting, so calls are atomic by construction.
import { checkSharedKey } from "./shared-key.js";
import type { RecentHits, SharedState, WindowCount } from "./shared-state.js";

export interface MemorySharedStateOptions {
  /** The clock (ms since the epoch); tests pass their own. */
  now?: () => number;
  /** Live keys kept per kind; past it the oldest written go first (default 100,000). */
  maxKeys?: number;
}

const PRUNE_INTERVAL_MS = 10_000;

export class MemorySharedState implements SharedState {
  /** Per key, the times of its hits and when the last of them expires. */
  readonly #hits = new Map<string, { at: number[]; expiresAt: number }>();
  readonly #counters = new Map<string, { count: number; endsAt: number }>();
  readonly #values = new Map<string, { value: string; expiresAt: number }>();
  readonly #now: () => number;
  readonly #maxKeys: number;
  #prunedAt = 0;

  constructor(options: MemorySharedStateOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  async addHit(key: string, windowMs: number): Promise<void> {
    checkSharedKey(key);
    const now = this.#written();
    const live = this.#liveHits(key, windowMs, now);
    live.push(now);
    const old = this.#hits.get(key);
    this.#set(this.#hits, key, { at: live, expiresAt: Math.max(old?.expiresAt ?? 0, now + windowMs) });
  }

  async recentHits(key: string, windowMs: number): Promise<RecentHits> {
    checkSharedKey(key);
    const now = this.#now();
    const live = this.#liveHits(key, windowMs, now);
    return { count: live.length, oldestAgeMs: live.length === 0 ? 0 : now - (live[0] as number) };
  }

  async clearHits(key: string): Promise<void> {
    checkSharedKey(key);
    this.#hits.delete(key);
  }

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    checkSharedKey(key);
    const now = this.#written();
    const old = this.#counters.get(key);
    const next =
      old !== undefined && old.endsAt > now ? { ...old, count: old.count + 1 } : { count: 1, endsAt: now + windowMs };
    // Kept in place (no re-insert): a busy counter is not "recently written" for eviction.
    if (old !== undefined) this.#counters.set(key, next);
    else this.#set(this.#counters, key, next);
    return { count: next.count, resetInMs: next.endsAt - now };
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    checkSharedKey(key);
    const now = this.#written();
    this.#set(this.#values, key, { value, expiresAt: now + ttlMs });
  }

  async claim(key: string, value: string, ttlMs: number): Promise<boolean> {
    checkSharedKey(key);
    const now = this.#written();
    const old = this.#values.get(key);
    if (old !== undefined && old.expiresAt > now) return false;
    this.#set(this.#values, key, { value, expiresAt: now + ttlMs });
    return true;
  }

  async get(key: string): Promise<string | undefined> {
    checkSharedKey(key);
    const found = this.#values.get(key);
    return found !== undefined && found.expiresAt > this.#now() ? found.value : undefined;
  }

  async take(key: string): Promise<string | undefined> {
    checkSharedKey(key);
    const found = this.#values.get(key);
    this.#values.delete(key);
    return found !== undefined && found.expiresAt > this.#now() ? found.value : undefined;
  }

  async delete(key: string): Promise<void> {
    checkSharedKey(key);
    this.#values.delete(key);
  }

  #liveHits(key: string, windowMs: number, now: number): number[] {
    return (this.#hits.get(key)?.at ?? []).filter((t) => now - t < windowMs);
  }

  /** A write's clock reading; sweeps expired keys now and then so memory follows what is live. */
  #written(): number {
    const now = this.#now();
    if (now - this.#prunedAt < PRUNE_INTERVAL_MS) return now;
    this.#prunedAt = now;
    for (const [k, v] of this.#hits) if (v.expiresAt <= now) this.#hits.delete(k);
    for (const [k, v] of this.#counters) if (v.endsAt <= now) this.#counters.delete(k);
    for (const [k, v] of this.#values) if (v.expiresAt <= now) this.#values.delete(k);
    return now;
  }

  /** Writes `key` as the newest, dropping the oldest written when over the cap. */
  #set<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > this.#maxKeys) map.delete(map.keys().next().value as string);
  }
}
