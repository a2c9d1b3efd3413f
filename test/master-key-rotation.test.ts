// `trailproof master-key rotate` on a real data directory: every subject key
// is rewrapped under the new master key; the data opens with the new key and
// no longer with the old; a second run changes nothing.
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMasterKey, openDataDir } from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { trailproof } from "./run-cli.js";

const event = (id: string, actor: string, name: string) => ({
  id,
  action: "app.update",
  occurred_at: "2026-11-05T12:00:00Z",
  actor: { type: "user", id: actor, name },
  target: { type: "app", id: "app_1" },
});

describe("trailproof master-key rotate", () => {
  it("rewraps every subject key, so the data opens with the new key only, and runs again harmlessly", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-rotate-"));
    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0 });
    await data.ledger.createTenant("acme");
    await data.ledger.append("acme", [event("e1", "usr_ada", "Ada"), event("e2", "usr_bob", "Bob")]);
    await data.ledger.close();
    const oldKey = join(dataDir, "master.key");
    const keep = join(mkdtempSync(join(tmpdir(), "trailproof-rotate-keys-")), "old.key");
    copyFileSync(oldKey, keep);
    const newKey = join(mkdtempSync(join(tmpdir(), "trailproof-rotate-keys-")), "new.key");
    createMasterKey(newKey);

    const run = await trailproof(["master-key", "rotate", "--data", dataDir, "--new", newKey]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("acme: 2 subject keys rewrapped, 0 unchanged");

    const withNew = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0, masterKeyFile: newKey });
    expect((await withNew.ledger.disclosures("acme", 0)).map((d) => d.value)).toEqual(["Ada"]);
    await withNew.ledger.close();

    const withOld = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0, masterKeyFile: keep });
    await expect(withOld.ledger.disclosures("acme", 1)).rejects.toMatchObject({ code: "MASTER_KEY_MISMATCH" });
    await withOld.ledger.close();

    // Resumable: what already opens with the new key is left alone.
    const again = await trailproof(["master-key", "rotate", "--data", dataDir, "--old", keep, "--new", newKey]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("acme: 0 subject keys rewrapped, 2 unchanged");
  });
});
