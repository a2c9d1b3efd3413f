// Notifications end to end on a real data directory, over real HTTP, with a
// real webhook receiver on 127.0.0.1: channels with secrets shown once and
// problems listed, alert.raise and report.generate entries delivered signed
// (checked with the documented receiver logic), retries while the receiver
// is down or answering 503, dead letters and redrive, Slack payloads. Secrets
// appear in no GET answer, no log entry and no service log line.
import type { DataDir } from "@trailproof/ledger";
import { buildApp, createMetrics, type ServerConfig } from "@trailproof/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture } from "../api/api-fixture.js";
import { sendJson } from "../send-json.js";
import { alertEvent, until, verifySignature, WebhookReceiver } from "./webhook-receiver.js";

const FAST: Partial<ServerConfig> = {
  notifyPollMs: 50,
  notifyBackoffBaseMs: 40,
  notifyBackoffCapMs: 400,
  // Enough that a delivery outlives the receiver's short outage in the retry test (about 1.3 s on average).
  notifyMaxAttempts: 10,
  notifyTimeoutMs: 2000,
  selfCheckIntervalMs: 0,
};

let f: ApiFixture;
let base: string;
const receivers: WebhookReceiver[] = [];
/** Every line the service logged (captured from its stdout). */
const serviceLog: string[] = [];
const realWrite = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.startsWith("{")) serviceLog.push(text);
    return realWrite(chunk, ...rest);
  }) as typeof process.stdout.write;
  f = await buildApiFixture({ acmeEvents: 3, config: FAST });
  // A second app over the same data directory, with its log on (debug), listening for real.
  await f.app.close();
  f.app = await buildApp({ ...f.data, config: f.config, metrics: createMetrics(), logger: { level: "debug" } });
  await f.app.listen({ host: "127.0.0.1", port: 0 });
  const address = f.app.server.address() as { port: number };
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  for (const r of receivers) await r.stop();
  await f?.close();
  process.stdout.write = realWrite;
});
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.stop();
});

async function receiver(status = 204): Promise<WebhookReceiver> {
  const r = new WebhookReceiver();
  r.status = status;
  await r.start();
  receivers.push(r);
  return r;
}

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await sendJson(method, `${base}${path}`, key, body);
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely here; their shapes are asserted
  return { status: res.status, body: text, json: () => JSON.parse(text) as Record<string, any> };
}

async function createChannel(url: string, extra: Record<string, unknown> = {}) {
  const res = await call("POST", "/v1/channels", f.acme.admin, { name: "security team", url, ...extra });
  expect(res.status).toBe(201);
  const { channel, secret } = res.json() as { channel: { id: string }; secret: string };
  return { id: channel.id, secret };
}

async function raise(channelIds: string[], tenant = "acme", data: DataDir = f.data) {
  const [result] = await data.ledger.append(tenant, [alertEvent(channelIds)], {
    appendedBy: { type: "service", id: "alerts" },
    serviceRecord: true,
  });
  expect(result?.status).toBe("created");
  return result as { id: string; index: number };
}

async function deliveries(query = "") {
  const res = await call("GET", `/v1/deliveries${query}`, f.acme.auditor);
  expect(res.status).toBe(200);
  return res.json().deliveries as { id: string; status: string; attempts: number; source_event_id: string }[];
}

