// The scheduled self-check on a real data directory: new entries hashed to
// the signed root, continuing from the last integrity.check event; a leaf
// edited behind the service fails it, with a critical event, an error log
// line and the /metrics counters.
import { join } from "node:path";
import { createMetrics, SelfCheckSchedule } from "@trailproof/server";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type ApiFixture, buildApiFixture, validEvent } from "./api-fixture.js";

let f: ApiFixture;
const errors: unknown[] = [];
let schedule: SelfCheckSchedule;
const metrics = createMetrics();

beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 6, config: { selfCheckIntervalMs: 0 } });
  const log = { error: (obj: unknown) => errors.push(obj) } as never;
  schedule = new SelfCheckSchedule({ ...f.data, metrics, log }, 60_000);
});
afterAll(async () => {
  await f?.close();
});

/** Appends n events to acme, signs, and lets search catch up. */
async function grow(n: number, prefix: string): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await f.request("POST", "/v1/events", f.acme.ingest, validEvent(`${prefix}_${i}`));
    expect(res.statusCode).toBe(200);
  }
  await f.data.ledger.publishCheckpoints();
  await f.settled();
}

async function checks(tenant: "acme" | "globex") {
  await f.settled();
  const res = await f.request("GET", "/v1/events?action=integrity.check&order=asc&limit=100", f[tenant].auditor);
  return (
    res.json().events as { event: { outcome: { status: string }; risk: string; metadata: Record<string, unknown> } }[]
  ).map((i) => i.event);
}

describe("self-check", () => {
  it("hashes every entry on its first run and only the new ones after, proving a sample of the old", async () => {
    await f.data.ledger.publishCheckpoints();
    await f.settled();
    const first = await schedule.runOnce();
    expect(first.map((r) => [r.tenant, r.ok]).sort()).toEqual([
      ["acme", true],
      ["globex", true],
    ]);
    const acme = first.find((r) => r.tenant === "acme");
    expect(acme?.newEntries).toBe(acme?.checkpointSize);
    expect(acme?.sampled).toBe(0);

    await grow(5, "grow");
    // Another interval: the claim is per interval, so a fresh schedule stands for the next one.
    const second = await new SelfCheckSchedule({ ...f.data, metrics, log: { error: () => {} } as never }, 1).runOnce();
    const again = second.find((r) => r.tenant === "acme");
    expect(again).toMatchObject({ ok: true, checkpointSize: (acme?.checkpointSize ?? 0) + 6, newEntries: 6 });
    expect(again?.sampled).toBeGreaterThan(0);
    const recorded = await checks("acme");
    expect(recorded.map((e) => e.outcome.status)).toEqual(["success", "success"]);
    expect(recorded[1]?.metadata).toMatchObject({
      checkpoint_size: again?.checkpointSize,
      new_entries: 6,
      failures_total: 0,
      interval_ms: 1,
    });
    const scraped = await metrics.registry.metrics();
    expect(scraped).toMatch(/trailproof_self_checks_total\{tenant="acme",result="ok"\} 2/);
    expect(errors).toEqual([]);
  });

  it("fails when a new entry's leaf was edited behind the service, and says so three ways", async () => {
    await grow(3, "edited");
    const size = await f.data.ledger.treeSize("acme");
    const db = new Database(join(f.dataDir, "tenants", "acme.db"));
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[]) {
      db.exec(`DROP TRIGGER ${name}`);
    }
    const row = db.prepare("SELECT leaf_data FROM entries WHERE idx = ?").get(size - 2) as { leaf_data: Buffer };
    const edited = Buffer.from(row.leaf_data.toString("utf8").replace('"action":"', '"action":"x'));
    expect(edited.equals(row.leaf_data)).toBe(false);
    db.prepare("UPDATE entries SET leaf_data = ? WHERE idx = ?").run(edited, size - 2);
    db.close();

    const results = await new SelfCheckSchedule(
      { ...f.data, metrics, log: { error: (o: unknown) => errors.push(o) } as never },
      2,
    ).runOnce();
    const acme = results.find((r) => r.tenant === "acme");
    expect(acme?.ok).toBe(false);
    expect(acme?.failures.join("\n")).toMatch(/do not hash to the root of the checkpoint/);
    const recorded = await checks("acme");
    expect(recorded.at(-1)).toMatchObject({ outcome: { status: "failure" }, risk: "critical" });
    expect(errors).toContainEqual(expect.objectContaining({ tenant: "acme" }));
    expect(await metrics.registry.metrics()).toMatch(/trailproof_self_checks_total\{tenant="acme",result="failed"\} 1/);
    expect(results.find((r) => r.tenant === "globex")?.ok).toBe(true);
  });
});
