// The checkpointer: commits checkpoint only as a backstop, the checkpointer
// copies the WAL between them so it keeps restarting, the file is trimmed
// back to its cap, and a process killed while checkpoints run between its
// commits loses no acknowledged commit.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { entryBatch, openCheckpointedStore, TEST_TENANT } from "./sqlite-checkpointer.fixture.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "trailproof-checkpointer-"));
const walBytes = (dir: string) => {
  const wal = join(dir, "tenants", `${TEST_TENANT}.db-wal`);
  return existsSync(wal) ? statSync(wal).size : 0;
};

/** Polls `check` until it holds; fails after `timeoutMs` (a liveness bound, not a speed claim). */
async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("SQLite checkpointer", () => {
  it("checkpoints between commits, never inside one, and keeps the WAL under its cap", async () => {
    const dir = tempDir();
    const truncateBytes = 512 * 1024;
    const { store, tenantId } = await openCheckpointedStore(dir, { thresholdFrames: 32, pollMs: 1, truncateBytes });
    const db = store.tenantDatabase(tenantId);
    // Commits checkpoint only past ten times the threshold, which the checkpointer never lets the WAL reach here.
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(320);
    expect(db.pragma("journal_size_limit", { simple: true })).toBe(truncateBytes);
    expect(store.durability(tenantId)).toEqual({ journalMode: "wal", synchronous: 2 });

    // About 8 MiB over 200 commits, many times the threshold and the cap,
    // with the event loop turning between them as it does between requests.
    let size = 0;
    let largestWal = 0;
    for (let k = 0; k < 200; k++) {
      await store.appendBatch(entryBatch(tenantId, size, 10, 4096));
      size += 10;
      largestWal = Math.max(largestWal, walBytes(dir));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(largestWal).toBeLessThanOrEqual(truncateBytes);
    await eventually(() => (store.checkpointStatus()[0]?.checkpoints ?? 0) > 0, "a checkpoint ran");
    const [status] = store.checkpointStatus();
    expect(status?.path).toBe(join(dir, "tenants", `${TEST_TENANT}.db`));
    expect(status?.error).toBeNull();
    // The WAL restarted after checkpoints and was trimmed: 8 MiB went through a file under 512 KiB.
    expect(walBytes(dir)).toBeLessThanOrEqual(truncateBytes);
    expect(await store.treeSize(tenantId)).toBe(size);
    await store.close();

    const reopened = new Database(join(dir, "tenants", `${TEST_TENANT}.db`), { readonly: true });
    expect(reopened.pragma("integrity_check", { simple: true })).toBe("ok");
    expect((reopened.prepare("SELECT count(*) AS n FROM entries").get() as { n: number }).n).toBe(size);
    reopened.close();
  });

  it("keeps every acknowledged commit when the process is killed while checkpoints run", async () => {
    const dir = tempDir();
    const child = join(import.meta.dirname, "sqlite-checkpointer-crash.fixture.ts");
    let acknowledged = 0;
    // Kill at different moments: a checkpoint runs every few commits, so some land mid-checkpoint.
    for (const [minAcked, extraMs] of [
      [50, 0],
      [120, 3],
      [200, 17],
    ] as const) {
      const proc = spawn(process.execPath, ["--conditions=@trailproof/source", "--import", "tsx", child, dir], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      let killing = false;
      const exited = new Promise<string | null>((resolve) => proc.once("exit", (_code, signal) => resolve(signal)));
      proc.stdout.setEncoding("utf8");
      proc.stdout.on("data", (chunk: string) => {
        out += chunk;
        if (!killing && out.split("\n").length - 2 >= minAcked) {
          killing = true;
          setTimeout(() => proc.kill("SIGKILL"), extraMs);
        }
      });
      expect(await exited).toBe("SIGKILL");
      // Only complete lines were acknowledged; a torn last line was not.
      const lines = out.split("\n").slice(1, -1);
      acknowledged = Math.max(acknowledged, Number(lines[lines.length - 1]));
    }
    // The killed processes had copied pages into the file (it is past its empty size).
    expect(statSync(join(dir, "tenants", `${TEST_TENANT}.db`)).size).toBeGreaterThan(acknowledged * 1024);
    const { store, tenantId, checkpointer } = await openCheckpointedStore(dir, { thresholdFrames: 16 });
    try {
      expect(await store.treeSize(tenantId)).toBeGreaterThanOrEqual(acknowledged);
      const entries = await store.readEntries(tenantId, 0, acknowledged);
      expect(entries.map((e) => e.index)).toEqual(Array.from({ length: acknowledged }, (_, i) => i));
      expect(checkpointer.status()[0]?.error ?? null).toBeNull();
      expect(store.tenantDatabase(tenantId).pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      await store.close();
    }
  }, 60_000);
});
