// Notifications across a restart: the service is closed mid-outbox (alerts
// committed, some not even enqueued yet, none delivered while the receiver
// is down) and the same data directory opened again. Every delivery
// arrives, exactly once after deduplication by Trailproof-Delivery. And a
// tampered log's failed self-check reaches an operator channel, signed.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issueApiKey, openDataDir, provisionTenant } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG, type ServerConfig } from "@trailproof/server";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { sendJson } from "../send-json.js";
import { alertEvent, until, verifySignature, WebhookReceiver } from "./webhook-receiver.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function serve(dataDir: string, overrides: Partial<ServerConfig> = {}) {
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    dataDir,
    checkpointIntervalMs: 0,
    selfCheckIntervalMs: 0,
    notifyPollMs: 50,
    notifyBackoffBaseMs: 40,
    notifyBackoffCapMs: 150,
    notifyMaxAttempts: 50,
    ...overrides,
  };
  const app = await buildApp({ ...data, config, metrics: createMetrics(), logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    await data.ledger.close();
  };
  cleanup.push(close);
  const call = async (method: string, path: string, key: string, body?: unknown) => {
    const res = await sendJson(method, `${base}${path}`, key, body);
    // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely here; their shapes are asserted
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };
  return { data, app, call, close };
}

function receiver(): WebhookReceiver {
  const r = new WebhookReceiver();
  cleanup.push(() => r.stop());
  return r;
}

const APPENDER = { appendedBy: { type: "service", id: "alerts" }, serviceRecord: true } as const;

describe("notifications across a restart", () => {
  it("delivers every alert committed before a restart, exactly once after dedupe", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-notify-"));
    const r = receiver();
    await r.start();
    await r.stop(); // the port is known; connections are refused until it starts again
    const first = await serve(dataDir);
    const { adminKey } = await provisionTenant(first.data.ledger, first.data.access, "acme", { createdBy: "test" });
    const created = await first.call("POST", "/v1/channels", adminKey, { name: "soc", url: r.url });
    const secret = created.json.secret as string;
    const channel = created.json.channel.id as string;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const [res] = await first.data.ledger.append("acme", [alertEvent([channel])], APPENDER);
      ids.push((res as { id: string }).id);
    }
    await until("failed attempts before the restart", async () => {
      const list = (await first.call("GET", "/v1/deliveries", adminKey)).json.deliveries as { attempts: number }[];
      return list.length === 6 && list.every((d) => d.attempts >= 1);
    });
    // More alerts committed just before closing: the follower may not have enqueued them yet.
    for (let i = 0; i < 4; i++) {
      const [res] = await first.data.ledger.append("acme", [alertEvent([channel])], APPENDER);
      ids.push((res as { id: string }).id);
    }
    await first.close();
    expect(r.received).toEqual([]);

    await r.start();
    const second = await serve(dataDir);
    await until("every delivery after the restart", async () => {
      const list = (await second.call("GET", "/v1/deliveries", adminKey)).json.deliveries as { status: string }[];
      return list.length === 10 && list.every((d) => d.status === "delivered");
    });
    const valid = r.received.filter((x) =>
      verifySignature(secret, x.headers["trailproof-signature"] as string, x.body),
    );
    expect(valid).toHaveLength(r.received.length);
    const byDelivery = new Map(
      valid.map((x) => [x.headers["trailproof-delivery"] as string, JSON.parse(x.body).event_id]),
    );
    expect(byDelivery.size).toBe(10);
    expect([...byDelivery.values()].sort()).toEqual([...ids].sort());
  });

  it("sends a tampered log's failed self-check to the operator's channel, signed", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-notify-"));
    const r = receiver();
    await r.start();
    const s = await serve(dataDir, { selfCheckIntervalMs: 300 });
    const operator = await issueApiKey(s.data.access, { tenantId: null, role: "operator", name: "op", createdBy: "t" });
    const { adminKey } = await provisionTenant(s.data.ledger, s.data.access, "acme", { createdBy: "test" });
    const created = await s.call("POST", "/v1/operator/channels", operator.key, { name: "on-call", url: r.url });
    expect(created.status).toBe(201);
    expect((await s.call("GET", "/v1/operator/channels", adminKey)).status).toBe(403);
    expect((await s.call("GET", "/v1/channels", operator.key)).status).toBe(403);
    const listed = await s.call("GET", "/v1/operator/channels", operator.key);
    expect(listed.json.channels).toHaveLength(1);
    expect(JSON.stringify(listed.json)).not.toContain(created.json.secret);
    for (let i = 0; i < 4; i++) {
      await s.data.ledger.append(
        "acme",
        [
          {
            action: "app.update",
            occurred_at: new Date().toISOString(),
            actor: { type: "user", id: "u" },
            target: { type: "app", id: `a${i}` },
          },
        ],
        {},
      );
    }
    await s.data.ledger.publishCheckpoints();
    // Edit a signed leaf behind the service (as test/api/self-check.test.ts does).
    const db = new Database(join(dataDir, "tenants", "acme.db"));
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[]) {
      db.exec(`DROP TRIGGER ${name}`);
    }
    const row = db.prepare("SELECT leaf_data FROM entries WHERE idx = 2").get() as { leaf_data: Buffer };
    db.prepare("UPDATE entries SET leaf_data = ? WHERE idx = 2").run(
      Buffer.from(row.leaf_data.toString("utf8").replace('"action":"', '"action":"x')),
    );
    db.close();
    await until("the operator alert", () => r.received.length >= 1, 15_000);
    const [got] = r.received;
    expect(verifySignature(created.json.secret, got?.headers["trailproof-signature"] as string, got?.body ?? "")).toBe(
      true,
    );
    expect(JSON.parse(got?.body ?? "{}")).toMatchObject({
      type: "operator.alert",
      alert_kind: "self_check_failed",
      tenant: "acme",
      message: expect.stringMatching(/self-check of tenant acme failed/),
    });
    const metrics = await fetch(`http://127.0.0.1:${(s.app.server.address() as { port: number }).port}/metrics`, {
      headers: { authorization: `Bearer ${operator.key}` },
    });
    expect(await metrics.text()).toMatch(/trailproof_operator_alerts_total\{kind="self_check_failed"\} [1-9]/);
  });
});
