// Micro-benchmark of sealing alone: sealEntry (validate, canonicalise, commit
// personal fields, hash) over the bench's events on one thread, no store.
//   node --conditions=@trailproof/source --import tsx bench/seal-throughput.ts [--events 20000] [--rounds 5]
// Without the condition the packages' dist/ runs (build it first: npm run build:packages).
// Compare two trees by running this file in each, back to back, on one machine.
// Rates per CPU second (user + system) are steadier than wall-clock ones on a
// shared machine; both are printed.
import { parseArgs } from "node:util";
import { ActionRegistry, builtinCatalogue } from "@trailproof/core";
import { nodeHasher } from "../packages/ledger/src/node-hasher.js";
import { sealEntry } from "../packages/ledger/src/prepare-entry.js";
import { eventChunks } from "./event-generator.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "20000" },
    rounds: { type: "string", default: "5" },
    label: { type: "string", default: "current tree" },
  },
});
const total = Number(values.events);
const rounds = Number(values.rounds);

// Parsed from JSON text, as the service hands events to the ledger.
const events: unknown[] = [];
for (const chunk of eventChunks(total, { chunkSize: 54_000 })) {
  for (const e of chunk) events.push(JSON.parse(JSON.stringify(e)));
}
const registry = new ActionRegistry(builtinCatalogue);
const receivedMs = Date.UTC(2026, 5, 1);
const appendedBy = { type: "api_key", id: "0123456789abcdef" } as const;
const digestKey = new Uint8Array(32).fill(7);

function sealAll(): number {
  let rejected = 0;
  for (const input of events) {
    const outcome = sealEntry(input, {
      registry,
      unknownActions: "reject",
      hasher: nodeHasher,
      receivedMs,
      appendedBy,
      digestKey,
    });
    if (!("row" in outcome)) rejected++;
  }
  return rejected;
}

// One warm-up round lets V8 optimise the hot path before anything is timed.
const rejected = sealAll();
if (rejected > 0) throw new Error(`${rejected} bench events were rejected; the bench measures valid events`);
const wallRates: number[] = [];
const cpuRates: number[] = [];
for (let r = 0; r < rounds; r++) {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  sealAll();
  const used = process.cpuUsage(cpu);
  wallRates.push(total / (Number(process.hrtime.bigint() - start) / 1e9));
  cpuRates.push(total / ((used.user + used.system) / 1e6));
}
const median = (rates: number[]) => rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)] as number;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
process.stdout.write(
  `${values.label}: sealEntry on one thread, ${fmt(total)} events x ${rounds} rounds, median: ` +
    `${fmt(median(cpuRates))} events per CPU second, ${fmt(median(wallRates))} events/s wall-clock\n`,
);
