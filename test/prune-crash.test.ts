// Pruning under SIGKILL (docs/retention.md): a real child process prunes a
// real SQLite data directory and is killed, between the retention.prune
// event and the pruning or anywhere in the run. Afterwards the log either
// has the prune completed or its bodies exactly as before, the next prune
// run completes an unfinished one, and the log verifies.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DataDir, nodeHasher, openDataDir, Pruner, tenantLogReport } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";

const child = join(import.meta.dirname, "fixtures/prune-until-killed.ts");
const NOW = Date.now() + 10 * 86_400_000;
const ENTRIES = 3000;

/** A data directory whose acme log holds ENTRIES events, signed, with a one-day rule for all. */
async function prunableLog(): Promise<{ dataDir: string; bodies: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-prune-crash-"));
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  const t = await data.ledger.createTenant("acme");
  for (let i = 0; i < ENTRIES; i += 500) {
    await data.ledger.append("acme", sampleEvents(500, { seed: i + 1, idPrefix: `b${i}` }));
  }
  await data.ledger.publishCheckpoints();
  await data.retention.setRetentionPolicy(t.tenantId, { defaultKeepDays: 1, rules: [] }, "test", "x");
  await data.settled();
  const bodies = await bodyDigests(data);
  await data.ledger.close();
  return { dataDir, bodies };
}

async function bodyDigests(data: DataDir): Promise<string[]> {
  const entries = await data.ledger.readEntries("acme", 0, ENTRIES);
  return entries.map((e) => createHash("sha256").update(e.leafData).digest("hex"));
}

/** Runs the child and kills it once it printed `line` (plus `extraMs`); what it printed. */
async function runAndKill(dataDir: string, mode: string, line: RegExp, extraMs: number): Promise<string> {
  const proc = spawn(process.execPath, ["--import", "tsx", child, dataDir, mode, String(NOW)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  let killing = false;
  proc.stdout.setEncoding("utf8");
  const exited = new Promise<void>((resolve, reject) => {
    proc.once("exit", (code, signal) =>
      signal === "SIGKILL" ? resolve() : reject(new Error(`child exited: ${code}`)),
    );
  });
  proc.stdout.on("data", (chunk: string) => {
    out += chunk;
    if (!killing && line.test(out)) {
      killing = true;
      setTimeout(() => proc.kill("SIGKILL"), extraMs);
    }
  });
  await exited;
  return out;
}

/** The state after a kill: either no body changed, or exactly the recorded ranges' bodies are gone. */
async function expectAllOrNothing(data: DataDir, before: string[]): Promise<"untouched" | "pruned"> {
  const { tenantId } = await data.ledger.tenantRecord("acme");
  const ranges = await data.ledger.store.readPrunedRanges(tenantId);
  const now = await bodyDigests(data);
  const empty = createHash("sha256").update(new Uint8Array()).digest("hex");
  if (ranges.length === 0) {
    expect(now).toEqual(before);
    return "untouched";
  }
  now.forEach((digest, i) => {
    const inRange = ranges.some((r) => r.start <= i && i < r.end);
    expect(digest, `entry ${i}`).toBe(inRange ? empty : before[i]);
  });
  return "pruned";
}

async function verifies(data: DataDir): Promise<void> {
  await data.ledger.publishCheckpoints();
  await data.settled();
  const keys = (await data.ledger.verifierKeys("acme")).map((k) => k.verifier_key);
  const report = await tenantLogReport(data.ledger.store, nodeHasher, "acme", {
    verifierKeys: keys,
    derived: data.audits,
  });
  expect(report.divergences).toEqual([]);
  expect(report.ok).toBe(true);
}

describe("pruning under SIGKILL", () => {
  it("completes a prune killed between its retention.prune event and the pruning, on the next run", async () => {
    const { dataDir, bodies } = await prunableLog();
    const out = await runAndKill(dataDir, "between", /event \d+\n/, 0);
    const eventIndex = Number(/event (\d+)/.exec(out)?.[1]);
    expect(eventIndex).toBe(ENTRIES);

    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
    try {
      // The event is durable, no body has gone yet: exactly as before.
      expect(await data.ledger.treeSize("acme")).toBe(ENTRIES + 1);
      expect(await expectAllOrNothing(data, bodies)).toBe("untouched");
      await verifies(data);

      const pruner = new Pruner(data.ledger, data.retention);
      expect(await pruner.completePendingPrunes("acme")).toBe(1);
      expect(await expectAllOrNothing(data, bodies)).toBe("pruned");
      const { tenantId } = await data.ledger.tenantRecord("acme");
      expect(await data.ledger.store.readPrunedRanges(tenantId)).toEqual([
        { start: 0, end: ENTRIES, pruneIndex: ENTRIES },
      ]);
      // Nothing is pruned twice: the next run finds nothing pending and nothing due.
      const next = await pruner.run("acme", { nowMs: NOW });
      expect(next).toMatchObject({ completed: 0, entries: 0, pruneIndex: null });
      await verifies(data);
    } finally {
      await data.ledger.close();
    }
  }, 90_000);

  it("leaves the log pruned or exactly as before when killed anywhere in a run, and verifies", async () => {
    for (const extraMs of [0, 15, 60]) {
      const { dataDir, bodies } = await prunableLog();
      await runAndKill(dataDir, "anytime", /pruning\n/, extraMs);
      const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
      try {
        await expectAllOrNothing(data, bodies);
        await verifies(data);
        // Whatever the kill left, the next run brings the log to the prune completed.
        await new Pruner(data.ledger, data.retention).run("acme", { nowMs: NOW });
        expect(await expectAllOrNothing(data, bodies)).toBe("pruned");
        await verifies(data);
      } finally {
        await data.ledger.close();
      }
    }
  }, 180_000);
});
