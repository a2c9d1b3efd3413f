// Two service nodes (two apps over two pools) on one PostgreSQL database,
// both running the notification follower and delivery worker: every alert
// is enqueued once and no delivery is ever sent by both nodes. The receiver
// answers slowly so sends overlap, and it counts each delivery id's POSTs.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMasterKey, type DataDir, openDatabase, provisionTenant } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG, type ServerConfig } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  type TestDatabase,
} from "../../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";
import { alertEvent, until, verifySignature, WebhookReceiver } from "./webhook-receiver.js";

let db: TestDatabase;
const nodes: DataDir[] = [];
let apps: FastifyInstance[] = [];
const r = new WebhookReceiver();

const CONFIG: ServerConfig = {
  ...DEFAULT_CONFIG,
  checkpointIntervalMs: 0,
  selfCheckIntervalMs: 0,
  notifyPollMs: 20,
  notifyBackoffBaseMs: 20,
  notifyBackoffCapMs: 100,
  notifyMaxAttempts: 10_000,
};

beforeAll(async () => {
  db = await createTestDatabase();
  const masterKeyFile = join(mkdtempSync(join(tmpdir(), "trailproof-notify-nodes-")), "master.key");
  createMasterKey(masterKeyFile);
  for (let i = 0; i < 2; i++) {
    nodes.push(await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0, poolSize: 6 }));
  }
  apps = await Promise.all(
    nodes.map((n) => buildApp({ ...n, config: CONFIG, metrics: createMetrics(), logger: { level: "warn" } })),
  );
  await Promise.all(apps.map((a) => a.ready()));
  await r.start();
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const n of nodes) await n.ledger.close();
  await r.stop();
  await db?.drop();
});

describe("notifications on two PostgreSQL nodes", () => {
  it("enqueues each alert once and never sends one delivery from both nodes", async () => {
    const [a, b] = nodes as [DataDir, DataDir];
    const { adminKey } = await provisionTenant(a.ledger, a.access, "acme", { createdBy: "test" });
    const created = await (apps[1] as FastifyInstance).inject({
      method: "POST",
      url: "/v1/channels",
      headers: { authorization: `Bearer ${adminKey}` },
      payload: { name: "soc", url: r.url },
    });
    expect(created.statusCode).toBe(201);
    const { channel, secret } = created.json() as { channel: { id: string }; secret: string };
    // The first round fails (503), so retries on both nodes race too.
    r.status = 503;
    const ids: string[] = [];
    const appendBoth = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const node = i % 2 === 0 ? a : b;
        const [res] = await node.ledger.append("acme", [alertEvent([channel.id])], {
          appendedBy: { type: "service", id: "alerts" },
          serviceRecord: true,
        });
        ids.push((res as { id: string }).id);
      }
    };
    await appendBoth(20);
    await until("first attempts", () => r.received.length >= 10);
    r.status = 204;
    await until(
      "every delivery",
      async () => {
        const list = (await a.notifications.listDeliveries(
          (await a.ledger.listTenants()).find((t) => t.name === "acme")?.tenantId as number,
          { limit: 100 },
        )) as { status: string }[];
        return list.length === 20 && list.every((d) => d.status === "delivered");
      },
      30_000,
    );
    const acme = (await a.ledger.listTenants()).find((t) => t.name === "acme")?.tenantId as number;
    const deliveries = await a.notifications.listDeliveries(acme, { limit: 100 });
    expect(deliveries).toHaveLength(20);
    // Exactly one successful POST per delivery, and the attempts recorded match the POSTs received.
    const ok = new Map<string, number>();
    const all = new Map<string, number>();
    for (const x of r.received) {
      const id = x.headers["trailproof-delivery"] as string;
      expect(verifySignature(secret, x.headers["trailproof-signature"] as string, x.body)).toBe(true);
      all.set(id, (all.get(id) ?? 0) + 1);
    }
    for (const d of deliveries) {
      const attempts = await a.notifications.listAttempts(acme, d.deliveryId);
      expect(attempts.map((t) => t.attempt)).toEqual(attempts.map((_, i) => i + 1));
      expect(attempts.filter((t) => t.httpStatus === 204)).toHaveLength(1);
      ok.set(d.deliveryId, 1);
      expect(all.get(d.deliveryId)).toBe(d.attempts);
    }
    expect(ok.size).toBe(20);
    expect(new Set(deliveries.map((d) => d.sourceEventId))).toEqual(new Set(ids));
  }, 90_000);
});
