// Admission control for platform keys over real HTTP: a platform key has no
// tenant of its own, yet its requests count against the byte budget before
// their bodies are read, with or without X-Trailproof-Tenant, like any
// ingest key's.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG, type RunningServer, startServer } from "@trailproof/server";
import { afterAll, describe, expect, it } from "vitest";
import { validEvent } from "./api-fixture.js";
import { holdDeclaredBody, rawExchange, rawRequest } from "./raw-http.js";

let server: RunningServer | undefined;
afterAll(async () => {
  await server?.close();
});

async function post(url: string, key: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("admission control for a platform key", () => {
  it("answers a request over the byte budget before its body is sent, and admits it once the budget frees", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-platform-admission-"));
    server = await startServer(
      { ...DEFAULT_CONFIG, dataDir, port: 0, demo: false, logLevel: "silent", ingestMaxInflightBytes: 1000 },
      () => undefined,
    );
    const { url } = server;
    const operatorKey = server.created.operatorKey as string;
    expect((await post(`${url}/v1/tenants`, operatorKey, { name: "bytes" })).status).toBe(201);
    const made = await post(`${url}/v1/platform-keys`, operatorKey, { name: "load", tenants: "all" });
    expect(made.status).toBe(201);
    const key = made.body.key as string;
    const port = Number(new URL(url).port);
    const inflight = async () => {
      const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${operatorKey}` } });
      const line = (await res.text()).split("\n").find((l) => l.startsWith("trailproof_ingest_inflight_bytes "));
      return Number(line?.split(" ").at(-1));
    };

    // No tenant header (a compat body would name it): still 900 of the 1,000 bytes held.
    const held = await holdDeclaredBody(port, key, 900);
    await expect.poll(inflight, { timeout: 5000 }).toBe(900);
    const refused = await rawExchange(port, {
      pieces: [
        rawRequest("POST", "/v1/events", {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "content-length": "500",
          "x-trailproof-tenant": "bytes",
        }),
      ],
      closeAfterMs: 5000,
    });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).code).toBe("INGEST_OVERLOADED");

    held.destroy();
    await expect.poll(inflight, { timeout: 5000 }).toBe(0);
    const admitted = await post(`${url}/v1/events`, key, validEvent("bytes_1"), { "x-trailproof-tenant": "bytes" });
    expect(admitted).toMatchObject({ status: 200, body: { results: [{ status: "created" }] } });
  }, 30_000);
});
