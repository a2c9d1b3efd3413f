// The logs `npm run bench:growth` ingests into: one data directory per size,
// bulk-built by build-large-log.ts (the fast path: synthetic pre-sealed
// entries, synchronous=OFF), with an operator key for /metrics, and kept
// under --dir so a later run (before and after a store change) reuses them.
// Each measurement runs on a copy, so every run starts from the same log.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { issueApiKey, openDataDir } from "@trailproof/ledger";
import { buildLargeLog } from "./build-large-log.js";
import { progress } from "./stats.js";

export interface GrowthLog {
  dataDir: string;
  /** Entries the bulk build wrote (a reused log also holds what earlier runs appended). */
  builtEvents: number;
  adminKey: string;
  operatorKey: string;
  buildSeconds: number;
  buildEventsPerSecond: number;
  /** True when this run found the log already built. */
  reused: boolean;
}

/** The log of `size` entries under `dir`, built unless a finished one is there. */
export async function growthLog(dir: string, size: number): Promise<GrowthLog> {
  const dataDir = join(dir, `log-${size}`);
  const manifest = join(dir, `log-${size}.json`);
  if (existsSync(manifest)) {
    return { ...(JSON.parse(readFileSync(manifest, "utf8")) as GrowthLog), dataDir, reused: true };
  }
  // A build that was interrupted leaves no manifest: start it again from nothing.
  rmSync(dataDir, { recursive: true, force: true });
  progress(`growth: building a ${size}-entry log in ${dataDir} ...`);
  const built = await buildLargeLog(dataDir, size);
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  const operator = await issueApiKey(data.access, {
    tenantId: null,
    role: "operator",
    name: "growth bench",
    createdBy: "bench",
  });
  await data.ledger.close();
  const log: GrowthLog = {
    dataDir,
    builtEvents: size,
    adminKey: built.adminKey,
    operatorKey: operator.key,
    buildSeconds: built.buildSeconds,
    buildEventsPerSecond: built.buildEventsPerSecond,
    reused: false,
  };
  writeFileSync(manifest, JSON.stringify(log, null, 2));
  return log;
}

/** A fresh copy of `log` to ingest into (replacing an earlier run's), and its removal. */
export function copyGrowthLog(dir: string, log: GrowthLog): { dataDir: string; remove: () => void } {
  const dataDir = join(dir, "run");
  rmSync(dataDir, { recursive: true, force: true });
  cpSync(log.dataDir, dataDir, { recursive: true });
  return { dataDir, remove: () => rmSync(dataDir, { recursive: true, force: true }) };
}
