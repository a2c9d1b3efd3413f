// The LogStore on PostgreSQL (schema/001-log.ts): tenant-keyed tables, appends sequenced by a row
// lock on the tenant's log head. A commit returns once its WAL is flushed (synchronous_commit = on, the
// default; appends raise `off` to `local`): acknowledged means durable.
import { type NodeId, TrailproofError } from "@trailproof/core";
import type {
  ActionSchemaRow,
  AppendBatch,
  CheckpointRow,
  ErasureRecord,
  ErasureRequest,
  LogStore,
  NewSubjectKey,
  PlainDisclosureRow,
  PrunedRange,
  StoredDisclosure,
  StoredEntry,
  StoredLeaf,
  SubjectKeyRow,
  TenantRecord,
  UnknownActionPolicy,
} from "../log-store.js";
import type { PgSql } from "./postgres-client.js";
import * as erasure from "./postgres-erasure.js";
import { writeBatch } from "./postgres-log-append.js";
import { readNodesIn } from "./postgres-log-nodes.js";
import {
  type CheckpointSqlRow,
  type EntrySqlRow,
  isUniqueViolation,
  type TenantSqlRow,
  toCheckpoint,
  toEntry,
  toLeaf,
  toTenant,
} from "./postgres-log-rows.js";
import { prunePostgresBodies, readPostgresPrunedRanges } from "./postgres-prune-bodies.js";
import { inTenant, TENANT_SETTING } from "./tenant-scope.js";

export interface PostgresLogStoreOptions {
  /** close() ends the pool: only for a store that is the pool's one user (default false). */
  ownsPool?: boolean;
}

const ENTRY_COLUMNS = "idx, event_id, leaf_data, leaf_hash, content_digest, received_ms";

export class PostgresLogStore implements LogStore {
  readonly #sql: PgSql;
  readonly #ownsPool: boolean;

  /**
   * Requires the schema migrated (migratePostgres) and `sql` connected as
   * the app role: row-level security does not hold for the owner.
   */
  constructor(sql: PgSql, options: PostgresLogStoreOptions = {}) {
    this.#sql = sql;
    this.#ownsPool = options.ownsPool ?? false;
  }

