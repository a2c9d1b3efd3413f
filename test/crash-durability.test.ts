// Acknowledged means fsynced: a process appending at full speed is killed
// with SIGKILL while it writes, and every event it had acknowledged is
// in the log afterwards, the log verifies, and appending carries on.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeHasher, openDataDir, tenantLogReport } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";

const child = join(import.meta.dirname, "fixtures/append-until-killed.ts");

/** Starts the child, kills it with SIGKILL `extraMs` after it acknowledged `minAcked` events. */
async function runAndKill(dataDir: string, minAcked: number, extraMs: number, mode = "steady"): Promise<string[]> {
  const proc = spawn(process.execPath, ["--import", "tsx", child, dataDir, mode], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  let killing = false;
  proc.stdout.setEncoding("utf8");
  const exited = new Promise<void>((resolve, reject) => {
    proc.once("exit", (code, signal) =>
      signal === "SIGKILL" ? resolve() : reject(new Error(`child exited early: ${code}`)),
    );
  });
  proc.stdout.on("data", (chunk: string) => {
    out += chunk;
    // Count acknowledgements, not milliseconds: the machine may be slow.
    if (!killing && out.split("\n").length - 2 >= minAcked) {
      killing = true;
      setTimeout(() => proc.kill("SIGKILL"), extraMs);
    }
  });
  await exited;
  // Only complete lines were acknowledged; a torn last line was not.
  const lines = out.split("\n");
  lines.pop();
  return lines.slice(1).filter((l) => l.length > 0);
}

describe("durability under SIGKILL", () => {
  it("keeps every acknowledged event across repeated kills", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-crash-"));
    const acknowledged: string[] = [];
    // Kill at different moments relative to the stream: right away, and mid-way through a commit.
    for (const extraMs of [0, 7, 23]) acknowledged.push(...(await runAndKill(dataDir, 150, extraMs)));
    expect(acknowledged.length).toBeGreaterThanOrEqual(450);

    const ledger = (await openDataDir({ dataDir, checkpointIntervalMs: 0 })).ledger;
    try {
      for (const id of acknowledged) {
        expect(await ledger.findEntry("acme", id), `acknowledged event ${id} was lost`).toBeDefined();
      }
      const size = await ledger.treeSize("acme");
      expect(size).toBeGreaterThanOrEqual(acknowledged.length);
      await ledger.append("acme", [
        {
          action: "app.update",
          occurred_at: new Date().toISOString(),
          actor: { type: "user", id: "u" },
          target: { type: "app", id: "a" },
        },
      ]);
      await ledger.publishCheckpoints();
      const keys = (await ledger.verifierKeys("acme")).map((k) => k.verifier_key);
      const report = await tenantLogReport(ledger.store, nodeHasher, "acme", { verifierKeys: keys });
      expect(report.divergences).toEqual([]);
      expect(report.ok).toBe(true);
    } finally {
      await ledger.close();
    }
  }, 60_000);

  it("keeps every acknowledged event at full speed, and the search projection recovers to cover the log", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-crash-fast-"));
    const acknowledged: string[] = [];
    for (const extraMs of [0, 11, 37]) acknowledged.push(...(await runAndKill(dataDir, 1000, extraMs, "full-speed")));
    expect(acknowledged.length).toBeGreaterThanOrEqual(3000);

    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
    try {
      const found = await data.ledger.store.findEntriesByEventIds(
        (await data.ledger.tenantRecord("acme")).tenantId,
        acknowledged,
      );
      expect(
        acknowledged.filter((id) => !found.has(id)),
        "acknowledged events lost",
      ).toEqual([]);
      await data.settled();
      const acme = await data.ledger.tenantRecord("acme");
      const size = await data.ledger.treeSize("acme");
      const stats = await data.query.stats(acme.tenantId, {}, { bucket: "week" });
      expect(stats.total).toBe(size);
      const keys = (await data.ledger.verifierKeys("acme")).map((k) => k.verifier_key);
      const report = await tenantLogReport(data.ledger.store, nodeHasher, "acme", { verifierKeys: keys });
      expect(report.divergences).toEqual([]);
    } finally {
      await data.ledger.close();
    }
  }, 120_000);
});
