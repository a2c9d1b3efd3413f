// A store for @fastify/rate-limit over the nodes' shared state, so a key's
// requests are counted across every node behind a load balancer instead of
// per process (the plugin's default store).
import type { SharedState } from "@trailproof/ledger";

/** The part of the plugin's store contract Trailproof uses (no ban, backoff or `increment: false`). */
interface RateLimitStore {
  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    timeWindow: number,
    max: number,
  ): void;
  child(routeOptions: unknown): RateLimitStore;
}

/**
 * The plugin constructs its store itself (`new Store(options)`), so the
 * shared state is bound into a class. Each key counts in a fixed window of
 * the plugin's timeWindow; the window is part of the key so a route with
 * its own window never shares a counter with the global one.
 */
export function sharedRateLimitStore(shared: SharedState): new (options: unknown) => RateLimitStore {
  return class SharedRateLimitStore implements RateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      shared.increment(`rate-limit:${timeWindow}:${key}`, timeWindow).then(
        (counted) => callback(null, { current: counted.count, ttl: counted.resetInMs }),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }

    child(): RateLimitStore {
      return new SharedRateLimitStore();
    }
  };
}
