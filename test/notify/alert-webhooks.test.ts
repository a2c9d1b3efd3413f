// Alert rules to a webhook, end to end: events through POST /v1/events, the
// rule follower raising alerts, the notification follower and worker
// delivering them signed to a real receiver that is down at first, and the
// service restarted mid-stream. Every alert reaches the receiver (once after
// deduplication by Trailproof-Delivery) and stands once in the log.
import { afterEach, describe, expect, it } from "vitest";
import { type AlertServer, raisedIds, startAlertServer } from "../api/alerts-fixture.js";
import { until, verifySignature, WebhookReceiver } from "./webhook-receiver.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const NOTIFY = { notifyPollMs: 50, notifyBackoffBaseMs: 40, notifyBackoffCapMs: 200, notifyMaxAttempts: 100 };

async function serve(options: Parameters<typeof startAlertServer>[0] = {}): Promise<AlertServer> {
  const s = await startAlertServer({ ...options, config: NOTIFY });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await s.close();
  };
  cleanup.push(close);
  return { ...s, close };
}

const denied = (actor: string, at: number) => ({
  action: "permission.grant",
  occurred_at: new Date(at).toISOString(),
  actor: { type: "user", id: actor },
  target: { type: "role", id: "admin" },
  outcome: { status: "denied" },
});

describe("alerts delivered to a webhook", () => {
  it("delivers every alert signed after the receiver was down and the service restarted, none twice in the log", async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    cleanup.push(() => receiver.stop());
    const first = await serve();
    const { keys, clock, dataDir } = first;
    const channel = await first.call("POST", "/v1/channels", keys.admin, { name: "security", url: receiver.url });
    expect(channel.status).toBe(201);
    const { secret } = channel.body as { secret: string };
    const channelId = channel.body.channel.id as string;
    const rule = await first.call("POST", "/v1/rules", keys.admin, {
      name: "denied permission changes",
      severity: "high",
      condition: {
        type: "threshold",
        query: "outcome:denied action:permission.*",
        count: 3,
        window_seconds: 300,
        group_by: ["actor"],
      },
      channels: [channelId],
    });
    expect(rule.status).toBe(201);

    // The receiver is down: connections are refused while the first alert is raised and retried.
    await receiver.stop();
    const t = clock.ms;
    await first.ingest([denied("usr_eve", t), denied("usr_eve", t + 1000), denied("usr_eve", t + 2000)]);
    await first.ingest([denied("usr_bob", t + 3000), denied("usr_bob", t + 4000)]);
    await first.settled();
    await until("the first delivery's failed attempts", async () => {
      const res = await first.call("GET", "/v1/deliveries?status=pending", keys.auditor);
      return (res.body.deliveries as { attempts: number }[]).some((d) => d.attempts >= 2);
    });
    // Stopped mid-stream: Bob's window is open, Eve's alert undelivered.
    await first.close();

    const second = await serve({ dataDir, keys, clock });
    await second.ingest([denied("usr_bob", t + 5000)]);
    await second.settled();
    await receiver.start();
    await until("both alerts at the receiver", () => receiver.deliveryIds().size >= 2);

    const log = await second.log();
    const raised = raisedIds(log);
    expect(raised).toHaveLength(2);
    expect(new Set(raised).size).toBe(2);
    const alerts = await second.call("GET", "/v1/alerts", keys.auditor);
    expect((alerts.body.alerts as { id: string }[]).map((a) => a.id).sort()).toEqual(
      log
        .filter((e) => e.action === "alert.raise")
        .map((e) => e.metadata.alert_id)
        .sort(),
    );
    // Every request is signed with the channel's secret, and after dedupe each alert came once.
    for (const r of receiver.received) {
      expect(verifySignature(secret, r.headers["trailproof-signature"] as string, r.body)).toBe(true);
    }
    const byDelivery = new Map(receiver.received.map((r) => [r.headers["trailproof-delivery"], JSON.parse(r.body)]));
    const delivered = [...byDelivery.values()].map((p) => p.alert.alert_id).sort();
    expect(delivered).toEqual(
      log
        .filter((e) => e.action === "alert.raise")
        .map((e) => e.metadata.alert_id)
        .sort(),
    );
    for (const payload of byDelivery.values()) {
      expect(payload.type).toBe("alert.raise");
      expect(JSON.stringify(payload)).not.toMatch(/usr_eve|usr_bob/);
    }
  });

  it("delivers an alert of each rule type, signed, to the rule's channel", async () => {
    const receiver = new WebhookReceiver();
    await receiver.start();
    cleanup.push(() => receiver.stop());
    const s = await serve();
    const { keys, clock } = s;
    const channel = await s.call("POST", "/v1/channels", keys.admin, { name: "security", url: receiver.url });
    const { secret } = channel.body as { secret: string };
    const channels = [channel.body.channel.id as string];
    const rules = [
      {
        type: "threshold",
        query: "outcome:denied action:permission.*",
        count: 2,
        window_seconds: 300,
        group_by: ["actor"],
      },
      {
        type: "spike",
        query: "action:record.export",
        bucket_seconds: 300,
        baseline: "previous_buckets",
        baseline_periods: 3,
        factor: 2,
        min_count: 3,
      },
      {
        type: "sequence",
        by: "actor",
        within_seconds: 600,
        steps: [{ query: "action:permission.grant", self: true }, { query: "action:record.export" }],
      },
      { type: "absence", query: "action:workflow.run.finish", silence_seconds: 600 },
    ];
    for (const condition of rules) {
      const made = await s.call("POST", "/v1/rules", keys.admin, {
        name: `${condition.type} rule`,
        severity: "high",
        condition,
        channels,
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
    }
    const t = clock.ms;
    const event = (action: string, at: number, extra: Record<string, unknown> = {}) => ({
      action,
      occurred_at: new Date(at).toISOString(),
      actor: { type: "user", id: "usr_eve" },
      target: { type: "table", id: "customers" },
      ...extra,
    });
    await s.ingest([
      event("workflow.run.finish", t, { target: { type: "workflow", id: "wf_nightly" } }),
      denied("usr_mal", t + 1000),
      denied("usr_mal", t + 2000),
      event("permission.grant", t + 3000, { target: { type: "user", id: "usr_eve" } }),
      event("record.export", t + 4000),
      event("record.export", t + 5000),
      event("record.export", t + 6000),
    ]);
    // Eleven quiet minutes later, by the ledger's clock: the tick finds the workflow silent.
    clock.ms = t + 11 * 60_000;
    await until("an alert of every type at the receiver", () => {
      const types = new Set(receiver.received.map((r) => JSON.parse(r.body).alert?.rule_type));
      return ["threshold", "spike", "sequence", "absence"].every((type) => types.has(type));
    });
    for (const r of receiver.received) {
      expect(verifySignature(secret, r.headers["trailproof-signature"] as string, r.body)).toBe(true);
      expect(r.headers["trailproof-event"]).toBe("alert.raise");
    }
    await s.settled();
    const raised = raisedIds(await s.log());
    expect(raised).toHaveLength(4);
    expect(new Set(raised).size).toBe(4);
    await until("one delivery per alert", () => receiver.deliveryIds().size === 4);
  });
});
