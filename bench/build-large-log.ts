// The 10M-entry log for the proof, verification and export points, built from
// pre-sealed synthetic entries written straight through the store contract
// (LogStore.appendBatch, the way writeEntries does), with the tree extended
// by core's CompactRange. Skipped: validation, canonicalisation, disclosures;
// the leaf data is the generated event with received_at (and the kind,
// category and risk the registry would add) as plain JSON, which is all
// proofs (the tree), verification, search and export read. Loaded like any
// bulk load: synchronous=OFF and a 1 GiB cache on the tenant's file; the
// search projection is then built by the store's own search follower.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { hashLeaf, toHex } from "@trailproof/core";
import {
  type AppendBatch,
  DigestKeyStore,
  FileKeyVault,
  nodeHasher,
  openDataDir,
  openSqliteStores,
  provisionTenant,
} from "@trailproof/ledger";
import { loadTenantLog } from "../packages/ledger/src/tenant-log.js";
import { eventChunks } from "./event-generator.js";
import { BENCH_TENANT } from "./in-process-append.js";
import { perSecond, progress, Stopwatch } from "./stats.js";

export const LARGE_LOG_NOTE =
  "synthetic pre-sealed entries via LogStore.appendBatch (no validation or canonicalisation), bulk-loaded with synchronous=OFF, then projected for search by the search follower";

const BATCH = 10_000;

export interface LargeLog {
  dataDir: string;
  events: number;
  adminKey: string;
  buildEventsPerSecond: number;
  buildSeconds: number;
  /** Of buildSeconds: the search follower projecting the whole log. */
  indexSeconds: number;
}

export async function buildLargeLog(dataDir: string, total: number): Promise<LargeLog> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // The tenant, its admin key and signing key, the ordinary way.
  let data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  const { adminKey } = await provisionTenant(data.ledger, data.access, BENCH_TENANT, { createdBy: "bench" });
  await data.ledger.close();

  const stores = openSqliteStores(dataDir);
  const record = await stores.log.getTenant(BENCH_TENANT);
  if (!record) throw new Error("the bench tenant is missing");
  const db = stores.log.tenantDatabase(record.tenantId);
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -1048576");
  db.pragma("wal_autocheckpoint = 100000");
  const digestKeys = new DigestKeyStore(new FileKeyVault(join(dataDir, "keys")));
  const { range, lastReceivedMs } = await loadTenantLog(stores.log, nodeHasher, record, digestKeys);
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
          const committed = { ...e, kind: "update", category: "configuration", risk: "low" };
          const leafData = Buffer.from(JSON.stringify({ ...committed, schema_version: 1, received_at: receivedAt }));
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
            disclosures: [],
          });
          if (index % 100 === 0) receivedMs++;
        }
        await stores.log.appendBatch(batch);
      }
    });
    done += chunk.length;
    progress(`  large log: ${done} / ${total} (${perSecond(done, watch.ms)} events/s)`);
  }
  await stores.log.close();

  // The search projection, by the follower the service runs, and a
  // checkpoint over all of it, signed the ordinary way.
  progress("  large log: projecting for search ...");
  data = await openDataDir({ dataDir, checkpointIntervalMs: 0 });
  const indexWatch = new Stopwatch();
  await indexWatch.time(() => data.settled());
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