describe("notification channels", () => {
  it("lists every problem of a bad channel and changes nothing", async () => {
    const res = await call("POST", "/v1/channels", f.acme.admin, {
      name: "",
      url: "http://example.com/x",
      format: "teams",
    });
    expect(res.status).toBe(400);
    const pointers = new Set((res.json().problems as { pointer: string }[]).map((p) => p.pointer));
    expect([...pointers].sort()).toEqual(["/body/format", "/body/name", "/body/url"]);
    const insecure = await call("POST", "/v1/channels", f.acme.admin, {
      name: "x",
      url: "http://user:pw@example.com/x#f",
    });
    expect(insecure.status).toBe(400);
    expect(insecure.json().code ?? insecure.json().type).toMatch(/CHANNEL_INVALID/);
    expect((insecure.json().problems as { message: string }[]).map((p) => p.message)).toEqual([
      expect.stringMatching(/must use https/),
      expect.stringMatching(/user name or password/),
      expect.stringMatching(/fragment/),
    ]);
    expect((await call("GET", "/v1/channels", f.acme.auditor)).json().channels).toEqual([]);
    expect((await call("GET", "/v1/channels", f.acme.viewer)).status).toBe(403);
    expect((await call("POST", "/v1/channels", f.acme.auditor, { name: "x", url: "https://a.example" })).status).toBe(
      403,
    );
  });

  it("delivers an alert.raise entry signed, once, to each enabled channel the alert names", async () => {
    const r = await receiver();
    const { id, secret } = await createChannel(r.url);
    const off = await createChannel(r.url, { enabled: false });
    const globex = await call("POST", "/v1/channels", f.globex.admin, { name: "g", url: r.url });
    const raised = await raise([id, off.id, globex.json().channel.id]);
    await until("the delivery", () => r.received.length >= 1);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.received).toHaveLength(1);
    const [got] = r.received;
    expect(verifySignature(secret, got?.headers["trailproof-signature"] as string, got?.body ?? "")).toBe(true);
    expect(verifySignature("whsec_wrong", got?.headers["trailproof-signature"] as string, got?.body ?? "")).toBe(false);
    expect(verifySignature(secret, got?.headers["trailproof-signature"] as string, `${got?.body} `)).toBe(false);
    const body = JSON.parse(got?.body ?? "{}");
    expect(body).toMatchObject({
      type: "alert.raise",
      tenant: "acme",
      event_id: raised.id,
      index: raised.index,
      message: "alert rule Denied burst raised an alert",
      delivery_id: got?.headers["trailproof-delivery"],
      alert: { rule_id: "rul_denied", rule_name: "Denied burst", rule_version: 3, severity: "high", matched_count: 2 },
    });
    expect(body).not.toHaveProperty("actor");
    expect(got?.headers["trailproof-event"]).toBe("alert.raise");
    await until("the delivery recorded", async () => (await deliveries())[0]?.status === "delivered");
    const [d] = await deliveries(`?channel=${id}`);
    const detail = (await call("GET", `/v1/deliveries/${d?.id}`, f.acme.auditor)).json();
    expect(detail.delivery).toMatchObject({ status: "delivered", attempts: 1, source_event_id: raised.id });
    expect(detail.attempts).toEqual([expect.objectContaining({ attempt: 1, http_status: 204, error: null })]);
    expect((await call("GET", `/v1/deliveries/${d?.id}`, f.globex.auditor)).status).toBe(404);
  });

  it("retries while the receiver refuses connections and answers 503, then delivers everything once", async () => {
    const r = await receiver();
    const { id, secret } = await createChannel(r.url);
    await r.stop();
    const raised = [await raise([id]), await raise([id]), await raise([id])];
    await until("failed attempts", async () => (await deliveries(`?channel=${id}`)).every((d) => d.attempts >= 1));
    await r.start();
    r.status = 503;
    await until("a 503", () => r.received.length >= 1);
    r.status = 204;
    await until("every delivery", async () =>
      (await deliveries(`?channel=${id}`)).every((d) => d.status === "delivered"),
    );
    const delivered = r.received.filter((x) =>
      verifySignature(secret, x.headers["trailproof-signature"] as string, x.body),
    );
    expect(delivered.length).toBe(r.received.length);
    expect(new Set(delivered.map((x) => JSON.parse(x.body).event_id))).toEqual(new Set(raised.map((e) => e.id)));
    const [one] = await deliveries(`?channel=${id}`);
    const attempts = (await call("GET", `/v1/deliveries/${one?.id}`, f.acme.auditor)).json().attempts as {
      http_status: number | null;
      error: string | null;
      at: string;
    }[];
    expect(attempts[0]).toMatchObject({ http_status: null, error: expect.stringMatching(/ECONNREFUSED/) });
    expect(attempts.at(-1)).toMatchObject({ http_status: 204, error: null });
    expect(attempts.map((a) => a.at)).toEqual([...attempts.map((a) => a.at)].sort());
  });

  it("makes a dead letter after the last attempt, and a redrive delivers it", async () => {
    const r = await receiver(500);
    const { id } = await createChannel(r.url, { format: "slack" });
    await raise([id]);
    await until("the dead letter", async () => (await deliveries(`?status=dead&channel=${id}`)).length === 1);
    expect(r.received).toHaveLength(10);
    const [dead] = await deliveries(`?status=dead&channel=${id}`);
    expect(dead?.attempts).toBe(10);
    expect((await call("POST", `/v1/deliveries/${dead?.id}/redrive`, f.acme.auditor)).status).toBe(403);
    r.status = 200;
    const redriven = await call("POST", `/v1/deliveries/${dead?.id}/redrive`, f.acme.admin);
    expect(redriven.status).toBe(200);
    await until("the redriven delivery", async () =>
      (await deliveries()).some((d) => d.id === dead?.id && d.status === "delivered"),
    );
    const again = await call("POST", `/v1/deliveries/${dead?.id}/redrive`, f.acme.admin);
    expect(again.status).toBe(409);
    const slack = JSON.parse(r.received.at(-1)?.body ?? "{}");
    expect(slack.text).toMatch(/Alert \(high\): Denied burst/);
    expect(slack.blocks[0]).toMatchObject({ type: "header" });
    const redrives = await call("GET", "/v1/events?action=delivery.redrive", f.acme.auditor);
    expect(redrives.json().events).toHaveLength(1);
  });

  it("rotates a secret (the new one signs), disables, tests and deletes, each change in the log", async () => {
    const r = await receiver();
    const { id, secret } = await createChannel(r.url);
    const rotated = await call("POST", `/v1/channels/${id}/rotate-secret`, f.acme.admin);
    expect(rotated.status).toBe(200);
    const fresh = rotated.json().secret as string;
    expect(fresh).not.toBe(secret);
    const tested = await call("POST", `/v1/channels/${id}/test`, f.acme.admin);
    expect(tested.json()).toMatchObject({ delivered: true, http_status: 204 });
    const last = r.received.at(-1);
    expect(last?.headers["trailproof-delivery"]).toBe(tested.json().delivery_id);
    expect(verifySignature(fresh, last?.headers["trailproof-signature"] as string, last?.body ?? "")).toBe(true);
    expect(verifySignature(secret, last?.headers["trailproof-signature"] as string, last?.body ?? "")).toBe(false);
    const patched = await call("PATCH", `/v1/channels/${id}`, f.acme.admin, { enabled: false });
    expect(patched.json().channel.enabled).toBe(false);
    expect((await call("PATCH", `/v1/channels/${id}`, f.acme.admin, { url: "ftp://x" })).status).toBe(400);
    expect((await call("DELETE", `/v1/channels/${id}`, f.acme.admin)).status).toBe(200);
    expect((await call("GET", `/v1/channels/${id}`, f.acme.admin)).status).toBe(404);
    await f.settled();
    const events = (await call("GET", "/v1/events?action=channel.*&limit=100", f.acme.auditor)).json().events as {
      event: { action: string; target: { id: string }; change?: { after?: { url_origin?: string } } };
    }[];
    const mine = events.filter((e) => e.event.target.id === id).map((e) => e.event.action);
    expect(mine.sort()).toEqual(["channel.create", "channel.delete", "channel.rotate_secret", "channel.update"]);
  });

  it("never shows a secret again: not in GET answers, the log's entries, or the service log", async () => {
    const r = await receiver();
    const { id, secret } = await createChannel(r.url);
    const rotated = (await call("POST", `/v1/channels/${id}/rotate-secret`, f.acme.admin)).json().secret as string;
    await raise([id]);
    await until("a delivery", () => r.received.length >= 1);
    const answers = [
      (await call("GET", "/v1/channels", f.acme.admin)).body,
      (await call("GET", `/v1/channels/${id}`, f.acme.admin)).body,
      (await call("GET", "/v1/deliveries", f.acme.admin)).body,
    ];
    for (const s of [secret, rotated]) {
      for (const a of answers) expect(a).not.toContain(s);
      expect(serviceLog.join("\n")).not.toContain(s);
    }
    expect(serviceLog.length).toBeGreaterThan(0);
    const size = await f.data.ledger.treeSize("acme");
    const leaves = await f.data.ledger.store.readEntries(
      (await f.data.ledger.listTenants()).find((t) => t.name === "acme")?.tenantId as number,
      0,
      size,
    );
    const text = leaves.map((e) => Buffer.from(e.leafData).toString("utf8")).join("\n");
    expect(text).toContain("channel.rotate_secret");
    expect(text).not.toContain("whsec_");
  });

  it("delivers a report.generate entry with the report's summary and the path to fetch it", async () => {
    const r = await receiver();
    const { id, secret } = await createChannel(r.url, { name: "auditors" });
    const [appended] = await f.data.ledger.append(
      "acme",
      [
        {
          action: "report.generate",
          occurred_at: new Date().toISOString(),
          actor: { type: "system", id: "reports" },
          target: { type: "report", id: "rpt_q3" },
          metadata: {
            report_id: "rpt_q3",
            name: "Access changes Q3",
            period_from: "2026-07-01T00:00:00Z",
            period_to: "2026-10-01T00:00:00Z",
            checkpoint_size: 120,
            violations: 2,
            channel_ids: [id],
          },
        },
      ],
      { appendedBy: { type: "service", id: "reports" }, serviceRecord: true },
    );
    expect(appended, JSON.stringify(appended)).toMatchObject({ status: "created" });
    await until("the report's delivery", () => r.received.length >= 1);
    const got = r.received[0];
    expect(verifySignature(secret, got?.headers["trailproof-signature"] as string, got?.body ?? "")).toBe(true);
    expect(got?.headers["trailproof-event"]).toBe("report.generate");
    expect(JSON.parse(got?.body ?? "{}")).toMatchObject({
      type: "report.generate",
      tenant: "acme",
      report: {
        report_id: "rpt_q3",
        name: "Access changes Q3",
        violations: 2,
        checkpoint_size: 120,
        path: "/v1/reports/rpt_q3",
      },
    });
    expect((await call("PATCH", "/v1/settings", f.acme.admin, { unknown_actions: "reject" })).status).toBe(200);
  });

  it("shows outbox depth, the oldest pending age and deliveries by result in /metrics", async () => {
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${f.operator}` } });
    const text = await res.text();
    expect(text).toMatch(/trailproof_notification_deliveries_total\{result="delivered"\} [1-9]/);
    expect(text).toMatch(/trailproof_notification_deliveries_total\{result="dead"\} [1-9]/);
    expect(text).toMatch(/trailproof_notification_outbox\{status="pending"\} \d+/);
    expect(text).toMatch(/trailproof_notification_oldest_pending_seconds \d/);
  });
});
