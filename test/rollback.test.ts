// Rollback: an older backup restored (or a tail deleted with its checkpoints
// and nodes) is a log that verifies on its own. What catches it is a
// checkpoint published before: the one the service records outside the
// database (checked at start), and any given to `verify` (files, a witness).
import { copyFileSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasErrorCode } from "@trailproof/core";
import {
  FileKeyVault,
  nodeHasher,
  openDataDir,
  openSqliteStores,
  PublishedCheckpointRecord,
  type RollbackNotice,
  SigningKeyStore,
  tenantLogReport,
  type VerifyReport,
} from "@trailproof/ledger";
import { describe, expect, it } from "vitest";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";

const TENANT = "acme";

async function appendAndPublish(dataDir: string, from: number, count: number, create = false): Promise<void> {
  const { ledger } = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  if (create) await ledger.createTenant(TENANT);
  const events = sampleEvents(count, { seed: from + 1, idPrefix: `evt_${from}`, startMs: Date.UTC(2026, 0, 1) });
  for (const r of await ledger.append(TENANT, events)) expect(r.status).toBe("created");
  await ledger.publishCheckpoints();
  await ledger.close();
}

/** A log of 40 entries that published a checkpoint at 40, whose file is then replaced by its backup taken at 30. */
async function restoredOlderBackup(): Promise<{ dataDir: string; published: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-rollback-"));
  const file = join(dataDir, "tenants", `${TENANT}.db`);
  await appendAndPublish(dataDir, 0, 30, true);
  copyFileSync(file, `${file}.backup`);
  await appendAndPublish(dataDir, 30, 10);
  const { ledger } = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  const published = (await ledger.published.read(TENANT)) as string;
  await ledger.close();
  expect(published.split("\n")[1]).toBe("40");
  for (const f of readdirSync(join(dataDir, "tenants"))) {
    expect(f.endsWith("-wal") || f.endsWith("-shm")).toBe(false);
  }
  copyFileSync(`${file}.backup`, file);
  return { dataDir, published };
}

async function verify(dataDir: string, published: string[] = []): Promise<VerifyReport> {
  const { log: store, audits } = openSqliteStores(dataDir);
  try {
    const keys = new SigningKeyStore(new FileKeyVault(join(dataDir, "keys")), nodeHasher);
    const verifierKeys = (await keys.verifiers(TENANT)).map((k) => k.verifier_key);
    return await tenantLogReport(store, nodeHasher, TENANT, { verifierKeys, derived: audits, published });
  } finally {
    await store.close();
  }
}

describe("a rolled-back log", () => {
  it("verifies on its own, and fails against the checkpoint it published", async () => {
    const { dataDir, published } = await restoredOlderBackup();
    expect((await verify(dataDir)).ok).toBe(true);
    const report = await verify(dataDir, [published]);
    expect(report.ok).toBe(false);
    expect(report.divergences).toEqual([
      {
        kind: "CHECKPOINT_ROLLBACK",
        index: 30,
        message: "the log has 30 entries, fewer than the 40 of a checkpoint it published: it was rolled back",
      },
    ]);
  });

  it("is refused at start, and opened only when forced, which keeps the old record", async () => {
    const { dataDir } = await restoredOlderBackup();
    await expect(openDataDir({ dataDir, checkpointIntervalMs: 0 })).rejects.toSatisfy(
      (e) =>
        hasErrorCode(e, "LOG_ROLLED_BACK") && /holds 30 entries, but it published a checkpoint of 40/.test(String(e)),
    );
    const forced: RollbackNotice[] = [];
    const data = await openDataDir({
      dataDir,
      checkpointIntervalMs: 0,
      forceRollback: true,
      onForcedRollback: (n) => forced.push(n),
    });
    expect(forced).toEqual([
      { tenant: TENANT, publishedSize: 40, treeSize: 30, kind: "truncated", keptAt: expect.any(String) },
    ]);
    expect(existsSync(forced[0]?.keptAt as string)).toBe(true);
    await data.ledger.close();
    // Accepted once: the next start is not refused again.
    await (await openDataDir({ dataDir, checkpointIntervalMs: 0 })).ledger.close();
  });

  it("that regrew past the published size is a fork, caught at start and by verify", async () => {
    const { dataDir, published } = await restoredOlderBackup();
    await (await openDataDir({ dataDir, checkpointIntervalMs: 0, forceRollback: true })).ledger.close();
    // Other entries where the published ones were: longer than 40 now, and different.
    await appendAndPublish(dataDir, 100, 15);
    // The record as a service that published 40 had left it (say, copied back with the keys).
    await new PublishedCheckpointRecord(new FileKeyVault(join(dataDir, "keys"))).record(TENANT, published);
    await expect(openDataDir({ dataDir, checkpointIntervalMs: 0 })).rejects.toSatisfy(
      (e) => hasErrorCode(e, "LOG_ROLLED_BACK") && /differs from the checkpoint of size 40/.test(String(e)),
    );
    const report = await verify(dataDir, [published]);
    expect(report.ok).toBe(false);
    expect(report.divergences.map((d) => d.kind)).toContain("CHECKPOINT_ROLLBACK");
    expect(report.divergences.find((d) => d.kind === "CHECKPOINT_ROLLBACK")?.message).toBe(
      "the log's root at size 40 differs from the checkpoint it published at that size: it was replaced or forked",
    );
  });
});
