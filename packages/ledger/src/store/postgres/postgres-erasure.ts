// The erasure half of the LogStore on PostgreSQL (schema/007-erasure.ts):
// subject keys, crypto-shredding, the erasure records, and sealing the
// clear-text rows of before migration 7. Every statement runs scoped to the
// tenant (row-level security), erasure in one transaction.
import { TrailproofError } from "@trailproof/core";
import { type ErasureSqlRow, type SubjectKeySqlRow, toErasure, toSubjectKey } from "../erasure-rows.js";
import type {
  ErasureRecord,
  ErasureRequest,
  NewSubjectKey,
  PlainDisclosureRow,
  StoredDisclosure,
  SubjectKeyRow,
} from "../log-store.js";
import type { PgSql, PgTx } from "./postgres-client.js";
import { inTenant } from "./tenant-scope.js";

const INT8 = 20;
const TEXT = 25;
const BYTEA = 17;

/** Inserts new keys and checks every sealed value names a live key (LogStore.appendBatch's contract), in `tx`. */
export async function writeSubjectKeys(
  tx: PgTx,
  tenantId: number,
  keys: readonly NewSubjectKey[],
  sealedSubjects: readonly string[],
): Promise<void> {
  if (keys.length > 0) {
    const inserted = await tx<{ subject: string }[]>`
      INSERT INTO subject_keys (tenant_id, subject, wrapped_key, created_ms)
      SELECT ${tenantId}, * FROM unnest(
        ${tx.array(
          keys.map((k) => k.subject),
          TEXT,
        )}::text[], ${tx.array(
          keys.map((k) => k.wrappedKey),
          BYTEA,
        )}::bytea[], ${tx.array(
          keys.map((k) => k.createdMs),
          INT8,
        )}::bigint[])
      ON CONFLICT DO NOTHING RETURNING subject`;
    if (inserted.length !== keys.length) {
      throw new TrailproofError("STORE_SUBJECT_KEY_CONFLICT", "another node created a subject key of this batch first");
    }
  }
  const created = new Set(keys.map((k) => k.subject));
  const others = [...new Set(sealedSubjects)].filter((s) => !created.has(s));
  if (others.length === 0) return;
  // FOR SHARE: an erasure of one of them waits for this batch, or this batch for it.
  const live = await tx<{ subject: string }[]>`
    SELECT subject FROM subject_keys WHERE tenant_id = ${tenantId} AND subject = ANY(${tx.array(others, TEXT)}::text[])
      AND wrapped_key IS NOT NULL FOR SHARE`;
  if (live.length !== others.length) {
    throw new TrailproofError(
      "STORE_SUBJECT_KEY_CONFLICT",
      "a subject of this batch has no live key (erased meanwhile?)",
    );
  }
}

export async function readSubjectKeys(
  sql: PgSql,
  tenantId: number,
  subjects: readonly string[],
): Promise<Map<string, SubjectKeyRow>> {
  const out = new Map<string, SubjectKeyRow>();
  if (subjects.length === 0) return out;
  const rows = await inTenant(
    sql,
    tenantId,
    (tx) => tx<SubjectKeySqlRow[]>`
    SELECT subject, wrapped_key, created_ms, erased_ms, erasure_id FROM subject_keys
    WHERE tenant_id = ${tenantId} AND subject = ANY(${tx.array([...subjects], TEXT)}::text[])`,
  );
  for (const r of rows) out.set(r.subject, toSubjectKey(r));
  return out;
}

export async function listSubjectKeys(sql: PgSql, tenantId: number): Promise<SubjectKeyRow[]> {
  const rows = await inTenant(
    sql,
    tenantId,
    (tx) => tx<SubjectKeySqlRow[]>`
    SELECT subject, wrapped_key, created_ms, erased_ms, erasure_id FROM subject_keys
    WHERE tenant_id = ${tenantId} ORDER BY subject`,
  );
  return rows.map(toSubjectKey);
}

export async function rewrapSubjectKeys(
  sql: PgSql,
  tenantId: number,
  rows: readonly { subject: string; wrappedKey: Uint8Array }[],
): Promise<void> {
  await inTenant(sql, tenantId, async (tx) => {
    for (const r of rows) {
      const done = await tx`
        UPDATE subject_keys SET wrapped_key = ${r.wrappedKey}
        WHERE tenant_id = ${tenantId} AND subject = ${r.subject} AND wrapped_key IS NOT NULL`;
      if (done.count !== 1) {
        throw new TrailproofError("STORE_SUBJECT_KEY_CONFLICT", `subject ${r.subject} has no live key to rewrap`);
      }
    }
  });
}

