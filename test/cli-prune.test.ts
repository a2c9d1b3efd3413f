// `trailproof prune --data` as a real process on a real data directory whose
// entries were received 100 days ago (the ledger's clock set back when they
// were appended): it prunes what the tenant's rule says, keeps what a legal
// hold covers, and `trailproof verify --data` then passes, reporting the range.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDataDir } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";
import { trailproof } from "./run-cli.js";

const DAY_MS = 86_400_000;

describe("trailproof prune", () => {
  it("prunes entries past retention, keeps held ones, and the log still verifies", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-cli-prune-"));
    const then = Date.now() - 100 * DAY_MS;
    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, now: () => then });
    const t = await data.ledger.createTenant("acme");
    const results = await data.ledger.append(
      "acme",
      sampleEvents(30, { seed: 3, idPrefix: "old", startMs: then - 60_000 }),
    );
    expect(results.every((r) => r.status === "created")).toBe(true);
    await data.ledger.publishCheckpoints();
    await data.retention.setRetentionPolicy(
      t.tenantId,
      { defaultKeepDays: 30, rules: [] },
      "test",
      new Date().toISOString(),
    );
    await data.retention.insertLegalHold({
      holdId: "hold_ada",
      tenantId: t.tenantId,
      scope: { type: "actor", actorId: "usr_ada" },
      reason: "litigation",
      expiresAt: null,
      placedBy: "test",
      placedAt: new Date().toISOString(),
      liftedBy: null,
      liftedAt: null,
    });
    await data.settled();
    const held = (await data.ledger.readEntries("acme", 0, 30)).filter(
      (e) => JSON.parse(Buffer.from(e.leafData).toString()).actor.id === "usr_ada",
    ).length;
    await data.ledger.close();
    expect(held).toBeGreaterThan(0);

    const pruned = await trailproof(["prune", "--data", dataDir]);
    expect(pruned.stderr).toBe("");
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`acme: pruned ${30 - held} entries`);
    expect(pruned.stdout).toContain(`${held} kept by legal holds`);

    const again = await trailproof(["prune", "--data", dataDir]);
    expect(again.stdout).toBe("acme: nothing to prune\n");

    const verified = await trailproof(["verify", "--data", dataDir]);
    expect(verified.stdout).toMatch(/^OK acme/m);
    expect(verified.stdout).toContain(`pruned: ${30 - held} entries`);
    expect(verified.code).toBe(0);
  }, 60_000);
});
