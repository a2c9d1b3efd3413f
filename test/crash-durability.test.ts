// Acknowledged means fsynced: a process appending at full speed is killed
// with SIGKILL at an arbitrary moment, and every event it had acknowledged is
// in the log afterwards, the log verifies, and appending carries on.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ledger, nodeHasher, verifyTenantLog } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";

const child = join(import.meta.dirname, "fixtures/append-until-killed.ts");

async function runAndKill(dataDir: string, killAfterMs: number): Promise<string[]> {
  const proc = spawn(process.execPath, ["--import", "tsx", child, dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  proc.stdout.setEncoding("utf8");
  proc.stdout.on("data", (chunk: string) => {
    out += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    const started = setInterval(() => {
      if (out.startsWith("ready\n")) {
        clearInterval(started);
        setTimeout(() => {
          proc.kill("SIGKILL");
          resolve();
        }, killAfterMs);
      }
    }, 10);
    proc.once("exit", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`child exited early: ${code}`));
    });
  });
  await new Promise((resolve) => proc.once("close", resolve));
  // Only complete lines were acknowledged; a torn last line was not.
  const lines = out.split("\n");
  lines.pop();
  return lines.slice(1).filter((l) => l.length > 0);
}

describe("durability under SIGKILL", () => {
  it("keeps every acknowledged event across repeated kills", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-crash-"));
    const acknowledged: string[] = [];
    for (const killAfterMs of [400, 250, 600]) acknowledged.push(...(await runAndKill(dataDir, killAfterMs)));
    expect(acknowledged.length).toBeGreaterThan(100);

    const ledger = await Ledger.open({ dataDir, checkpointIntervalMs: 0 });
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
      const report = await verifyTenantLog(ledger.store, nodeHasher, "acme", { verifierKeys: keys });
      expect(report.divergences).toEqual([]);
      expect(report.ok).toBe(true);
    } finally {
      await ledger.close();
    }
  }, 60_000);
});
