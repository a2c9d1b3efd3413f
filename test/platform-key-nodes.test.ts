// A platform key allowed to create tenants, used through two service nodes
// (two apps over two pools) on one PostgreSQL database at once: requests on
// both name the same missing tenant. Exactly one node creates it (the other's
// creation fails with TENANT_EXISTS, which counts as success), every request
// is appended, and the tenant's log holds one tenant.create naming the key.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMasterKey, type DataDir, issueApiKey, issuePlatformKey, openDatabase } from "@trailproof/ledger";
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

beforeAll(async () => {
  db = await createTestDatabase();
  const masterKeyFile = join(mkdtempSync(join(tmpdir(), "trailproof-platform-nodes-")), "master.key");
  createMasterKey(masterKeyFile);
  for (let i = 0; i < 2; i++) {
    nodes.push(await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0, poolSize: 4 }));
  }
  apps = await Promise.all(
    nodes.map((n) => buildApp({ ...n, config: DEFAULT_CONFIG, metrics: createMetrics(), logger: false })),
  );
});

afterAll(async () => {
  for (const app of apps) await app.close();
  for (const n of nodes) await n.ledger.close();
  await db?.drop();
});

describe("a platform key creating a tenant through two nodes at once", () => {
  it("creates it once, appends every request, and records one tenant.create naming the key", async () => {
    const first = nodes[0] as DataDir;
    const platform = await issuePlatformKey(first.access, {
      name: "two nodes",
      tenants: ["newco"],
      createTenants: true,
      createdBy: null,
    });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (apps[i % 2] as FastifyInstance).inject({
          method: "POST",
          url: "/v1/events",
          headers: { authorization: `Bearer ${platform.key}`, "x-trailproof-tenant": "newco" },
          payload: {
            id: `node_${i}`,
            action: "app.update",
            occurred_at: "2026-11-05T12:00:00Z",
            actor: { type: "user", id: "usr_test" },
            target: { type: "app", id: "app_test" },
          },
        }),
      ),
    );
    expect(answers.map((r) => [r.statusCode, r.json().results?.[0]?.status])).toEqual(
      Array.from({ length: 6 }, () => [200, "created"]),
    );
    expect((await first.ledger.listTenants()).filter((t) => t.name === "newco")).toHaveLength(1);

    // Read the whole log back with an admin key the operator issues (the tenant was made with none).
    const operator = await issueApiKey(first.access, { tenantId: null, role: "operator", name: "op", createdBy: "t" });
    const recovery = await apps[1]?.inject({
      method: "POST",
      url: "/v1/tenants/newco/keys",
      headers: { authorization: `Bearer ${operator.key}` },
      payload: {},
    });
    expect(recovery?.statusCode).toBe(201);
    const size = await first.ledger.treeSize("newco");
    const entries = await apps[0]?.inject({
      method: "GET",
      url: `/v1/log/entries?start=0&end=${size}`,
      headers: { authorization: `Bearer ${recovery?.json().key}` },
    });
    expect(entries?.statusCode).toBe(200);
    const leaves = (entries?.body ?? "")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string; appended_by: unknown; metadata?: Record<string, unknown> });
    const creations = leaves.filter((l) => l.action === "tenant.create");
    expect(creations).toHaveLength(1);
    expect(creations[0]).toMatchObject({
      appended_by: { type: "api_key", id: platform.record.keyId },
      metadata: { platform_key: platform.record.keyId },
    });
    expect(leaves.filter((l) => l.action === "app.update")).toHaveLength(6);
  });
});