  async createTenant(t: Omit<TenantRecord, "tenantId">): Promise<TenantRecord> {
    try {
      // Not inTenant: the id the head row's policy checks exists only once the tenant row does.
      return (await this.#sql.begin(async (tx) => {
        const [row] = await tx<TenantSqlRow[]>`
          INSERT INTO tenants (name, origin, unknown_actions, created_at)
          VALUES (${t.name}, ${t.origin}, ${t.unknownActions}, ${t.createdAt})
          RETURNING tenant_id, name, origin, unknown_actions, created_at`;
        const record = toTenant(row as TenantSqlRow);
        await tx`SELECT set_config(${TENANT_SETTING}, ${String(record.tenantId)}, true)`;
        await tx`INSERT INTO log_heads (tenant_id, size) VALUES (${record.tenantId}, 0)`;
        return record;
      })) as TenantRecord;
    } catch (cause) {
      if (isUniqueViolation(cause)) {
        throw new TrailproofError("TENANT_EXISTS", `tenant ${t.name} or its origin already exists`, { cause });
      }
      throw cause;
    }
  }

  async getTenant(name: string): Promise<TenantRecord | undefined> {
    const [row] = await this.#sql<TenantSqlRow[]>`
      SELECT tenant_id, name, origin, unknown_actions, created_at FROM tenants WHERE name = ${name}`;
    return row && toTenant(row);
  }

  async listTenants(): Promise<TenantRecord[]> {
    const rows = await this.#sql<TenantSqlRow[]>`
      SELECT tenant_id, name, origin, unknown_actions, created_at FROM tenants ORDER BY name`;
    return rows.map(toTenant);
  }

  async setUnknownActions(tenantId: number, policy: UnknownActionPolicy): Promise<void> {
    await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`
      UPDATE tenants SET unknown_actions = ${policy} WHERE tenant_id = ${tenantId}`,
    );
  }

  async treeSize(tenantId: number): Promise<number> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ size: number }[]>`
      SELECT size FROM log_heads WHERE tenant_id = ${tenantId}`,
    );
    if (row === undefined) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant with id ${tenantId}`);
    return row.size;
  }

  async appendBatch(batch: AppendBatch): Promise<void> {
    try {
      await inTenant(this.#sql, batch.tenantId, (tx) => writeBatch(tx, batch));
    } catch (cause) {
      if (isUniqueViolation(cause, "entries_event_id")) {
        throw new TrailproofError(
          "STORE_EVENT_ID_CONFLICT",
          `a batch of tenant ${batch.tenantId} repeats an event id already in its log or in the batch`,
          { cause },
        );
      }
      throw cause;
    }
  }

  async readNodes(tenantId: number, nodes: readonly NodeId[]): Promise<Map<string, Uint8Array>> {
    if (nodes.length === 0) return new Map();
    return inTenant(this.#sql, tenantId, (tx) => readNodesIn(tx, tenantId, nodes));
  }

  async findEntryByEventId(tenantId: number, eventId: string): Promise<StoredEntry | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<EntrySqlRow[]>`
      SELECT ${tx.unsafe(ENTRY_COLUMNS)} FROM entries WHERE tenant_id = ${tenantId} AND event_id = ${eventId}`,
    );
    return row && toEntry(row);
  }

  async findEntriesByEventIds(tenantId: number, eventIds: readonly string[]): Promise<Map<string, StoredEntry>> {
    const out = new Map<string, StoredEntry>();
    if (eventIds.length === 0) return out;
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<EntrySqlRow[]>`
      SELECT ${tx.unsafe(ENTRY_COLUMNS)} FROM entries
      WHERE tenant_id = ${tenantId} AND event_id = ANY(${tx.array([...eventIds], 25)}::text[])`,
    );
    for (const r of rows) out.set(r.event_id, toEntry(r));
    return out;
  }

  async readEntries(tenantId: number, start: number, end: number): Promise<StoredEntry[]> {
    return (await this.#entryRows(tenantId, start, end)).map(toEntry);
  }

  async readLeaves(tenantId: number, start: number, end: number): Promise<StoredLeaf[]> {
    return (await this.#entryRows(tenantId, start, end)).map(toLeaf);
  }

  #entryRows(tenantId: number, start: number, end: number): Promise<EntrySqlRow[]> {
    return inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<EntrySqlRow[]>`
      SELECT ${tx.unsafe(ENTRY_COLUMNS)} FROM entries
      WHERE tenant_id = ${tenantId} AND idx >= ${start} AND idx < ${end} ORDER BY idx`,
    );
  }

  async readDisclosures(tenantId: number, index: number): Promise<StoredDisclosure[]> {
    return this.readDisclosureRange(tenantId, index, index + 1);
  }

  async readDisclosureRange(tenantId: number, start: number, end: number): Promise<StoredDisclosure[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ idx: number; pointer: string; subject: string; sealed: Uint8Array | null }[]>`
      SELECT idx, pointer, subject, sealed FROM disclosures
      WHERE tenant_id = ${tenantId} AND idx >= ${start} AND idx < ${end} ORDER BY idx, pointer`,
    );
    return rows.map((r) => ({ index: r.idx, pointer: r.pointer, subject: r.subject, sealed: r.sealed }));
  }

  readSubjectKeys(tenantId: number, subjects: readonly string[]): Promise<Map<string, SubjectKeyRow>> {
    return erasure.readSubjectKeys(this.#sql, tenantId, subjects);
  }

  listSubjectKeys(tenantId: number): Promise<SubjectKeyRow[]> {
    return erasure.listSubjectKeys(this.#sql, tenantId);
  }

  rewrapSubjectKeys(tenantId: number, rows: readonly { subject: string; wrappedKey: Uint8Array }[]): Promise<void> {
    return erasure.rewrapSubjectKeys(this.#sql, tenantId, rows);
  }

  eraseSubject(tenantId: number, e: ErasureRequest): Promise<{ record: ErasureRecord; created: boolean }> {
    return erasure.eraseSubject(this.#sql, tenantId, e);
  }

  listErasures(tenantId: number): Promise<ErasureRecord[]> {
    return erasure.listErasures(this.#sql, tenantId);
  }

  readPlainDisclosures(tenantId: number, limit: number): Promise<PlainDisclosureRow[]> {
    return erasure.readPlainDisclosures(this.#sql, tenantId, limit);
  }

  replacePlainDisclosures(
    tenantId: number,
    rows: readonly StoredDisclosure[],
    subjectKeys: readonly NewSubjectKey[],
  ): Promise<void> {
    return erasure.replacePlainDisclosures(this.#sql, tenantId, rows, subjectKeys);
  }

  async pruneBodies(tenantId: number, ranges: readonly PrunedRange[]): Promise<void> {
    await inTenant(this.#sql, tenantId, (tx) => prunePostgresBodies(tx, tenantId, ranges));
  }

  async readPrunedRanges(tenantId: number): Promise<PrunedRange[]> {
    return inTenant(this.#sql, tenantId, (tx) => readPostgresPrunedRanges(tx, tenantId));
  }

  /** Rejects a size that already has a checkpoint with STORE_CHECKPOINT_EXISTS. */
  async putCheckpoint(tenantId: number, cp: CheckpointRow): Promise<void> {
    try {
      await inTenant(
        this.#sql,
        tenantId,
        (tx) => tx`
        INSERT INTO checkpoints (tenant_id, tree_size, root_hash, note, signed_at)
        VALUES (${tenantId}, ${cp.treeSize}, ${cp.rootHash}, ${cp.note}, ${cp.signedAt})`,
      );
    } catch (cause) {
      if (isUniqueViolation(cause)) {
        throw new TrailproofError(
          "STORE_CHECKPOINT_EXISTS",
          `tenant ${tenantId} already has a checkpoint of size ${cp.treeSize}`,
          { cause },
        );
      }
      throw cause;
    }
  }

  async latestCheckpoint(tenantId: number): Promise<CheckpointRow | undefined> {
    const [row] = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<CheckpointSqlRow[]>`
      SELECT tree_size, root_hash, note, signed_at FROM checkpoints
      WHERE tenant_id = ${tenantId} ORDER BY tree_size DESC LIMIT 1`,
    );
    return row && toCheckpoint(row);
  }

  async listCheckpoints(tenantId: number): Promise<CheckpointRow[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<CheckpointSqlRow[]>`
      SELECT tree_size, root_hash, note, signed_at FROM checkpoints WHERE tenant_id = ${tenantId} ORDER BY tree_size`,
    );
    return rows.map(toCheckpoint);
  }

  async putActionSchema(tenantId: number, row: ActionSchemaRow): Promise<void> {
    await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx`
      INSERT INTO action_schemas (tenant_id, action, version, definition, registered_at)
      VALUES (${tenantId}, ${row.action}, ${row.version}, ${row.definition}, ${row.registeredAt})`,
    );
  }

  async listActionSchemas(tenantId: number): Promise<ActionSchemaRow[]> {
    const rows = await inTenant(
      this.#sql,
      tenantId,
      (tx) => tx<{ action: string; version: number; definition: string; registered_at: string }[]>`
      SELECT action, version, definition, registered_at FROM action_schemas
      WHERE tenant_id = ${tenantId} ORDER BY action, version`,
    );
    return rows.map((r) => ({
      action: r.action,
      version: r.version,
      definition: r.definition,
      registeredAt: r.registered_at,
    }));
  }

  /** Ends the pool only when this store owns it; a shared pool is its opener's to end. */
  async close(): Promise<void> {
    if (this.#ownsPool) await this.#sql.end({ timeout: 5 });
  }
}
