import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ActionDefinition, hasErrorCode, recomputeContentDigest } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import type { Ledger } from "../ledger.js";
import { nodeHasher } from "../node-hasher.js";
import { openDataDir } from "../open-data-dir.js";
import { tenantLogReport } from "../verify/tenant-log-report.js";
import { SEAL_INLINE_BELOW_EVENTS } from "./seal-batch.js";

const open: Ledger[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

async function newLedger(options: { sealingWorkers?: number; now?: () => number } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-sealing-"));
  const ledger = (await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 2, ...options })).ledger;
  open.push(ledger);
  await ledger.createTenant("acme");
  return ledger;
}

function event(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: `evt_${i}`,
    action: "app.update",
    occurred_at: "2026-05-01T10:00:00.123+02:00",
    actor: { type: "user", id: "usr_ada", name: "Ada Lovelace" },
    target: { type: "app", id: `app_${i % 3}` },
    ...extra,
  };
}

/** Enough events that the ledger sends them to a worker rather than sealing inline. */
const BATCH = Math.max(SEAL_INLINE_BELOW_EVENTS, 8);

function batch(from: number, extra: Record<string, unknown> = {}) {
  return Array.from({ length: BATCH }, (_, k) => event(from + k, extra));
}

async function verify(ledger: Ledger) {
  await ledger.publishCheckpoints();
  const keys = (await ledger.verifierKeys("acme")).map((k) => k.verifier_key);
  return tenantLogReport(ledger.store, nodeHasher, "acme", { verifierKeys: keys });
}

const orderCreate: ActionDefinition = {
  action: "shop.order.create",
  version: 1,
  kind: "create",
  category: "data",
  defaultRisk: "low",
  metadataSchema: { type: "object", properties: { total: { type: "number" } } },
};

