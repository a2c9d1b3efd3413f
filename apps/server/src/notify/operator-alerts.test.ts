// Missed checkpoint publications on a real data directory: a log that grew
// with no checkpoint for more than twice the interval raises one operator
// alert per stuck checkpoint into the outbox (to each enabled operator
// channel), counted in the metrics; a signed or young log raises none.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DataDir, openDataDir, provisionTenant } from "@trailproof/ledger";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { notifyMetrics } from "./notify-metrics.js";
import { OperatorAlerts } from "./operator-alerts.js";

const opened: DataDir[] = [];
afterEach(async () => {
  for (const d of opened.splice(0)) await d.ledger.close();
});

const INTERVAL_MS = 1000;

async function setUp() {
  const data = await openDataDir({
    dataDir: mkdtempSync(join(tmpdir(), "trailproof-opalerts-")),
    checkpointIntervalMs: 0,
  });
  opened.push(data);
  await provisionTenant(data.ledger, data.access, "acme", { createdBy: "test" });
  const at = new Date().toISOString();
  for (const [id, enabled] of [
    ["chn_oncall", true],
    ["chn_off", false],
  ] as const) {
    await data.notifications.insertChannel(
      {
        channelId: id,
        tenantId: null,
        name: id,
        kind: "webhook",
        format: "native",
        url: "https://ops.example/hook",
        enabled,
        createdAt: at,
        createdBy: "op",
        updatedAt: at,
        updatedBy: "op",
      },
      "whsec_op",
    );
  }
  const registry = new Registry();
  const errors: unknown[] = [];
  let clock = Date.now();
  let kicks = 0;
  const alerts = new OperatorAlerts(
    {
      ledger: data.ledger,
      notifications: data.notifications,
      metrics: notifyMetrics(registry, data.notifications),
      log: { error: (o: unknown) => errors.push(o) } as never,
      kick: () => {
        kicks += 1;
      },
      now: () => clock,
    },
    INTERVAL_MS,
  );
  const grow = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await data.ledger.append(
        "acme",
        [
          {
            action: "app.update",
            occurred_at: new Date().toISOString(),
            actor: { type: "user", id: "u" },
            target: { type: "app", id: "a" },
          },
        ],
        {},
      );
    }
  };
  return {
    data,
    alerts,
    registry,
    errors,
    grow,
    kicks: () => kicks,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe("operator alerts for missed checkpoints", () => {
  it("raises one alert per stuck checkpoint once the oldest unsigned entry waited past twice the interval", async () => {
    const s = await setUp();
    await s.grow(3);
    // Within twice the interval: nothing yet.
    await s.alerts.checkPublication();
    expect(await s.data.notifications.listDeliveries(null, { limit: 10 })).toEqual([]);
    s.advance(2 * INTERVAL_MS + 1000);
    await s.alerts.checkPublication();
    await s.alerts.checkPublication();
    const raised = await s.data.notifications.listDeliveries(null, { limit: 10 });
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      channelId: "chn_oncall",
      kind: "operator.alert",
      status: "pending",
      payload: { type: "operator.alert", alert_kind: "checkpoint_missed", tenant: "acme" },
    });
    expect(s.kicks()).toBe(1);
    expect(s.errors).toHaveLength(1);
    expect(await s.registry.metrics()).toMatch(/trailproof_operator_alerts_total\{kind="checkpoint_missed"\} 1/);

    // Signed: the condition is gone, nothing new.
    await s.data.ledger.publishCheckpoints();
    s.advance(10 * INTERVAL_MS);
    await s.alerts.checkPublication();
    expect(await s.data.notifications.listDeliveries(null, { limit: 10 })).toHaveLength(1);
    // Stuck again at a new checkpoint: a new alert.
    await s.grow(1);
    s.advance(3 * INTERVAL_MS);
    await s.alerts.checkPublication();
    expect(await s.data.notifications.listDeliveries(null, { limit: 10 })).toHaveLength(2);
    // No tenant sees the operator's deliveries.
    const acme = (await s.data.ledger.listTenants())[0]?.tenantId as number;
    expect(await s.data.notifications.listDeliveries(acme, { limit: 10 })).toEqual([]);
  });
});
