// The closed-loop maximum the soak and overload benches scale their offered
// rate from: batches of 100 from 8 keep-alive clients, each sending its next
// request once the last is acknowledged, after a 2 s warm-up and once the
// search projection has caught up with it (as bench/http-ingest.ts measures).
import { ingestBodies, waitForFollowers } from "./http-ingest.js";
import { type LoadResult, runLoad } from "./http-load.js";
import type { ServerChild } from "./server-child.js";
import { progress } from "./stats.js";

export const MAX_CLIENTS = 8;
export const MAX_BATCH = 100;

/**
 * The rate is of events acknowledged and projected for search, over the
 * load and the projection's catch-up after it. It counts acknowledged events only: requests refused (a service with
 * admission control answers 503 to 8 eager clients) or failed count in
 * `errors` and are reported. Throws when nothing was acknowledged.
 */
export async function measureClosedLoopMax(
  server: ServerChild,
  key: string,
  seconds: number,
  tag: string,
): Promise<LoadResult> {
  const load = (t: string, s: number) =>
    runLoad({
      url: `${server.url}/v1/events`,
      key,
      clients: MAX_CLIENTS,
      durationMs: s * 1000,
      maxRequests: Number.MAX_SAFE_INTEGER,
      eventsPerRequest: MAX_BATCH,
      body: ingestBodies(MAX_BATCH, t),
    });
  await load(`${tag}w`, 2);
  await waitForFollowers(server);
  const max = await load(`${tag}m`, seconds);
  if (max.eventsPerSecond === 0) {
    throw new Error(`measuring the closed-loop maximum failed: ${max.errors} errors, first: ${max.firstError}`);
  }
  if (max.errors > 0) {
    progress(`  ${max.errors} of ${max.requests} requests not acknowledged, first: ${max.firstError?.slice(0, 200)}`);
  }
  const started = performance.now();
  await waitForFollowers(server);
  const catchUpSeconds = (performance.now() - started) / 1000;
  // What the service sustains is what it makes durable and searchable: the
  // projection's catch-up after the load is part of the time. Acknowledged
  // alone, a short run counts the projection's deficit as capacity, and a
  // soak at 80% of that falls behind.
  progress(
    `  ${max.eventsPerSecond} events/s acknowledged; the projection caught up ${catchUpSeconds.toFixed(1)} s later`,
  );
  return { ...max, eventsPerSecond: Math.round(max.events / (max.seconds + catchUpSeconds)) };
}