describe("sealing in worker threads", () => {
  it("stamps received_at non-decreasing in log order under many concurrent appends", async () => {
    // A clock that jumps back and forth: only the ledger's clamp and the turn order keep it monotonic.
    let tick = 0;
    const ledger = await newLedger({ now: () => Date.UTC(2026, 4, 1) + ((tick++ * 7919) % 5000) });
    const sizes = [1, 2, 3, 50, 200, 5, 120, 1, 70, 9, 300, 4, 33, 2, 150, 8];
    let next = 0;
    const calls = sizes.map((n) => {
      const inputs = Array.from({ length: n }, (_, k) => event(next + k));
      next += n;
      return ledger.append("acme", inputs);
    });
    const all = (await Promise.all(calls)).flat();
    expect(all.every((r) => r.status === "created")).toBe(true);
    expect(all.map((r) => (r.status === "created" ? r.index : -1))).toEqual([...all.keys()]);
    const entries = await ledger.readEntries("acme", 0, next);
    expect(entries.map((e) => e.eventId)).toEqual(entries.map((_, i) => `evt_${i}`));
    for (let i = 1; i < entries.length; i++) {
      expect((entries[i]?.receivedMs ?? 0) >= (entries[i - 1]?.receivedMs ?? 0), `entry ${i}`).toBe(true);
    }
    const report = await verify(ledger);
    expect(report.divergences).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("seals with the same results inline and in workers, idempotency included", async () => {
    const inline = await newLedger({ sealingWorkers: 0, now: () => Date.UTC(2026, 4, 1) });
    const pooled = await newLedger({ now: () => Date.UTC(2026, 4, 1) });
    expect(inline.sealPool).toBeUndefined();
    expect(pooled.sealPool?.size).toBe(2);
    const inputs = [...batch(0), { action: "app.update" }, event(0), event(0, { message: "changed" })];
    const a = await inline.append("acme", inputs);
    const b = await pooled.append("acme", inputs);
    expect(b.map((r) => r.status)).toEqual(a.map((r) => r.status));
    expect(b.slice(BATCH).map((r) => r.status)).toEqual(["rejected", "duplicate", "rejected"]);
    const strip = (e: { eventId: string; receivedMs: number }) => ({ eventId: e.eventId, receivedMs: e.receivedMs });
    // Leaves differ only by their salts (fresh randomness per thread), digests by each tenant's own key.
    expect((await pooled.readEntries("acme", 0, BATCH)).map(strip)).toEqual(
      (await inline.readEntries("acme", 0, BATCH)).map(strip),
    );
    for (const ledger of [inline, pooled]) {
      const key = await ledger.digestKey("acme");
      for (const e of await ledger.readEntries("acme", 0, BATCH)) {
        const disclosures = await ledger.disclosures("acme", e.index);
        expect(recomputeContentDigest(nodeHasher, key, e.leafData, disclosures)).toEqual({ digest: e.contentDigest });
      }
    }
  });

  it("honours a schema registered and a policy changed at run time at once", async () => {
    const ledger = await newLedger();
    const order = (i: number, extra: Record<string, unknown> = {}) =>
      batch(i, { action: "shop.order.create", metadata: { total: 5 }, ...extra });

    const before = await ledger.append("acme", order(0));
    expect(before.every((r) => r.status === "rejected")).toBe(true);
    expect(before[0]?.status === "rejected" && before[0].problems[0]?.pointer).toBe("/action");

    await ledger.registerActionSchema("acme", orderCreate);
    const v1 = await ledger.append("acme", order(100));
    expect(v1.map((r) => r.status)).toEqual(v1.map(() => "created"));
    const badTotal = await ledger.append("acme", order(200, { metadata: { total: "five" } }));
    expect(badTotal.every((r) => r.status === "rejected")).toBe(true);

    await ledger.registerActionSchema("acme", { ...orderCreate, version: 2 });
    const v2 = await ledger.append("acme", order(300, { action_version: 2 }));
    expect(v2.every((r) => r.status === "created")).toBe(true);

    const unknown = (i: number) => batch(i, { action: "shop.cart.abandon", kind: "update", category: "data" });
    expect((await ledger.append("acme", unknown(400))).every((r) => r.status === "rejected")).toBe(true);
    await ledger.setUnknownActions("acme", "accept");
    expect((await ledger.append("acme", unknown(500))).every((r) => r.status === "created")).toBe(true);
    await ledger.setUnknownActions("acme", "reject");
    expect((await ledger.append("acme", unknown(600))).every((r) => r.status === "rejected")).toBe(true);
  });

  it("fails the appends of a crashed worker with SEAL_WORKER_FAILED, replaces it and loses nothing acknowledged", async () => {
    const ledger = await newLedger({ sealingWorkers: 1 });
    const pool = ledger.sealPool;
    if (!pool) throw new Error("expected a seal pool");
    const [firstThread] = pool.threadIdsForTest();
    const acknowledged = await ledger.append("acme", batch(0));
    const big = Array.from({ length: 3000 }, (_, k) => event(10_000 + k));
    const doomed = ledger.append("acme", big);
    const after = ledger.append("acme", batch(20_000));
    while (pool.busy === 0) await new Promise((r) => setTimeout(r, 1));
    await pool.crashWorkerForTest(0);
    const error = await doomed.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(hasErrorCode(error, "SEAL_WORKER_FAILED")).toBe(true);
    // The append queued behind it on the same worker fails too, rather than hanging.
    await after.then(
      () => undefined,
      (err: unknown) => expect(hasErrorCode(err, "SEAL_WORKER_FAILED")).toBe(true),
    );
    expect(pool.threadIdsForTest()[0]).not.toBe(firstThread);
    const retried = await ledger.append("acme", batch(30_000));
    expect(retried.every((r) => r.status === "created")).toBe(true);
    for (const r of acknowledged) expect(r.status === "created" && (await ledger.findEntry("acme", r.id))).toBeTruthy();
    const report = await verify(ledger);
    expect(report.ok).toBe(true);
  });

  it("terminates its workers on close", async () => {
    const ledger = await newLedger();
    const pool = ledger.sealPool;
    await ledger.append("acme", batch(0));
    await ledger.close();
    await expect(ledger.append("acme", batch(100))).rejects.toSatisfy((e) => hasErrorCode(e, "LEDGER_CLOSED"));
    // A terminated worker's threadId is -1.
    expect(pool?.threadIdsForTest()).toEqual([-1, -1]);
  });
});
