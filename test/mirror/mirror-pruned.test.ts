// What a tile mirror holds of entries retention pruned (docs/mirror.md):
// mirrored after the prune, each pruned entry's bundle slot is its stand-in
// (leaf hash and the retention.prune entry listing it), which verify --tiles
// checks and reports; mirrored before, the bodies stay in the full tiles
// already written, which are never rewritten, and the copy still verifies.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDataDir } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { sampleEvents } from "../../apps/server/src/demo/sample-events.js";
import { trailproof } from "../run-cli.js";

const DAY_MS = 86_400_000;

describe("mirroring a pruned log", () => {
  it("carries pruned entries as stand-ins that verify, and never rewrites what it already wrote", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-mirror-pruned-"));
    const work = mkdtempSync(join(tmpdir(), "trailproof-mirror-pruned-out-"));
    const then = Date.now() - 100 * DAY_MS;
    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, now: () => then });
    const t = await data.ledger.createTenant("acme");
    await data.ledger.append("acme", sampleEvents(300, { seed: 5, idPrefix: "old", startMs: then - 60_000 }));
    await data.ledger.publishCheckpoints();
    await data.retention.setRetentionPolicy(
      t.tenantId,
      { defaultKeepDays: 30, rules: [] },
      "test",
      new Date().toISOString(),
    );
    await data.settled();
    const key = (await data.ledger.verifierKeys("acme"))[0]?.verifier_key as string;
    await data.ledger.close();

    const before = join(work, "before");
    expect((await trailproof(["mirror", "--data", dataDir, "--tenant", "acme", "--out", before])).code).toBe(0);

    const pruned = await trailproof(["prune", "--data", dataDir]);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain("acme: pruned 300 entries");
    // Sign the retention.prune entry, so the checkpoint covers what lists the stand-ins.
    expect((await trailproof(["checkpoint", "--data", dataDir, "--tenant", "acme"])).code).toBe(0);

    const after = join(work, "after");
    const mirrored = await trailproof(["mirror", "--data", dataDir, "--tenant", "acme", "--out", after]);
    expect(mirrored.code).toBe(0);
    expect(JSON.parse(mirrored.stdout).pruned).toBe(300);
    const verified = await trailproof(["verify", "--tiles", after, "--key", key]);
    expect(verified.stdout).toMatch(/^OK /);
    expect(verified.stdout).toContain("pruned: 300 entries carried as stand-ins");
    expect(verified.code).toBe(0);

    // The copy made before the prune keeps the bodies of its full tile (never rewritten);
    // the partial bundle past it is written anew with stand-ins, and the whole still verifies.
    const again = await trailproof(["mirror", "--data", dataDir, "--tenant", "acme", "--out", before]);
    expect(again.code).toBe(0);
    const reverified = await trailproof(["verify", "--tiles", before, "--key", key]);
    expect(reverified.code).toBe(0);
    expect(reverified.stdout).toMatch(/pruned: \d+ entries carried as stand-ins/);
    expect(reverified.stdout).not.toContain("pruned: 300 entries");
  }, 90_000);
});
