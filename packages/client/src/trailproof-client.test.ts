import { hasErrorCode } from "@trailproof/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DeliveryError } from "./errors.js";
import { events } from "./event-builders.js";
import type { EventDraft } from "./event-draft.js";
import { deadUrl, type IngestServer, startIngestServer } from "./ingest-server.fixture.js";
import { TrailproofClient } from "./trailproof-client.js";

let server: IngestServer;
const clients: TrailproofClient[] = [];

beforeEach(async () => {
  server = await startIngestServer();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ timeoutMs: 1000 })));
  await server.close();
});

function client(options: Partial<ConstructorParameters<typeof TrailproofClient>[0]> = {}): TrailproofClient {
  const c = new TrailproofClient({
    url: server.url,
    apiKey: "tpk_test",
    backoff: { baseMs: 10, capMs: 50 },
    ...options,
  });
  clients.push(c);
  return c;
}

const page = (n: number): EventDraft =>
  events.pageUpdated({
    actor: { type: "user", id: "usr_ada" },
    target: { type: "page", id: `page_${n}` },
    before: { layout: "grid" },
    after: { layout: "stack" },
  });

describe("TrailproofClient batching", () => {
  it("sends a batch as soon as batchSize events are spooled, and the rest on flush()", async () => {
    const c = client({ batchSize: 10, flushIntervalMs: 60_000 });
    const receipts = Array.from({ length: 25 }, (_, i) => c.record(page(i)));
    await Promise.all(receipts.slice(0, 20));
    expect(server.requests.map((r) => r.events.length)).toEqual([10, 10]);
    await c.flush();
    expect(server.requests.map((r) => r.events.length)).toEqual([10, 10, 5]);
    const all = await Promise.all(receipts);
    expect(all.map((r) => r.index)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(c.stats()).toMatchObject({ recorded: 25, acknowledged: 25, pending: 0, spooled: 0, rejected: 0 });
  });

  it("sends a partial batch once its oldest event waited flushIntervalMs", async () => {
    const c = client({ batchSize: 100, flushIntervalMs: 150 });
    const started = Date.now();
    const receipts = [c.record(page(1)), c.record(page(2)), c.record(page(3))];
    const [first] = await Promise.all(receipts);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.events).toHaveLength(3);
    expect(first).toMatchObject({ status: "created", index: 0 });
  });

  it("assigns a UUIDv7 id, fills occurred_at, and gets the original receipt back for a re-sent id", async () => {
    const c = client({ flushIntervalMs: 10 });
    const first = c.record(page(1));
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const receipt = await first;
    const sent = server.sealed.get(first.id)?.event as { occurred_at: string; id: string };
    const again = await c.record({ ...page(1), id: first.id, occurred_at: sent.occurred_at });
    expect(again).toEqual({ ...receipt, status: "duplicate", receivedAt: again.receivedAt });
    expect(c.stats()).toMatchObject({ acknowledged: 2, duplicates: 1 });
  });

  it("halves a batch the service finds too large", async () => {
    const c = client({ batchSize: 8, flushIntervalMs: 60_000 });
    server.failNext({ status: 413, problem: { code: "BATCH_TOO_LARGE" } });
    const receipts = Array.from({ length: 8 }, (_, i) => c.record(page(i)));
    await Promise.all(receipts);
    expect(server.requests.map((r) => r.events.length)).toEqual([8, 4, 4]);
  });
});

