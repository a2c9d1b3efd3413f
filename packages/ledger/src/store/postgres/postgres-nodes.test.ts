// Several nodes over one PostgreSQL database, in one process: both append to
// one tenant at once and the log stays gapless, in received_at order, and
// verifies; one node signs (the lease holder) and another takes over when it
// leaves; both nodes' followers build one search projection between them.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMasterKey } from "../../keys/master-key.js";
import { nodeHasher } from "../../node-hasher.js";
import type { DataDir } from "../../open-data-dir.js";
import { openDatabase } from "../../open-database.js";
import { tenantLogReport } from "../../verify/tenant-log-report.js";
import { createTestDatabase } from "./postgres-test-database.fixture.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function twoNodes(): Promise<{ a: DataDir; b: DataDir; open: () => Promise<DataDir> }> {
  const db = await createTestDatabase();
  const masterKeyFile = join(mkdtempSync(join(tmpdir(), "trailproof-nodes-")), "master.key");
  createMasterKey(masterKeyFile);
  cleanup.push(() => db.drop());
  const open = async () => {
    const node = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 100, poolSize: 4 });
    let closed = false;
    cleanup.push(async () => {
      if (!closed) await node.ledger.close();
      closed = true;
    });
    const close = node.ledger.close.bind(node.ledger);
    node.ledger.close = async () => {
      if (!closed) await close();
      closed = true;
    };
    return node;
  };
  return { a: await open(), b: await open(), open };
}

const event = (id: string) => ({
  id,
  action: "user.login",
  occurred_at: new Date().toISOString(),
  actor: { type: "user", id: "usr_ada" },
  target: { type: "workspace", id: "acme" },
  context: { ip: "203.0.113.7" },
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("nodes over one PostgreSQL database", () => {
  it("append to one tenant at once: every event once, indexes gapless, received_at in order, the log verifies", async () => {
    const { a, b } = await twoNodes();
    const tenant = await a.ledger.createTenant("acme");
    // Batches large enough for the seal workers, and single events sealed inline, from both nodes at once.
    const sends: Promise<{ status: string; index?: number }[]>[] = [];
    for (let round = 0; round < 12; round++) {
      for (const [name, node] of [
        ["a", a],
        ["b", b],
      ] as const) {
        const size = round % 3 === 0 ? 1 : 40;
        const ids = Array.from({ length: size }, (_, k) => `${name}-${round}-${k}`);
        sends.push(node.ledger.append("acme", ids.map(event)) as Promise<{ status: string; index?: number }[]>);
      }
    }
    const results = (await Promise.all(sends)).flat();
    expect(results.every((r) => r.status === "created")).toBe(true);
    const indexes = results.map((r) => r.index as number).sort((x, y) => x - y);
    expect(indexes).toEqual(Array.from({ length: results.length }, (_, i) => i));
    expect(await a.ledger.treeSize("acme")).toBe(results.length);
    expect(await b.ledger.treeSize("acme")).toBe(results.length);

    // The lease holder signs the whole log, whoever appended it.
    await until("a checkpoint of the whole log", async () => {
      return (await b.ledger.latestCheckpoint("acme")).treeSize === results.length;
    });
    const keys = (await a.ledger.verifierKeys("acme")).map((k) => k.verifier_key);
    await a.settled();
    await b.settled();
    const report = await tenantLogReport(a.ledger.store, nodeHasher, "acme", {
      verifierKeys: keys,
      derived: a.audits,
      digestKey: await a.ledger.digestKey("acme"),
    });
    expect(report.divergences).toEqual([]);
    expect(report).toMatchObject({ ok: true, treeSize: results.length });

    // One projection between them: every entry found once, from either node.
    const stats = await b.query.stats(tenant.tenantId, { action: "user.login" }, { bucket: "day" });
    expect(stats.total).toBe(results.length);
    const page = await a.query.search(tenant.tenantId, { actorId: "usr_ada" }, { limit: 500, order: "asc" });
    expect(new Set(page.entries.map((e) => e.index)).size).toBe(Math.min(500, results.length));
  });

  it("hand the signing lease over when its holder leaves", async () => {
    const { a, b } = await twoNodes();
    await a.ledger.createTenant("acme");
    await a.ledger.append("acme", [event("first")]);
    await until("the first entry signed", async () => (await a.ledger.latestCheckpoint("acme")).treeSize === 1);
    await a.ledger.close();
    await b.ledger.append("acme", [event("second"), event("third")]);
    await until("a checkpoint signed by the node left", async () => {
      return (await b.ledger.latestCheckpoint("acme")).treeSize === 3;
    });
    expect(await b.ledger.consistencyProof("acme", 1, 3)).not.toHaveLength(0);
  });
});
