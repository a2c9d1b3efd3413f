// The 10M-entry log for the proof, verification and export points, built from
// pre-sealed synthetic entries written straight through the store contract
// (LogStore.appendBatches, the way writeEntries does), with the tree extended
// by core's CompactRange. Skipped: validation, canonicalisation, disclosures;
// the leaf data is the generated event with received_at as plain JSON, which
// is all proofs (the tree), verification and export read. Loaded like any
// bulk load: synchronous=OFF, a 1 GiB cache, secondary indexes and search
// tables dropped, then recreated by the store's own schema code at the end.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { hashLeaf, toHex } from "@trailproof/core";
import {
  type AppendBatch,
  type EntryFields,
  nodeHasher,
  openDataDir,
  openSqliteStores,
  provisionTenant,
} from "@trailproof/ledger";
import type { SqliteDatabase } from "../packages/ledger/src/store/sqlite/sqlite-database.js";
import { applySqliteQuerySchema } from "../packages/ledger/src/store/sqlite/sqlite-query-schema.js";
import { SQLITE_SCHEMA } from "../packages/ledger/src/store/sqlite/sqlite-schema.js";
import { loadTenantLog } from "../packages/ledger/src/tenant-log.js";
import { type BenchEvent, eventChunks } from "./event-generator.js";
import { BENCH_TENANT } from "./in-process-append.js";
import { perSecond, progress, Stopwatch } from "./stats.js";

export const LARGE_LOG_NOTE =
  "synthetic pre-sealed entries via LogStore.appendBatches (no validation or canonicalisation), bulk-loaded with synchronous=OFF and indexes built afterwards";

const BATCH = 10_000;

export interface LargeLog {
  dataDir: string;
  events: number;
  adminKey: string;
  buildEventsPerSecond: number;
  buildSeconds: number;
  /** Of buildSeconds: recreating the secondary indexes and search tables. */
  indexSeconds: number;
}

/** Everything on entries but its (tenant_id, idx) key, which sequencing reads: rebuilt by sorting afterwards. */
function dropForLoad(db: SqliteDatabase): void {
  const indexes = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL")
    .all() as { name: string }[];
  for (const { name } of indexes) if (name !== "entries_index") db.exec(`DROP INDEX "${name}"`);
  db.exec(`DROP TRIGGER IF EXISTS entries_fts_insert; DROP TRIGGER IF EXISTS entry_tags_insert;
    DROP TABLE IF EXISTS entries_fts; DROP TABLE IF EXISTS entry_tags;`);
}

function fieldsOf(e: BenchEvent): EntryFields {
  return {
    action: e.action,
    kind: "update",
    category: "configuration",
    outcome: e.outcome?.status ?? "success",
    risk: "low",
    actorType: e.actor.type,
    actorId: e.actor.id,
    targetType: e.target.type,
    targetId: e.target.id,
    sessionId: e.context.session_id ?? null,
    runId: e.automation?.run_id ?? null,
    workflowId: e.automation?.workflow_id ?? null,
    causedBy: e.automation?.caused_by ?? null,
    environment: e.context.environment ?? null,
    triggerId: e.automation?.trigger_id ?? null,
    message: e.message,
    tags: e.tags,
  };
}

export async function buildLargeLog(dataDir: string, total: number): Promise<LargeLog> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The tenant, its admin key and signing key, the ordinary way.
  let data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  const { adminKey } = await provisionTenant(data.ledger, data.access, BENCH_TENANT, { createdBy: "bench" });
  await data.ledger.close();

  const stores = openSqliteStores(join(dataDir, "trailproof.db"));
  stores.db.pragma("synchronous = OFF");
  stores.db.pragma("cache_size = -1048576");
  stores.db.pragma("wal_autocheckpoint = 100000");
  dropForLoad(stores.db);
  const record = await stores.log.getTenant(BENCH_TENANT);
  if (!record) throw new Error("the bench tenant is missing");
  const { range, lastReceivedMs } = await loadTenantLog(stores.log, nodeHasher, record);
  // received_at stays non-decreasing in log order, as the sequencer stamps it.
  let receivedMs = Math.max(Date.now(), lastReceivedMs);
  const watch = new Stopwatch();
  let done = 0;
  for (const chunk of eventChunks(total, { idPrefix: "L" })) {
    await watch.time(async () => {
      for (let from = 0; from < chunk.length; from += BATCH) {
        const batch: AppendBatch = {
          tenantId: record.tenantId,
          firstIndex: Number(range.size),
          entries: [],
          nodes: [],
        };
        for (const e of chunk.slice(from, from + BATCH)) {
          const receivedAt = new Date(receivedMs).toISOString();
          const leafData = Buffer.from(JSON.stringify({ ...e, schema_version: 1, received_at: receivedAt }));
          const leafHash = hashLeaf(nodeHasher, leafData);
          const index = Number(range.size);
          for (const n of range.append(leafHash)) batch.nodes.push(n);
          batch.entries.push({
            index,
            eventId: e.id,
            leafData,
            leafHash,
            contentDigest: toHex(nodeHasher.sha256(leafData)),
            receivedMs,
            occurredMs: Date.parse(e.occurred_at),
            fields: fieldsOf(e),
            disclosures: [],
          });
          if (index % 100 === 0) receivedMs++;
        }
        await stores.log.appendBatches([batch]);
      }
    });
    done += chunk.length;
    progress(`  large log: ${done} / ${total} (${perSecond(done, watch.ms)} events/s)`);
  }
  progress("  large log: building indexes and search tables ...");
  const indexWatch = new Stopwatch();
  await indexWatch.time(() => {
    stores.db.exec(SQLITE_SCHEMA);
    applySqliteQuerySchema(stores.db);
  });
  await stores.log.close();

  // A checkpoint over all of it, signed the ordinary way.
  data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  await data.ledger.treeSize(BENCH_TENANT);
  await data.ledger.publishCheckpoints();
  await data.ledger.close();
  return {
    dataDir,
    events: total,
    adminKey,
    buildEventsPerSecond: perSecond(total, watch.ms + indexWatch.ms),
    buildSeconds: Math.round((watch.ms + indexWatch.ms) / 1000),
    indexSeconds: Math.round(indexWatch.ms / 1000),
  };
}
