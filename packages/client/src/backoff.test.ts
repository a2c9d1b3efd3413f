import { afterEach, describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_BACKOFF, MAX_RETRY_AFTER_MS, parseRetryAfterMs } from "./backoff.js";
import { events } from "./event-builders.js";
import { type IngestServer, startIngestServer } from "./ingest-server.fixture.js";
import { TrailproofClient } from "./trailproof-client.js";

describe("backoffDelayMs", () => {
  it("is full jitter below min(cap, base * 2^attempt)", () => {
    const top = () => 0.999_999;
    expect(backoffDelayMs(0, DEFAULT_BACKOFF, top)).toBe(199);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, top)).toBe(1599);
    expect(backoffDelayMs(20, DEFAULT_BACKOFF, top)).toBe(29_999);
    expect(backoffDelayMs(5000, DEFAULT_BACKOFF, top)).toBe(29_999);
    expect(backoffDelayMs(7, DEFAULT_BACKOFF, () => 0)).toBe(0);
  });
});

describe("parseRetryAfterMs", () => {
  it("reads delay-seconds and HTTP-dates, and ignores garbage", () => {
    expect(parseRetryAfterMs("2", 0)).toBe(2000);
    expect(parseRetryAfterMs("Thu, 01 Jan 1970 00:00:05 GMT", 1000)).toBe(4000);
    expect(parseRetryAfterMs("Thu, 01 Jan 1970 00:00:05 GMT", 9000)).toBe(0);
    expect(parseRetryAfterMs("99999999", 0)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfterMs("soon", 0)).toBeUndefined();
    expect(parseRetryAfterMs("-1", 0)).toBeUndefined();
    expect(parseRetryAfterMs(null, 0)).toBeUndefined();
  });
});

describe("retries against a real HTTP server", () => {
  let server: IngestServer;
  afterEach(async () => {
    await server.close();
  });

  const event = events.recordUpdated({
    actor: { type: "user", id: "usr_ada" },
    target: { type: "record", id: "rec_1" },
    before: { status: "lead" },
    after: { status: "customer" },
  });

  it.each([429, 503])("waits the Retry-After of a %i before the next attempt", async (status) => {
    server = await startIngestServer();
    server.failNext({
      status,
      retryAfter: "1",
      problem: { code: status === 429 ? "RATE_LIMITED" : "INGEST_OVERLOADED" },
    });
    const retries: number[] = [];
    // A huge base would make a jittered wait obvious: Retry-After must be what decides.
    const client = new TrailproofClient({
      url: server.url,
      apiKey: "tpk_test",
      flushIntervalMs: 10,
      backoff: { baseMs: 20_000, capMs: 30_000 },
      onRetry: (_reason, _attempt, delayMs) => retries.push(delayMs),
    });
    const receipt = await client.record(event);
    expect(receipt.status).toBe("created");
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect((second?.atMs ?? 0) - (first?.atMs ?? 0)).toBeGreaterThanOrEqual(950);
    expect(retries).toEqual([1000]);
    expect(client.stats()).toMatchObject({ retries: 1, acknowledged: 1 });
    expect(second?.events).toEqual(first?.events);
    await client.close();
  });

  it("retries 5xx, dropped connections and a service that is not up yet, with jittered backoff", async () => {
    server = await startIngestServer();
    server.failNext({ status: 500 }, { destroy: true }, { status: 502 });
    const client = new TrailproofClient({
      url: server.url,
      apiKey: "tpk_test",
      flushIntervalMs: 10,
      backoff: { baseMs: 40, capMs: 100 },
    });
    const started = Date.now();
    await client.record(event);
    expect(server.requests).toHaveLength(4);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(client.stats()).toMatchObject({ retries: 3, acknowledged: 1, duplicates: 0 });
    await client.close();
  });
});
