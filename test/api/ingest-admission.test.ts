// Admission control over real HTTP (issue 17): a flooding tenant is refused
// early with Retry-After while a trickle from another tenant is admitted,
// every acknowledged event is in the log, and a request over the byte budget
// is answered before its body is sent.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CONFIG, type RunningServer, type ServerConfig, startServer } from "@trailproof/server";
import { afterAll, describe, expect, it } from "vitest";
import { holdDeclaredBody, rawExchange, rawRequest } from "./raw-http.js";

interface Answer {
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  body: { code?: string; results?: { status: string }[] };
}

async function call(url: string, key: string, method: string, body?: unknown): Promise<Answer> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    contentType: res.headers.get("content-type"),
    body: (await res.json()) as Answer["body"],
  };
}

const servers: RunningServer[] = [];

async function start(config: Partial<ServerConfig>): Promise<{ url: string; operatorKey: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-admission-"));
  const server = await startServer(
    { ...DEFAULT_CONFIG, dataDir, port: 0, demo: false, logLevel: "silent", checkpointIntervalMs: 200, ...config },
    () => undefined,
  );
  servers.push(server);
  return { url: server.url, operatorKey: server.created.operatorKey as string };
}

/** A tenant and an ingest key for it. */
async function ingestKeyFor(url: string, operatorKey: string, name: string): Promise<string> {
  const tenant = await call(`${url}/v1/tenants`, operatorKey, "POST", { name });
  const adminKey = (tenant.body as { admin_key: string }).admin_key;
  const key = await call(`${url}/v1/keys`, adminKey, "POST", { role: "ingest", name: "load" });
  return (key.body as { key: string }).key;
}

function batch(tenant: string, n: number, size: number): { events: Record<string, unknown>[] } {
  return {
    events: Array.from({ length: size }, (_, k) => ({
      id: `${tenant}_${n}_${k}`,
      action: "record.update",
      occurred_at: new Date().toISOString(),
      actor: { type: "service_account", id: "svc_load" },
      target: { type: "record", id: `rec_${k}` },
    })),
  };
}

async function metric(url: string, operatorKey: string, line: RegExp): Promise<number> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${operatorKey}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  const text = await res.text();
  const m = text.split("\n").find((l) => line.test(l));
  return m === undefined ? 0 : Number(m.split(" ").at(-1));
}

afterAll(async () => {
  for (const s of servers) await s.close();
});

describe("admission control", () => {
  it("refuses a flooding tenant with Retry-After, admits another tenant's trickle, and loses nothing acknowledged", async () => {
    const { url, operatorKey } = await start({ ingestMaxQueuedEvents: 200 });
    const floodKey = await ingestKeyFor(url, operatorKey, "flood");
    const trickleKey = await ingestKeyFor(url, operatorKey, "trickle");
    // The logs already hold the service's own entries (the tenant and key creations).
    const size = (tenant: string) =>
      metric(url, operatorKey, new RegExp(`^trailproof_tree_size\\{tenant="${tenant}"\\}`));
    const before = { flood: await size("flood"), trickle: await size("trickle") };
    const acked = { flood: 0, trickle: 0 };
    const refusals: Answer[] = [];
    const count = (tenant: "flood" | "trickle", a: Answer) => {
      if (a.status === 200) acked[tenant] += a.body.results?.filter((r) => r.status === "created").length ?? 0;
      else refusals.push(a);
    };
    let sent = 0;
    const flood = async () => {
      for (let wave = 0; wave < 3; wave++) {
        await Promise.all(
          Array.from({ length: 30 }, () =>
            call(`${url}/v1/events`, floodKey, "POST", batch("flood", sent++, 100)).then((a) => count("flood", a)),
          ),
        );
      }
    };
    const trickle = async () => {
      const statuses: number[] = [];
      for (let n = 0; n < 10; n++) {
        const a = await call(`${url}/v1/events`, trickleKey, "POST", batch("trickle", n, 10));
        statuses.push(a.status);
        count("trickle", a);
      }
      return statuses;
    };
    const [, trickleStatuses] = await Promise.all([flood(), trickle()]);

    // The trickle holds less than its share whenever it sends: never refused.
    expect(trickleStatuses).toEqual(Array(10).fill(200));
    expect(acked.trickle).toBe(100);
    // 30 batches of 100 at once against a budget of 200 events in flight: most are refused, early and politely.
    expect(refusals.length).toBeGreaterThan(0);
    for (const r of refusals) {
      expect([429, 503]).toContain(r.status);
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.contentType).toMatch(/^application\/problem\+json/);
      expect(["INGEST_OVERLOADED", "INGEST_TENANT_OVERLOADED"]).toContain(r.body.code);
    }
    expect(acked.flood).toBeGreaterThan(0);
    expect(acked.flood + refusals.length * 100).toBe(9000);
    // Every acknowledged event is in its tenant's log, and nothing refused is.
    expect(await size("flood")).toBe(before.flood + acked.flood);
    expect(await size("trickle")).toBe(before.trickle + 100);
    const counted =
      (await metric(url, operatorKey, /^trailproof_ingest_refusals_total\{reason="tenant_share"\}/)) +
      (await metric(url, operatorKey, /^trailproof_ingest_refusals_total\{reason="queue_full"\}/)) +
      (await metric(url, operatorKey, /^trailproof_ingest_refusals_total\{reason="queue_delay"\}/));
    expect(counted).toBe(refusals.length);
    expect(await metric(url, operatorKey, /^trailproof_ingest_queue_depth /)).toBe(0);
    expect(await metric(url, operatorKey, /^trailproof_ingest_inflight_bytes /)).toBe(0);
    expect(await metric(url, operatorKey, /^trailproof_commit_seconds_count /)).toBeGreaterThan(0);
  }, 60_000);

  it("answers a request over the byte budget before its body is sent, and admits again once the budget frees", async () => {
    const { url, operatorKey } = await start({ ingestMaxInflightBytes: 1000 });
    const key = await ingestKeyFor(url, operatorKey, "bytes");
    const port = Number(new URL(url).port);
    const inflight = () => metric(url, operatorKey, /^trailproof_ingest_inflight_bytes /);
    // A request that declares 900 bytes and sends none of them holds 900 of the 1,000.
    const held = await holdDeclaredBody(port, key, 900);
    await expect.poll(inflight, { timeout: 5000 }).toBe(900);

    // Headers only: the answer comes although the 500 bytes it declares never do.
    const refused = await rawExchange(port, {
      pieces: [
        rawRequest("POST", "/v1/events", {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "content-length": "500",
        }),
      ],
      closeAfterMs: 5000,
    });
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(JSON.parse(refused.body).code).toBe("INGEST_OVERLOADED");
    expect(await metric(url, operatorKey, /^trailproof_ingest_refusals_total\{reason="inflight_bytes"\}/)).toBe(1);

    held.destroy();
    await expect.poll(inflight, { timeout: 5000 }).toBe(0);
    const admitted = await call(`${url}/v1/events`, key, "POST", batch("bytes", 0, 1));
    expect(admitted.status).toBe(200);
  }, 30_000);
});
