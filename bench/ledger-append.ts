// Ledger benchmark (issue 2): append N events through the ledger with full
// sealing, verify the whole log, export a bundle and verify it offline.
// Prints events/s for each; a plain SQLite insert of the same rows with the
// same indexes runs in the same process as the ceiling to compare against.
//
//   npm run bench:ledger -- [--events 100000] [--batch 1000] [--concurrency 4]
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { verifyBundle } from "@trailproof/core";
import { bundleLines, Ledger, nodeHasher, verifyTenantLog } from "@trailproof/ledger";
import Database from "better-sqlite3";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";
import { SQLITE_SCHEMA } from "../packages/ledger/src/store/sqlite/sqlite-schema.js";

interface BenchEvent {
  id: string;
  action: string;
  occurred_at: string;
  actor: { type: string; id: string };
  target: { type: string; id: string };
  context?: { session_id?: string; environment?: string };
  automation?: { run_id?: string; workflow_id?: string };
}

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "100000" },
    batch: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "4" },
    keep: { type: "boolean", default: false },
  },
});
const total = Number(values.events);
const batchSize = Number(values.batch);
const concurrency = Number(values.concurrency);
const dir = mkdtempSync(join(tmpdir(), "trailproof-bench-"));

const events = sampleEvents(total, { seed: 7 });
const avgBytes = events.reduce<number>((n, e) => n + JSON.stringify(e).length, 0) / total;
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
const rows: [string, string][] = [];
const record = (name: string, value: string) => {
  rows.push([name, value]);
  process.stderr.write(`${name}: ${value}\n`);
};

process.stderr.write(
  `${total} events, ~${Math.round(avgBytes)} bytes of JSON each, batches of ${batchSize}, ${concurrency} in flight\n`,
);

// Baseline A: the same rows and indexes in SQLite, no canonicalisation, hashing or tree.
{
  const db = new Database(join(dir, "baseline.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec(SQLITE_SCHEMA);
  db.prepare("INSERT INTO tenants (name, origin, unknown_actions, created_at) VALUES ('b', 'b', 'reject', 'x')").run();
  const insert = db.prepare(`INSERT INTO entries (tenant_id, idx, event_id, leaf_data, leaf_hash, content_digest,
    received_ms, occurred_ms, action, kind, category, outcome, risk, actor_type, actor_id, target_type, target_id,
    session_id, run_id, workflow_id, caused_by, environment)
    VALUES (1, ?, ?, ?, x'00', '', ?, ?, ?, 'update', 'configuration', 'success', 'low', ?, ?, ?, ?, ?, ?, ?, NULL, ?)`);
  const insertMany = db.transaction((from: number) => {
    for (let i = from; i < Math.min(from + batchSize, total); i++) {
      const e = events[i] as unknown as BenchEvent;
      insert.run(
        i,
        e.id,
        Buffer.from(JSON.stringify(e)),
        Date.now(),
        Date.parse(e.occurred_at),
        e.action,
        e.actor.type,
        e.actor.id,
        e.target.type,
        e.target.id,
        e.context?.session_id ?? null,
        e.automation?.run_id ?? null,
        e.automation?.workflow_id ?? null,
        e.context?.environment ?? null,
      );
    }
  });
  const t0 = performance.now();
  for (let i = 0; i < total; i += batchSize) insertMany(i);
  record("baseline A (plain SQLite insert, same indexes) events/s", String(rate(total, performance.now() - t0)));
  db.close();
}

const ledger = await Ledger.open({ dataDir: join(dir, "data"), checkpointIntervalMs: 1000 });
await ledger.createTenant("bench");
{
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const from = next;
      next += batchSize;
      const results = await ledger.append("bench", events.slice(from, Math.min(from + batchSize, total)));
      const bad = results.find((r) => r.status !== "created");
      if (bad) throw new Error(`append failed: ${JSON.stringify(bad)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - t0;
  record("trailproof append (validate, seal, index, fsync) events/s", String(rate(total, ms)));
  record("  peak RSS MB", String(Math.round(process.resourceUsage().maxRSS / 1024)));
}
await ledger.publishCheckpoints();
record("checkpoints signed", String((await ledger.checkpoints("bench")).length));
const keys = (await ledger.verifierKeys("bench")).map((k) => k.verifier_key);
{
  const t0 = performance.now();
  const report = await verifyTenantLog(ledger.store, nodeHasher, "bench", { verifierKeys: keys });
  if (!report.ok) throw new Error(`verify failed: ${JSON.stringify(report.divergences.slice(0, 3))}`);
  record("trailproof verify --data (whole log) events/s", String(rate(total, performance.now() - t0)));
}
const bundle = join(dir, "bench.bundle");
{
  const t0 = performance.now();
  await pipeline(
    Readable.from(bundleLines(ledger.store, "bench", await ledger.verifierKeys("bench"))),
    createWriteStream(bundle),
  );
  record("export bundle events/s", String(rate(total, performance.now() - t0)));
  record("  bundle MB", (statSync(bundle).size / 2 ** 20).toFixed(1));
}
{
  const t0 = performance.now();
  const lines = createInterface({ input: createReadStream(bundle), crlfDelay: Number.POSITIVE_INFINITY });
  const report = await verifyBundle(nodeHasher, lines, { verifierKeys: keys });
  if (!report.ok) throw new Error("bundle verify failed");
  record("trailproof verify --bundle events/s", String(rate(total, performance.now() - t0)));
}
{
  const t0 = performance.now();
  const n = 1000;
  for (let i = 0; i < n; i++) await ledger.inclusionProof("bench", (i * 7919) % total, total);
  record("inclusion proof (from stored hashes) µs each", (((performance.now() - t0) * 1000) / n).toFixed(0));
}
await ledger.close();
record("database MB", (statSync(join(dir, "data/trailproof.db")).size / 2 ** 20).toFixed(1));

process.stdout.write(`\n| measure (${total} events) | value |\n|---|---|\n`);
for (const [k, v] of rows) process.stdout.write(`| ${k} | ${v} |\n`);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else process.stdout.write(`\nkept ${dir}\n`);
