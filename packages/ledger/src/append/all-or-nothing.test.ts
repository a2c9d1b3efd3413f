// All-or-nothing appends (AppendOptions.allOrNothing), which the compat
// endpoints use: one refused input withholds the others, and nothing of the
// request reaches the log; without a refusal they are written as usual.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Ledger } from "../ledger.js";
import { openDataDir } from "../open-data-dir.js";

const open: Ledger[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

async function newLedger(): Promise<Ledger> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-aon-"));
  const ledger = (await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 1 })).ledger;
  open.push(ledger);
  await ledger.createTenant("acme");
  return ledger;
}

const good = (i: number) => ({
  id: `evt_${i}`,
  action: "app.update",
  kind: "update",
  category: "configuration",
  occurred_at: "2026-05-01T10:00:00.123Z",
  actor: { type: "user", id: "usr_ada" },
  target: { type: "app", id: `app_${i}` },
});

describe("all-or-nothing appends", () => {
  it("writes none of a request when one event is refused, and says which", async () => {
    const ledger = await newLedger();
    const before = await ledger.treeSize("acme");
    const results = await ledger.append("acme", [good(1), { ...good(2), actor: { type: "robot" } }, good(3)], {
      allOrNothing: true,
    });
    expect(results.map((r) => r.status)).toEqual(["withheld", "rejected", "withheld"]);
    expect(results[0]?.id).toBe("evt_1");
    expect(await ledger.treeSize("acme")).toBe(before);
    expect(await ledger.findEntry("acme", "evt_1")).toBeUndefined();
    // The same events, corrected, are then written in full.
    const again = await ledger.append("acme", [good(1), good(2), good(3)], { allOrNothing: true });
    expect(again.map((r) => r.status)).toEqual(["created", "created", "created"]);
    expect(await ledger.treeSize("acme")).toBe(before + 3);
  });

  it("leaves ordinary appends partial: one bad event does not block the others", async () => {
    const ledger = await newLedger();
    const results = await ledger.append("acme", [good(1), { ...good(2), actor: { type: "robot" } }]);
    expect(results.map((r) => r.status)).toEqual(["created", "rejected"]);
  });
});
