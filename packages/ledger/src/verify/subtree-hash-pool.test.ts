// The worker-thread SubtreeHasher against core's reference, and whole-log
// verification through it on a real data directory.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashSubtreesNow, LeafPacker, packLeaves, utf8 } from "@trailproof/core";
import { afterAll, describe, expect, it } from "vitest";
import { nodeHasher } from "../node-hasher.js";
import { openDataDir } from "../open-data-dir.js";
import { SubtreeHashPool } from "./subtree-hash-pool.js";
import { tenantLogReport } from "./tenant-log-report.js";

const pool = new SubtreeHashPool({ workers: 2 });
afterAll(() => pool.close());

const leaves = Array.from({ length: 70 }, (_, i) => utf8(`{"i":${i},"pad":"${"p".repeat(i * 7)}"}`));

describe("SubtreeHashPool", () => {
  it("hashes every tiling shape as core's reference does", async () => {
    for (const [first, count] of [
      [0, 1],
      [0, 64],
      [1, 63],
      [5, 37],
      [64, 6],
      [13, 57],
    ] as const) {
      const part = leaves.slice(first, first + count);
      const { nodes, bytes } = await pool.hashSubtrees(first, packLeaves(part));
      expect(nodes).toEqual(hashSubtreesNow(nodeHasher, first, packLeaves(part)));
      // The leaves' buffer comes back whole, for the packer to reuse.
      expect(bytes.length).toBe(packLeaves(part).bytes.length);
    }
  });

  it("changes the leaf hash, and every node above it, for a one-bit change", async () => {
    const part = leaves.slice(0, 8);
    const flipped = part.map((l) => l.slice());
    const five = flipped[5] as Uint8Array;
    five[2] = (five[2] as number) ^ 0x01;
    const a = (await pool.hashSubtrees(0, packLeaves(part))).nodes;
    const b = (await pool.hashSubtrees(0, packLeaves(flipped))).nodes;
    // Layout: 8 leaves, 4, 2, then the root (HashedLeaves).
    const differs = (i: number) => !a.subarray(i * 32, i * 32 + 32).every((v, k) => v === b[i * 32 + k]);
    expect([...Array(15).keys()].filter(differs)).toEqual([5, 10, 13, 14]);
  });

  it("runs batches in parallel and reuses buffers it gives back", async () => {
    const packer = new LeafPacker(16, 64 * 1024);
    const results = [];
    for (let first = 0; first < 64; first += 16) {
      for (const l of leaves.slice(first, first + 16)) packer.add(l);
      results.push(pool.hashSubtrees(first, packer.take()));
    }
    const done = await Promise.all(results);
    done.forEach(({ nodes }, i) => {
      expect(nodes).toEqual(hashSubtreesNow(nodeHasher, i * 16, packLeaves(leaves.slice(i * 16, i * 16 + 16))));
    });
  });

  it("rejects with VERIFY_WORKER_FAILED once closed", async () => {
    const closed = new SubtreeHashPool({ workers: 1 });
    await closed.close();
    await expect(closed.hashSubtrees(0, packLeaves(leaves.slice(0, 1)))).rejects.toMatchObject({
      code: "VERIFY_WORKER_FAILED",
    });
  });
});

describe("tenantLogReport on worker threads", () => {
  it("verifies a real log in small chunks through the pool", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-verify-pool-"));
    const { ledger } = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
    try {
      await ledger.createTenant("acme");
      for (let step = 0; step < 3; step++) {
        const events = Array.from({ length: 9 }, (_, k) => ({
          id: `evt_${step}_${k}`,
          action: "app.update",
          occurred_at: "2026-05-01T10:00:00.123Z",
          actor: { type: "user", id: "usr_ada" },
          target: { type: "app", id: `app_${k}` },
        }));
        await ledger.append("acme", events);
        await ledger.publishCheckpoints();
      }
      const keys = (await ledger.verifierKeys("acme")).map((k) => k.verifier_key);
      const report = await tenantLogReport(ledger.store, nodeHasher, "acme", {
        verifierKeys: keys,
        chunkSize: 5,
        subtreeHasher: pool,
      });
      expect(report).toMatchObject({ ok: true, treeSize: 27, divergences: [] });
      expect(report.checkpoints).toBeGreaterThanOrEqual(3);
    } finally {
      await ledger.close();
    }
  });
});
