// Verification throughput: the whole log from the store as `trailproof verify
// --data` checks it (tenantLogReport with the store's derived-row audits and
// the tenant's digest key: the sealed record and every row beside it), and an export bundle written by bundleLines then
// checked offline the way `trailproof verify --bundle` checks it
// (bundleFileReport).
import { createWriteStream, statSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { bundleFileReport, bundleLines, type DataDir, nodeHasher, tenantLogReport } from "@trailproof/ledger";
import { perSecond } from "./stats.js";

export interface VerifyRun {
  treeSize: number;
  wholeLogEventsPerSecond: number;
  exportEventsPerSecond: number | null;
  bundleMb: number | null;
  bundleEventsPerSecond: number | null;
}

export async function runVerify(data: DataDir, tenant: string, bundlePath: string | null): Promise<VerifyRun> {
  const { ledger } = data;
  await ledger.publishCheckpoints();
  await data.settled();
  const records = await ledger.verifierKeys(tenant);
  const keys = records.map((k) => k.verifier_key);
  const digestKey = await ledger.digestKey(tenant);
  let t0 = performance.now();
  const report = await tenantLogReport(ledger.store, nodeHasher, tenant, {
    verifierKeys: keys,
    derived: data.audits,
    digestKey,
  });
  if (!report.ok) throw new Error(`verify failed: ${JSON.stringify(report.divergences.slice(0, 3))}`);
  const whole = perSecond(report.treeSize, performance.now() - t0);
  if (bundlePath === null) {
    return {
      treeSize: report.treeSize,
      wholeLogEventsPerSecond: whole,
      exportEventsPerSecond: null,
      bundleMb: null,
      bundleEventsPerSecond: null,
    };
  }
  t0 = performance.now();
  await pipeline(Readable.from(bundleLines(ledger.store, tenant, records)), createWriteStream(bundlePath));
  const exported = perSecond(report.treeSize, performance.now() - t0);
  t0 = performance.now();
  const bundle = await bundleFileReport(nodeHasher, bundlePath, { verifierKeys: keys });
  if (!bundle.ok) throw new Error("bundle verification failed");
  return {
    treeSize: report.treeSize,
    wholeLogEventsPerSecond: whole,
    exportEventsPerSecond: exported,
    bundleMb: Math.round((statSync(bundlePath).size / 2 ** 20) * 10) / 10,
    bundleEventsPerSecond: perSecond(report.treeSize, performance.now() - t0),
  };
}
