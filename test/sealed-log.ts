// Builds a real sealed log in a temporary data directory for cross-module
// suites: a SQLite file, key files, signed checkpoints at known sizes.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDataDir } from "@trailproof/ledger";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";

export interface SealedLog {
  dataDir: string;
  /** The tenant's own SQLite file (layout 3: tenants/<name>.db). */
  dbPath: string;
  tenant: string;
  verifierKey: string;
}

/** Appends `sizes` events in steps, signing a checkpoint after each step. */
export async function buildSealedLog(steps: readonly number[] = [20, 20]): Promise<SealedLog> {
  const dataDir = mkdtempSync(join(tmpdir(), "trailproof-log-"));
  const tenant = "acme";
  const ledger = (await openDataDir({ dataDir, checkpointIntervalMs: 0 })).ledger;
  await ledger.createTenant(tenant);
  let offset = 0;
  for (const count of steps) {
    const events = sampleEvents(count, {
      seed: offset + 1,
      idPrefix: `evt_${offset}`,
      startMs: Date.UTC(2026, 0, 1) + offset * 60_000,
    });
    // One append per event: each gets its own commit and received_at.
    for (const e of events) {
      const [r] = await ledger.append(tenant, [e]);
      if (r?.status !== "created") throw new Error(`sample event rejected: ${JSON.stringify(r)}`);
    }
    await ledger.publishCheckpoints();
    offset += count;
  }
  const [key] = await ledger.verifierKeys(tenant);
  await ledger.close();
  return {
    dataDir,
    dbPath: join(dataDir, "tenants", `${tenant}.db`),
    tenant,
    verifierKey: key?.verifier_key as string,
  };
}
