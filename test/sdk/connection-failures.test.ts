// The SDK and `trailproof simulate` when the service cannot be reached or
// refuses the key (issue 11): the caller sees DELIVERY_CONNECTION_FAILED or
// DELIVERY_UNAUTHORISED within seconds, and a refused key stops sending at once.
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { createServer, request } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DeliveryError, events, TrailproofClient } from "@trailproof/client";
import { FileSpool } from "@trailproof/client/node";
import { hasErrorCode } from "@trailproof/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trailproof } from "../run-cli.js";
import { type SdkServer, startSdkServer } from "./sdk-server.js";

let s: SdkServer;
beforeAll(async () => {
  s = await startSdkServer("refusals");
}, 30_000);
afterAll(async () => {
  await s?.stop();
});

/** http://127.0.0.1:<port> where nothing listens (a port just freed). */
async function closedUrl(): Promise<string> {
  const server = createNetServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return `http://127.0.0.1:${port}`;
}

/** A forwarding proxy in front of the service that counts POST /v1/events requests. */
async function countingProxy(target: string): Promise<{ url: string; posts: () => number; close: () => void }> {
  let posts = 0;
  const server = createServer((req, res) => {
    if (req.method === "POST" && req.url === "/v1/events") posts++;
    const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, posts: () => posts, close: () => server.close() };
}

/** A fetch over the real network that counts the requests the client makes. */
function countingFetch(): { fetch: typeof globalThis.fetch; count: () => number } {
  let n = 0;
  return {
    fetch: (input, init) => {
      n++;
      return globalThis.fetch(input, init);
    },
    count: () => n,
  };
}

const update = (i: number) =>
  events.recordUpdated({
    actor: { type: "user", id: "usr_ada" },
    target: { type: "record", id: `rec_${i}` },
    before: { n: i },
    after: { n: i + 1 },
  });

describe("the SDK when the service cannot be reached", () => {
  it("hands DELIVERY_CONNECTION_FAILED with the URL to onError once, keeps the events and retries", async () => {
    const url = await closedUrl();
    const errors: DeliveryError[] = [];
    const retries: string[] = [];
    const client = new TrailproofClient({
      url,
      apiKey: s.ingestKey,
      flushIntervalMs: 10,
      backoff: { baseMs: 10, capMs: 50 },
      onError: (e) => errors.push(e),
      onRetry: (reason) => retries.push(reason),
    });
    const started = Date.now();
    const receipt = client.record(update(1));
    let thrown: unknown;
    try {
      await client.flush({ timeoutMs: 1500 });
    } catch (err) {
      thrown = err;
    }
    expect(hasErrorCode(thrown, "CLIENT_FLUSH_TIMEOUT")).toBe(true);
    expect(hasErrorCode((thrown as Error).cause, "DELIVERY_CONNECTION_FAILED")).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    // Reported once for the outage, though it was retried many times.
    expect(retries.length).toBeGreaterThan(3);
    expect(errors.map((e) => e.code)).toEqual(["DELIVERY_CONNECTION_FAILED"]);
    expect(errors[0]?.url).toBe(url);
    expect(errors[0]?.message).toContain(`cannot connect to ${url}`);
    expect(errors[0]?.events).toEqual([]);
    expect(client.stats()).toMatchObject({ pending: 1, spooled: 1, rejected: 0 });
    await client.close({ timeoutMs: 0 });
    await expect(receipt).rejects.toMatchObject({ code: "DELIVERY_ABANDONED" });
  });
});

describe("the SDK with a key the service refuses", () => {
  it("hands every event to onError once as DELIVERY_UNAUTHORISED after one request, and sends nothing more", async () => {
    const net = countingFetch();
    const errors: DeliveryError[] = [];
    const client = new TrailproofClient({
      url: s.url,
      apiKey: "tpk_not_a_real_key",
      batchSize: 100,
      flushIntervalMs: 10,
      fetch: net.fetch,
      onError: (e) => errors.push(e),
    });
    const receipts = Array.from({ length: 250 }, (_, i) => client.record(update(i)));
    await client.flush({ timeoutMs: 5000 });
    expect(net.count()).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "DELIVERY_UNAUTHORISED", status: 401, url: s.url });
    expect(errors[0]?.events.map((e) => e.id)).toEqual(receipts.map((r) => r.id));
    await expect(receipts[249]).rejects.toMatchObject({ code: "DELIVERY_UNAUTHORISED" });
    expect(client.stats()).toMatchObject({ rejected: 250, pending: 0, acknowledged: 0 });

    // A bad key never heals: later events are refused at once, without a request.
    let thrown: unknown;
    try {
      client.record(update(999));
    } catch (err) {
      thrown = err;
    }
    expect(hasErrorCode(thrown, "DELIVERY_UNAUTHORISED")).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(net.count()).toBe(1);
    await client.close();
  });

  it("says DELIVERY_UNAUTHORISED with 403 for a key that may not append", async () => {
    const errors: DeliveryError[] = [];
    const client = new TrailproofClient({
      url: s.url,
      apiKey: s.auditorKey,
      flushIntervalMs: 10,
      onError: (e) => errors.push(e),
    });
    const receipt = client.record(update(1));
    await expect(receipt).rejects.toMatchObject({ code: "DELIVERY_UNAUTHORISED", status: 403 });
    expect(errors.map((e) => e.code)).toEqual(["DELIVERY_UNAUTHORISED"]);
    await client.close();
  });

  it("leaves a FileSpool's events for a client with a valid key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trailproof-refused-"));
    const bad = new TrailproofClient({
      url: s.url,
      apiKey: "tpk_not_a_real_key",
      flushIntervalMs: 10,
      spool: new FileSpool({ dir }),
      onError: () => undefined,
    });
    const refused = [bad.record(update(1)), bad.record(update(2))];
    await expect(refused[1]).rejects.toMatchObject({ code: "DELIVERY_UNAUTHORISED" });
    await bad.close();

    const good = new TrailproofClient({
      url: s.url,
      apiKey: s.ingestKey,
      flushIntervalMs: 10,
      spool: new FileSpool({ dir }),
    });
    await good.flush({ timeoutMs: 10_000 });
    expect(good.stats()).toMatchObject({ recovered: 2, acknowledged: 2, rejected: 0 });
    const stored = await s.get(`/v1/events/${refused[0]?.id}`);
    expect(stored.status).toBe(200);
    await good.close();
  });
});

describe("trailproof simulate", () => {
  it("exits 2 with one line when nothing listens at --url", async () => {
    const url = await closedUrl();
    const started = Date.now();
    const out = await trailproof(["simulate", "--url", url, "--key", s.ingestKey, "--days", "1"]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(out.code).toBe(2);
    const lines = out.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot connect to ${url}: `);
  });

  it("exits 2 with one line when the key is refused, after at most one batch", async () => {
    const proxy = await countingProxy(s.url);
    try {
      const started = Date.now();
      const out = await trailproof(["simulate", "--url", proxy.url, "--key", "tpk_not_a_real_key", "--days", "2"]);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(out.code).toBe(2);
      const lines = out.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("the key was refused (401): ");
      expect(proxy.posts()).toBeLessThanOrEqual(1);
    } finally {
      proxy.close();
    }
  });
});
