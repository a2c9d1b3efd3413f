// Keep-alive connections over real HTTP: the bench's agents close an idle
// connection before the server's announced timeout, so none is reused just as
// the server closes it (the soak's `read ECONNRESET`); and an ingest request
// refused before its body is read leaves the connection usable, for Node's
// agent and for fetch alike.
import { mkdtempSync } from "node:fs";
import { Agent } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG, type RunningServer, type ServerConfig, startServer } from "@trailproof/server";
import { afterAll, describe, expect, it } from "vitest";
import { httpCall } from "../../bench/http-load.js";
import { holdDeclaredBody } from "./raw-http.js";

interface Connection {
  /** Who closed it: the client (its FIN came first) or the server (its keep-alive timer). */
  closedBy: Promise<{ by: "client" | "server"; atMs: number }>;
}

const servers: RunningServer[] = [];

afterAll(async () => {
  for (const s of servers) await s.close();
});

/** A server whose every connection is watched, from `connections()` on. */
async function start(config: Partial<ServerConfig>) {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-keep-alive-"));
  const server = await startServer(
    { ...DEFAULT_CONFIG, dataDir, port: 0, demo: false, logLevel: "silent", ...config },
    () => undefined,
  );
  servers.push(server);
  const opened: Connection[] = [];
  server.app.server.on("connection", (socket: Socket) => {
    let clientEnded = false;
    socket.once("end", () => {
      clientEnded = true;
    });
    opened.push({
      closedBy: new Promise((resolve) =>
        socket.once("close", () => resolve({ by: clientEnded ? "client" : "server", atMs: performance.now() })),
      ),
    });
  });
  const url = server.url;
  const operatorKey = server.created.operatorKey as string;
  const post = async (path: string, key: string, body: unknown) => {
    const agent = new Agent();
    const res = await httpCall(agent, `${url}${path}`, { method: "POST", key, body: JSON.stringify(body) });
    agent.destroy();
    return JSON.parse(res.body) as Record<string, string>;
  };
  const tenant = await post("/v1/tenants", operatorKey, { name: "keepalive" });
  const created = await post("/v1/keys", tenant.admin_key as string, { role: "ingest", name: "load" });
  return { url, key: created.key as string, opened };
}

function batch(tag: string, size: number): string {
  return JSON.stringify({
    events: Array.from({ length: size }, (_, k) => ({
      id: `${tag}_${k}`,
      action: "record.update",
      occurred_at: new Date().toISOString(),
      actor: { type: "service_account", id: "svc_load" },
      target: { type: "record", id: `rec_${k}` },
      metadata: { note: "x".repeat(200) },
    })),
  });
}

describe("an idle keep-alive connection", () => {
  it("is closed by a bench agent before the server's announced timeout, then a new one carries the next request", async () => {
    // Announced as `Keep-Alive: timeout=2`; Node's server closes an idle connection a second later, at 3 s.
    const { url, key, opened } = await start({ keepAliveTimeoutMs: 2000 });
    const before = opened.length;
    // Built as the open-loop schedule builds its agent: keep-alive, no timeout of its own.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await httpCall(agent, `${url}/v1/events`, { method: "POST", key, body: batch("ka_first", 1) });
      const answeredAt = performance.now();
      expect(first.status).toBe(200);
      expect(opened.length).toBe(before + 1);
      const connection = opened[before] as Connection;

      const closed = await connection.closedBy;
      // Left pooled, the socket would be closed by the server at 3 s, the moment a request can meet a reset.
      expect(closed.by).toBe("client");
      expect(closed.atMs - answeredAt).toBeLessThan(2000);

      const second = await httpCall(agent, `${url}/v1/events`, { method: "POST", key, body: batch("ka_second", 1) });
      expect(second.status).toBe(200);
      expect(opened.length).toBe(before + 2);
    } finally {
      agent.destroy();
    }
  }, 15_000);
});

describe("an ingest request refused before its body is read", () => {
  it("is answered 503 with Retry-After on a connection that carries the next request, over Node's agent and fetch", async () => {
    const { url, key, opened } = await start({ ingestMaxInflightBytes: 1000 });
    const body = batch("refused", 400);
    expect(Buffer.byteLength(body)).toBeGreaterThan(100_000);
    // A request that declares 900 bytes and sends none holds the budget, so the next big one is refused at the door.
    const held = await holdDeclaredBody(Number(new URL(url).port), key, 900);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ingest = async (sent: string) =>
      (await httpCall(agent, `${url}/v1/events`, { method: "POST", key, body: sent })).status;
    const init = { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } };
    try {
      await expect.poll(() => opened.length, { timeout: 5000 }).toBeGreaterThan(0);
      const beforeAgent = opened.length;
      // Node's agent: the refusal arrives while the body is still being sent; Node reads and drops the rest.
      await expect.poll(() => ingest(body), { timeout: 5000 }).toBe(503);
      const refused = await httpCall(agent, `${url}/v1/events`, { method: "POST", key, body });
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBe("1");
      // fetch (undici, as the SDK sends): refused the same way, then its connection is reused too.
      const beforeFetch = opened.length;
      const fetched = await fetch(`${url}/v1/events`, { ...init, body });
      expect(fetched.status).toBe(503);
      await fetched.arrayBuffer();

      held.destroy();
      await expect.poll(() => ingest(batch("after_agent", 1)), { timeout: 5000 }).toBe(200);
      const afterFetch = await fetch(`${url}/v1/events`, { ...init, body: batch("after_fetch", 1) });
      expect(afterFetch.status).toBe(200);
      await afterFetch.arrayBuffer();
      // One connection for all of Node's agent's requests, one for fetch's: none was closed under a request.
      expect(beforeFetch - beforeAgent).toBe(1);
      expect(opened.length - beforeFetch).toBe(1);
    } finally {
      agent.destroy();
      held.destroy();
    }
  }, 20_000);
});
