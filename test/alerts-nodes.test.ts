// Alert rules evaluated by two service nodes (two apps over two pools) on
// one PostgreSQL database: both follow the same log and race to apply the
// same entries; the follower's cursor is a compare-and-set, so each alert is
// raised once: one alert.raise per alert id in the log, one alert row, and
// the cursor at the end of the log.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromUtf8 } from "@trailproof/core";
import { createMasterKey, type DataDir, issueApiKey, openDatabase, provisionTenant } from "@trailproof/ledger";
import { buildApp, createMetrics, DEFAULT_CONFIG } from "@trailproof/server";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  type TestDatabase,
} from "../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";

let db: TestDatabase;
const nodes: DataDir[] = [];
let apps: FastifyInstance[] = [];
/** Each node's alert follower's appends of alert.raise that created an entry (not a duplicate). */
const raisedBy: string[][] = [[], []];

beforeAll(async () => {
  db = await createTestDatabase();
  const masterKeyFile = join(mkdtempSync(join(tmpdir(), "trailproof-alert-nodes-")), "master.key");
  createMasterKey(masterKeyFile);
  for (let i = 0; i < 2; i++) {
    nodes.push(await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0, poolSize: 4 }));
  }
  nodes.forEach((n, i) => {
    // Watch what each node's alert follower appends, as it goes.
    const append = n.ledger.append.bind(n.ledger);
    n.ledger.append = async (tenant, inputs, options) => {
      const results = await append(tenant, inputs, options);
      if (options?.appendedBy?.id === "alerts") {
        for (const r of results) if (r.status === "created") raisedBy[i]?.push(r.id);
      }
      return results;
    };
  });
  apps = await Promise.all(
    nodes.map((n) =>
      buildApp({
        ...n,
        config: { ...DEFAULT_CONFIG, alertTickMs: 0 },
        metrics: createMetrics(),
        logger: false,
      }),
    ),
  );
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const n of nodes) await n.ledger.close();
  await db?.drop();
});

describe("two nodes evaluating one tenant's rules", () => {
  it("raise each alert once", async () => {
    const [a, b] = nodes as [DataDir, DataDir];
    const made = await provisionTenant(a.ledger, a.access, "acme", { createdBy: "test" });
    const ingest = await issueApiKey(a.access, {
      tenantId: made.tenant.tenantId,
      role: "ingest",
      name: "ingest",
      createdBy: "t",
    });
    const created = await apps[0]?.inject({
      method: "POST",
      url: "/v1/rules",
      headers: { authorization: `Bearer ${made.adminKey}` },
      payload: {
        name: "Two denials",
        severity: "high",
        condition: { type: "threshold", query: "outcome:denied", count: 2, window_seconds: 60, group_by: ["actor"] },
      },
    });
    expect(created?.statusCode).toBe(201);
    const t0 = Date.now();
    // Twenty actors, each denied twice, their events sent through both nodes at once.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (apps[i % 2] as FastifyInstance).inject({
          method: "POST",
          url: "/v1/events",
          headers: { authorization: `Bearer ${ingest.key}` },
          payload: {
            events: [0, 1].map((k) => ({
              id: `deny_${i}_${k}`,
              action: "permission.grant",
              occurred_at: new Date(t0 + i * 10 + k).toISOString(),
              actor: { type: "user", id: `usr_${i}` },
              target: { type: "app", id: "app_payroll" },
              outcome: { status: "denied" },
            })),
          },
        }),
      ),
    );
    expect(answers.every((r) => r.statusCode === 200)).toBe(true);
    const follower = (n: DataDir) => n.ledger.followers.find((f) => f.name === "alerts");
    const tenantId = made.tenant.tenantId;
    // Each node follows up to the sizes it committed; the alerts they append are followed in turn.
    const deadline = Date.now() + 20_000;
    let ids: string[] = [];
    for (;;) {
      await Promise.all([follower(a)?.idle(), follower(b)?.idle()]);
      const size = await a.ledger.treeSize("acme");
      const entries = await a.ledger.readEntries("acme", 0, size);
      ids = entries
        .map((e) => JSON.parse(fromUtf8(e.leafData)) as { action: string; id: string })
        .filter((e) => e.action === "alert.raise")
        .map((e) => e.id);
      const state = await a.rules.alertFollowerState(tenantId);
      if (ids.length >= 20 && state.covered === size) break;
      if (Date.now() > deadline) throw new Error(`${ids.length} alerts, cursor ${state.covered} of ${size}`);
      follower(a)?.notify(tenantId, size);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    const rows = await b.rules.listAlerts(tenantId, { limit: 100 });
    expect(rows.map((r) => r.alertId).sort()).toEqual([...ids].sort());
    // Each alert's entry was created by one node's evaluation, once; any other attempt was a duplicate.
    const both = [...(raisedBy[0] ?? []), ...(raisedBy[1] ?? [])];
    expect(both.sort()).toEqual([...ids].sort());
  });
});
