// A stream on two service nodes (two apps over two pools) sharing one
// PostgreSQL database: events come in through both, the stream runs on the
// one node holding its lease and delivers every entry once after dedupe with
// its prev_index chain whole; when that node stops, the other takes the
// stream over from the shared cursor and nothing is lost.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMasterKey, type DataDir, issueApiKey, openDatabase, provisionTenant } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  type TestDatabase,
} from "../../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";
import { until, verifySignature, WebhookReceiver } from "../notify/webhook-receiver.js";

let db: TestDatabase;
const nodes: DataDir[] = [];
const apps: FastifyInstance[] = [];
const receiver = new WebhookReceiver();

beforeAll(async () => {
  db = await createTestDatabase();
  const masterKeyFile = join(mkdtempSync(join(tmpdir(), "trailproof-stream-nodes-")), "master.key");
  createMasterKey(masterKeyFile);
  for (let i = 0; i < 2; i++) {
    const node = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0, poolSize: 4 });
    nodes.push(node);
    const app = await buildApp({
      ...node,
      config: {
        ...DEFAULT_CONFIG,
        alertTickMs: 0,
        selfCheckIntervalMs: 0,
        streamTickMs: 200,
        streamBackoffBaseMs: 50,
        streamBackoffCapMs: 300,
      },
      metrics: createMetrics(),
      logger: false,
    });
    await app.ready();
    apps.push(app);
  }
  await receiver.start();
});

afterAll(async () => {
  await receiver.stop();
  for (const app of apps) await app.close();
  for (const n of nodes) await n.ledger.close();
  await db?.drop();
});

/** Every message's [index, prev_index], each batch's signature checked. */
function received(secret: string): [number, number | null][] {
  return receiver.received.flatMap((r) => {
    expect(verifySignature(secret, String(r.headers["trailproof-signature"]), r.body)).toBe(true);
    return r.body
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => {
        const m = JSON.parse(l) as { index: number; prev_index: number | null };
        return [m.index, m.prev_index] as [number, number | null];
      });
  });
}

describe("a stream on two PostgreSQL nodes", () => {
  it("runs on one node, delivers every entry once with no gap, and moves to the other when it stops", async () => {
    const [a] = nodes as [DataDir, DataDir];
    const made = await provisionTenant(a.ledger, a.access, "acme", { createdBy: "test" });
    const ingest = await issueApiKey(a.access, {
      tenantId: made.tenant.tenantId,
      role: "ingest",
      name: "ingest",
      createdBy: "t",
    });
    const created = await (apps[0] as FastifyInstance).inject({
      method: "POST",
      url: "/v1/streams",
      headers: { authorization: `Bearer ${made.adminKey}` },
      payload: { name: "siem", destination: { type: "webhook", url: receiver.url }, filter: "action:record.update" },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { stream, secret } = created.json() as { stream: { id: string }; secret: string };
    let sent = 0;
    const send = async (app: FastifyInstance, count: number) => {
      const events = Array.from({ length: count }, (_, k) => ({
        id: `evt_upd_${sent + k}`,
        action: "record.update",
        occurred_at: new Date().toISOString(),
        actor: { type: "service_account", id: "svc_sync" },
        target: { type: "record", id: `rec_${sent + k}` },
      }));
      sent += count;
      const res = await app.inject({
        method: "POST",
        url: "/v1/events",
        headers: { authorization: `Bearer ${ingest.key}` },
        payload: { events },
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => send(apps[i % 2] as FastifyInstance, 20)));
    await until("200 updates at the receiver", () => new Set(received(secret).map(([i]) => i)).size >= 200, 30_000);

    const health = async (app: FastifyInstance) =>
      (
        (
          await app.inject({
            method: "GET",
            url: `/v1/streams/${stream.id}`,
            headers: { authorization: `Bearer ${made.adminKey}` },
          })
        ).json() as { stream: { health: { running: boolean } } }
      ).stream.health;
    const running = await Promise.all(apps.map((app) => health(app).then((h) => h.running)));
    expect(running.filter(Boolean)).toHaveLength(1);

    // The node running it stops; the other takes the stream from the shared cursor.
    const at = running.indexOf(true);
    const other = apps[1 - at] as FastifyInstance;
    await (apps[at] as FastifyInstance).close();
    await send(other, 50);
    await until("250 updates at the receiver", () => new Set(received(secret).map(([i]) => i)).size >= 250, 30_000);
    expect((await health(other)).running).toBe(true);

    const unique = new Map<number, number | null>();
    for (const [index, prev] of received(secret)) {
      if (unique.has(index)) expect(unique.get(index), `index ${index} sent twice differently`).toBe(prev);
      unique.set(index, prev);
    }
    const indexes = [...unique.keys()].sort((x, y) => x - y);
    expect(indexes).toHaveLength(250);
    indexes.forEach((index, i) => {
      expect(unique.get(index)).toBe(i === 0 ? null : indexes[i - 1]);
    });
  }, 90_000);
});
