// appendBatch on PostgreSQL: the tenant's head row, locked FOR UPDATE, is
// what sequences appends from every node; the rows go in as a few unnest()
// statements, so a batch of thousands costs a handful of round trips.
import { TrailproofError } from "@trailproof/core";
import type { AppendBatch } from "../log-store.js";
import type { PgTx } from "./postgres-client.js";
import { writeSubjectKeys } from "./postgres-erasure.js";

const INT2 = 21;
const INT8 = 20;
const TEXT = 25;
const BYTEA = 17;

/** What postgres.js serialises as one element of an array parameter. */
type ArrayItem = Parameters<PgTx["array"]>[0][number];

/**
 * Writes `b` in `tx`, which MUST be scoped to b.tenantId (inTenant). Throws
 * TENANT_NOT_FOUND without a head row, STORE_SEQUENCE_CONFLICT when the head
 * is not at b.firstIndex, and STORE_BATCH_INVALID when the entries are not
 * numbered firstIndex, firstIndex + 1, ...: the head would otherwise stop
 * matching the entries. A throw rolls the whole batch back.
 */
export async function writeBatch(tx: PgTx, b: AppendBatch): Promise<void> {
  b.entries.forEach((e, k) => {
    if (e.index !== b.firstIndex + k) {
      throw new TrailproofError(
        "STORE_BATCH_INVALID",
        `entry ${k} of a batch starting at ${b.firstIndex} has index ${e.index}`,
      );
    }
  });
  const [, [head]] = await Promise.all([
    // Acknowledged means durable: a role or database configured with
    // synchronous_commit = off still waits for the local WAL flush here;
    // stronger settings (remote_write, remote_apply) are kept.
    tx`SELECT set_config('synchronous_commit', 'local', true) WHERE current_setting('synchronous_commit') = 'off'`,
    tx<{ size: number }[]>`SELECT size FROM log_heads WHERE tenant_id = ${b.tenantId} FOR UPDATE`,
  ]);
  if (head === undefined) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant with id ${b.tenantId}`);
  if (head.size !== b.firstIndex) {
    throw new TrailproofError(
      "STORE_SEQUENCE_CONFLICT",
      `tenant ${b.tenantId} is at ${head.size}, batch starts at ${b.firstIndex}`,
    );
  }
  if (b.entries.length === 0) return;

  const es = b.entries;
  const ds = es.flatMap((e) => e.disclosures.map((d) => ({ index: e.index, ...d })));
  const ns = b.nodes.filter((n) => n.level > 0);
  const column = <T>(rows: readonly T[], oid: number, value: (row: T) => ArrayItem) => tx.array(rows.map(value), oid);
  // Issued together: postgres.js pipelines a transaction's statements, and
  // the first failure (an event id that repeats) is the one reported.
  const writes = [
    tx`INSERT INTO entries (tenant_id, idx, event_id, leaf_data, leaf_hash, content_digest, received_ms)
      SELECT ${b.tenantId}, * FROM unnest(
        ${column(es, INT8, (e) => e.index)}::bigint[], ${column(es, TEXT, (e) => e.eventId)}::text[],
        ${column(es, BYTEA, (e) => e.leafData)}::bytea[], ${column(es, BYTEA, (e) => e.leafHash)}::bytea[],
        ${column(es, TEXT, (e) => e.contentDigest)}::text[], ${column(es, INT8, (e) => e.receivedMs)}::bigint[])`,
  ];
  if (ds.length > 0) {
    writes.push(tx`INSERT INTO disclosures (tenant_id, idx, pointer, subject, sealed)
      SELECT ${b.tenantId}, * FROM unnest(
        ${column(ds, INT8, (d) => d.index)}::bigint[], ${column(ds, TEXT, (d) => d.pointer)}::text[],
        ${column(ds, TEXT, (d) => d.subject)}::text[], ${column(ds, BYTEA, (d) => d.sealed)}::bytea[])`);
  }
  if (ns.length > 0) {
    writes.push(tx`INSERT INTO tree_nodes (tenant_id, level, idx, hash)
      SELECT ${b.tenantId}, * FROM unnest(
        ${column(ns, INT2, (n) => n.level)}::smallint[], ${column(ns, INT8, (n) => Number(n.index))}::bigint[],
        ${column(ns, BYTEA, (n) => n.hash)}::bytea[])`);
  }
  writes.push(tx`UPDATE log_heads SET size = ${b.firstIndex + es.length} WHERE tenant_id = ${b.tenantId}`);
  await Promise.all(writes);
  // After the entries: a repeated event id is reported as such, not as the key its retry repeats.
  await writeSubjectKeys(
    tx,
    b.tenantId,
    b.subjectKeys ?? [],
    es.flatMap((e) => e.disclosures.filter((d) => d.sealed !== null).map((d) => d.subject)),
  );
}