export async function eraseSubject(
  sql: PgSql,
  tenantId: number,
  request: ErasureRequest,
): Promise<{ record: ErasureRecord; created: boolean }> {
  const { copied, ...e } = request;
  return inTenant(sql, tenantId, async (tx) => {
    // The key row, locked (or created erased): concurrent erasures of one subject take turns.
    await tx`
      INSERT INTO subject_keys (tenant_id, subject, wrapped_key, created_ms, erased_ms, erasure_id)
      VALUES (${tenantId}, ${e.subject}, NULL, ${e.erasedMs}, ${e.erasedMs}, ${e.erasureId})
      ON CONFLICT DO NOTHING`;
    const [key] = await tx<{ wrapped_key: Uint8Array | null }[]>`
      SELECT wrapped_key FROM subject_keys WHERE tenant_id = ${tenantId} AND subject = ${e.subject} FOR UPDATE`;
    const [earlier] = await tx<ErasureSqlRow[]>`
      SELECT * FROM erasures WHERE tenant_id = ${tenantId} AND subject = ${e.subject}`;
    if (earlier) return { record: toErasure(earlier), created: false };
    if (key?.wrapped_key != null) {
      await tx`
        UPDATE subject_keys SET wrapped_key = NULL, erased_ms = ${e.erasedMs}, erasure_id = ${e.erasureId}
        WHERE tenant_id = ${tenantId} AND subject = ${e.subject}`;
    }
    const touched = await tx<{ idx: number }[]>`
      UPDATE disclosures SET sealed = NULL
      WHERE tenant_id = ${tenantId} AND subject = ${e.subject} AND sealed IS NOT NULL RETURNING idx`;
    const record: ErasureRecord = {
      ...e,
      valuesErased: copied?.valuesErased ?? touched.length,
      entriesTouched: copied?.entriesTouched ?? new Set(touched.map((t) => t.idx)).size,
    };
    await tx`
      INSERT INTO erasures (tenant_id, erasure_id, subject, requested_by, approved_by, erased_ms, values_erased, entries_touched)
      VALUES (${tenantId}, ${record.erasureId}, ${record.subject}, ${record.requestedBy}, ${record.approvedBy},
        ${record.erasedMs}, ${record.valuesErased}, ${record.entriesTouched})`;
    return { record, created: true };
  });
}

export async function listErasures(sql: PgSql, tenantId: number): Promise<ErasureRecord[]> {
  const rows = await inTenant(
    sql,
    tenantId,
    (tx) => tx<ErasureSqlRow[]>`
    SELECT * FROM erasures WHERE tenant_id = ${tenantId} ORDER BY erased_ms, erasure_id`,
  );
  return rows.map(toErasure);
}

export async function readPlainDisclosures(sql: PgSql, tenantId: number, limit: number): Promise<PlainDisclosureRow[]> {
  const rows = await inTenant(
    sql,
    tenantId,
    (tx) => tx<{ idx: number; pointer: string; salt: Uint8Array; value: string }[]>`
    SELECT idx, pointer, salt, value FROM plain_disclosures WHERE tenant_id = ${tenantId}
    ORDER BY idx, pointer LIMIT ${limit}`,
  );
  return rows.map((r) => ({ index: r.idx, pointer: r.pointer, salt: r.salt, valueJson: r.value }));
}

export async function replacePlainDisclosures(
  sql: PgSql,
  tenantId: number,
  rows: readonly StoredDisclosure[],
  keys: readonly NewSubjectKey[],
): Promise<void> {
  await inTenant(sql, tenantId, async (tx) => {
    await writeSubjectKeys(tx, tenantId, keys, []);
    for (const r of rows) {
      await tx`INSERT INTO disclosures (tenant_id, idx, pointer, subject, sealed)
        VALUES (${tenantId}, ${r.index}, ${r.pointer}, ${r.subject}, ${r.sealed})`;
      await tx`DELETE FROM plain_disclosures WHERE tenant_id = ${tenantId} AND idx = ${r.index} AND pointer = ${r.pointer}`;
    }
  });
}
