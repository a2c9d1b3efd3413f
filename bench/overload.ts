// Overload (issue 17): the real service in a child process on a fresh data
// directory. After the closed-loop maximum is measured (on a tenant of its
// own), tenant "trickle" sends a small batch every 200 ms alone (the
// baseline), then again while tenant "flood" offers 5x that maximum open-loop.
// Reports per tenant what was accepted and refused (by status, with or
// without Retry-After) and how fast every answer came; reads every tenant's
// log back to check each acknowledged event is in it, then, with the service
// stopped, runs `trailproof verify`. Ends with PASS/MISS lines.
//
//   npm run bench:overload -- --seconds 60
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { verifyDataDir } from "../test/reliability/verify-data-dir.js";
import { MAX_BATCH, measureClosedLoopMax } from "./closed-loop-max.js";
import { ingestKeyOn, tenantKeysOn, waitForFollowers } from "./http-ingest.js";
import { formatVerdict } from "./load-verdict.js";
import { describeMachine } from "./machine.js";
import { durabilityOf, readLoggedEvents, type TenantDurability } from "./overload-durability.js";
import { parseOverloadOptions } from "./overload-options.js";
import { type Phase, runOverloadPhase, type TenantLoad } from "./overload-phase.js";
import { compareTrickle, durabilityTable, overloadVerdicts, phasesTable } from "./overload-report.js";
import { startServerChild } from "./server-child.js";
import { progress } from "./stats.js";

const o = parseOverloadOptions(process.argv.slice(2));
const startedAt = new Date().toISOString();
const dataDir = join(o.dir, "data");
mkdirSync(dataDir, { recursive: true });
// Removed at the end of a run that completes (unless given or kept); a run that fails leaves it for a look.
progress(`overload: working in ${o.dir}`);
const t0 = performance.now();

const server = await startServerChild({
  dataDir,
  logLevel: o.serverLogLevel,
  ...(process.env.TRAILPROOF_BENCH_CPU_PROF ? { cpuProfDir: process.env.TRAILPROOF_BENCH_CPU_PROF } : {}),
});
let baseline: Phase;
let flood: Phase;
let maximum: Awaited<ReturnType<typeof measureClosedLoopMax>>;
let catchUpSeconds: number | null = null;
let logged: TenantDurability[];
try {
  const calibrationKey = await ingestKeyOn(server, "calibration");
  const { adminKey: floodAdmin, ingestKey: floodKey } = await tenantKeysOn(server, "flood");
  const { adminKey: trickleAdmin, ingestKey: trickleKey } = await tenantKeysOn(server, "trickle");
  progress(`overload: measuring the closed-loop maximum (batches of ${MAX_BATCH}, ${o.measureSeconds} s) ...`);
  maximum = await measureClosedLoopMax(server, calibrationKey, o.measureSeconds, "c");
  const trickle = (tag: string): TenantLoad => ({
    tenant: "trickle",
    key: trickleKey,
    tag,
    offeredEventsPerSecond: (o.trickleEvents * 1000) / o.trickleIntervalMs,
    eventsPerRequest: o.trickleEvents,
    maxSockets: 8,
  });
  progress(`overload: the trickle alone for ${o.baselineSeconds} s ...`);
  baseline = await runOverloadPhase(server, "trickle alone", [trickle("tb")], o.baselineSeconds * 1000, o.timeoutMs);
  const offered = maximum.eventsPerSecond * o.multiple;
  progress(`overload: ${Math.round(offered)} events/s offered by the flood, with the trickle, for ${o.seconds} s ...`);
  flood = await runOverloadPhase(
    server,
    "flood",
    [
      {
        tenant: "flood",
        key: floodKey,
        tag: "fa",
        offeredEventsPerSecond: offered,
        eventsPerRequest: MAX_BATCH,
        maxSockets: o.floodSockets,
      },
      trickle("tf"),
    ],
    o.seconds * 1000,
    o.timeoutMs,
  );
  // verify checks the search projection too: let it finish what was acknowledged.
  const catchUp = performance.now();
  try {
    await waitForFollowers(server, 300_000);
    catchUpSeconds = Math.round(performance.now() - catchUp) / 1000;
    progress(`overload: the search projection caught up in ${catchUpSeconds} s`);
  } catch (err) {
    progress(`overload: ${String(err)}`);
  }
  progress("overload: reading every tenant's log back ...");
  const adminKeys = new Map([
    ["flood", floodAdmin],
    ["trickle", trickleAdmin],
  ]);
  const readStart = performance.now();
  logged = await readLoggedEvents(server, adminKeys, [baseline, flood]);
  progress(`overload: read back in ${Math.round(performance.now() - readStart) / 1000} s`);
} finally {
  await server.close();
}

progress("overload: the service stopped; trailproof verify --data ...");
const phases = [baseline, flood];
const durability = durabilityOf(logged, await verifyDataDir(dataDir));
const trickle = compareTrickle(baseline.tenants[0] as Phase["tenants"][0], flood.tenants[1] as Phase["tenants"][0]);
const verdicts = overloadVerdicts(phases, trickle, durability);
const seconds = Math.round(performance.now() - t0) / 1000;
process.stdout.write(
  [
    `## Overload: ${o.multiple}x the closed-loop maximum (${maximum.eventsPerSecond} events/s, batches of ${MAX_BATCH}) for ${o.seconds} s, beside a trickle of ${o.trickleEvents} events every ${o.trickleIntervalMs} ms`,
    "",
    `service RSS at start ${server.startRssMb} MB; requests time out after ${o.timeoutMs} ms; latency from each request's scheduled send time; the search projection caught up ${catchUpSeconds === null ? "NOT within 300 s" : `${catchUpSeconds} s`} after the flood`,
    "",
    phasesTable(phases),
    "",
    `trickle p99 (every answer): ${trickle.aloneP99Ms.toFixed(1)} ms alone, ${trickle.floodP99Ms.toFixed(1)} ms under the flood: ${trickle.ratio}x`,
    "",
    durabilityTable(durability),
    "",
    `trailproof verify --data: ${durability.verify.ok ? "ok" : "FAILED"}, ${durability.verify.tenants} tenants, ${durability.verify.entries} entries, ${durability.verify.seconds} s`,
    ...durability.verify.problems.slice(0, 10).map((p) => `  ${p.split("\n").slice(0, 3).join(" / ").slice(0, 300)}`),
    "",
    ...verdicts.map(formatVerdict),
    "",
  ].join("\n"),
);
mkdirSync(o.outDir, { recursive: true });
const jsonPath = join(o.outDir, `overload-${startedAt.replaceAll(":", "-").replace(/\.\d+Z$/, "Z")}.json`);
const withoutKinds = (p: Phase) => ({ ...p, tenants: p.tenants.map(({ kinds: _kinds, ...t }) => t) });
writeFileSync(
  jsonPath,
  `${JSON.stringify(
    {
      startedAt,
      command: `npm run bench:overload -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, ""),
      machine: describeMachine(null),
      options: o,
      maximum,
      startRssMb: server.startRssMb,
      phases: phases.map(withoutKinds),
      catchUpSeconds,
      trickle,
      durability,
      verdicts,
      seconds,
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`JSON ${jsonPath}\n`);
if (!o.dirGiven && !o.keep) rmSync(o.dir, { recursive: true, force: true });
else progress(`overload: data directory kept in ${dataDir}`);
