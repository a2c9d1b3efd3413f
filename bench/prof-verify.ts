import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ledger, nodeHasher, verifyTenantLog } from "@trailproof/ledger";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";

const dir = mkdtempSync(join(tmpdir(), "tp-prof-"));
const ledger = await Ledger.open({ dataDir: dir, checkpointIntervalMs: 0 });
await ledger.createTenant("t");
const ev = sampleEvents(30000);
for (let i = 0; i < ev.length; i += 1000) await ledger.append("t", ev.slice(i, i + 1000));
await ledger.publishCheckpoints();
const keys = (await ledger.verifierKeys("t")).map((k) => k.verifier_key);
const t0 = performance.now();
const r = await verifyTenantLog(ledger.store, nodeHasher, "t", { verifierKeys: keys });
console.log("verify/s", Math.round((30000 / (performance.now() - t0)) * 1000), r.ok);
await ledger.close();