describe("TrailproofClient failures", () => {
  it("throws EVENT_INVALID synchronously with every problem, and spools nothing", () => {
    const c = client();
    let thrown: unknown;
    try {
      c.record({
        action: "app.page.update",
        target: { type: "Page!", id: "" },
        colour: "red",
      } as unknown as EventDraft);
    } catch (err) {
      thrown = err;
    }
    expect(hasErrorCode(thrown, "EVENT_INVALID")).toBe(true);
    const pointers = (thrown as { problems: { pointer: string }[] }).problems.map((p) => p.pointer);
    expect(pointers).toEqual(expect.arrayContaining(["/colour", "/target/type", "/target/id", "/actor"]));
    expect(c.stats()).toMatchObject({ recorded: 0, spooled: 0 });
  });

  it("throws EVENT_INVALID from recordChange for a state that is not JSON, naming where", () => {
    const c = client();
    let thrown: unknown;
    try {
      c.recordChange({
        action: "record.update",
        actor: { type: "user", id: "u" },
        target: { type: "record", id: "r" },
        after: { due: new Date() } as never,
      });
    } catch (err) {
      thrown = err;
    }
    expect(hasErrorCode(thrown, "EVENT_INVALID")).toBe(true);
    expect((thrown as { problems: { pointer: string }[] }).problems[0]?.pointer).toBe("/change/after/due");
  });

  it("never retries a 4xx other than 429: the events go to onError and the receipts reject", async () => {
    const errors: DeliveryError[] = [];
    const c = client({ flushIntervalMs: 10, onError: (e) => errors.push(e) });
    server.failNext({ status: 400, problem: { code: "REQUEST_INVALID" } });
    const receipts = [c.record(page(1)), c.record(page(2))];
    await c.flush();
    expect(server.requests).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.code).toBe("DELIVERY_REJECTED");
    expect(errors[0]?.status).toBe(400);
    expect(errors[0]?.problem?.code).toBe("REQUEST_INVALID");
    expect(errors[0]?.events.map((e) => e.id)).toEqual(receipts.map((r) => r.id));
    await expect(receipts[0]).rejects.toMatchObject({ code: "DELIVERY_REJECTED" });
    expect(c.stats()).toMatchObject({ rejected: 2, acknowledged: 0, pending: 0, spooled: 0 });
  });

  it("hands an event the service rejects to onError with the service's problems", async () => {
    const errors: DeliveryError[] = [];
    const c = client({ flushIntervalMs: 10, onError: (e) => errors.push(e) });
    server.rejectWhen((e) => (e.target as { id: string }).id === "page_2");
    const [ok, bad] = [c.record(page(1)), c.record(page(2))];
    await expect(ok).resolves.toMatchObject({ status: "created" });
    await expect(bad).rejects.toMatchObject({ code: "DELIVERY_REJECTED" });
    expect(errors.map((e) => [e.events[0]?.id, e.problems[0]?.pointer])).toEqual([[bad.id, "/action"]]);
  });

  it("gives up after maxRetries and says so through onError", async () => {
    const errors: DeliveryError[] = [];
    const c = client({ flushIntervalMs: 10, maxRetries: 2, onError: (e) => errors.push(e) });
    server.failNext({ status: 500 }, { status: 502 }, { status: 503 });
    const receipt = c.record(page(1));
    await expect(receipt).rejects.toMatchObject({ code: "DELIVERY_GAVE_UP" });
    expect(server.requests).toHaveLength(3);
    expect(errors[0]?.code).toBe("DELIVERY_GAVE_UP");
    expect(c.stats()).toMatchObject({ retries: 2, rejected: 1 });
  });

  it("refuses records after close(), and abandons in-memory events to onError when close times out", async () => {
    const errors: DeliveryError[] = [];
    const c = new TrailproofClient({ url: await deadUrl(), apiKey: "tpk_test", onError: (e) => errors.push(e) });
    const receipt = c.record(page(1));
    await c.close({ timeoutMs: 100 });
    await expect(receipt).rejects.toMatchObject({ code: "DELIVERY_ABANDONED" });
    // The outage was told first, with no events (they were still being retried), then the abandonment.
    expect(errors.map((e) => [e.code, e.events.length])).toEqual([
      ["DELIVERY_CONNECTION_FAILED", 0],
      ["DELIVERY_ABANDONED", 1],
    ]);
    expect(() => c.record(page(2))).toThrow(expect.objectContaining({ code: "CLIENT_CLOSED" }));
  });

  it("refuses bad options with CLIENT_OPTIONS_INVALID", () => {
    expect(() => new TrailproofClient({ url: "not a url", apiKey: "k" })).toThrow(
      expect.objectContaining({ code: "CLIENT_OPTIONS_INVALID" }),
    );
    expect(() => new TrailproofClient({ url: server.url, apiKey: "k", batchSize: 5000 })).toThrow(
      expect.objectContaining({ code: "CLIENT_OPTIONS_INVALID" }),
    );
  });
});
