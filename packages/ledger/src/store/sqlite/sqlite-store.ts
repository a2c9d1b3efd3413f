// The LogStore on SQLite: tenants in the catalogue file, each tenant's log in
// its own file (sqlite-tenant-files.ts). WAL and synchronous=FULL: a commit
// is fsynced before it returns, so acknowledged means durable; one
// transaction per tenant per group commit, so throughput does not hang on
// one fsync per event.
import { type NodeId, TrailproofError } from "@trailproof/core";
import { type ErasureSqlRow, type SubjectKeySqlRow, toErasure, toSubjectKey } from "../erasure-rows.js";
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
import type { CheckpointStatus } from "./sqlite-checkpointer.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-database.js";
import { pruneSqliteBodies, readSqlitePrunedRanges } from "./sqlite-prune-bodies.js";
import type { SqliteTenantFiles } from "./sqlite-tenant-files.js";

interface TenantRow {
  tenant_id: number;
  name: string;
  origin: string;
  unknown_actions: UnknownActionPolicy;
  created_at: string;
}

interface EntrySqlRow {
  idx: number;
  event_id: string;
  leaf_data: Uint8Array;
  leaf_hash: Uint8Array;
  content_digest: string;
  received_ms: number;
}

interface CheckpointSqlRow {
  tree_size: number;
  root_hash: Uint8Array;
  note: string;
  signed_at: string;
}

const toTenant = (r: TenantRow): TenantRecord => ({
  tenantId: r.tenant_id,
  name: r.name,
  origin: r.origin,
  unknownActions: r.unknown_actions,
  createdAt: r.created_at,
});

const toEntry = (r: EntrySqlRow): StoredEntry => ({
  index: r.idx,
  eventId: r.event_id,
  leafData: r.leaf_data,
  leafHash: r.leaf_hash,
  contentDigest: r.content_digest,
  receivedMs: r.received_ms,
});

const toCheckpoint = (r: CheckpointSqlRow): CheckpointRow => ({
  treeSize: r.tree_size,
  rootHash: r.root_hash,
  note: r.note,
  signedAt: r.signed_at,
});

/** A tenant's open file with its prepared statements and append transaction. */
interface TenantLogFile {
  db: SqliteDatabase;
  s: ReturnType<typeof prepareLogStatements>;
  append: (batch: AppendBatch) => void;
  erase: (erasure: ErasureRequest) => {
    record: ErasureRecord;
    created: boolean;
  };
  rewrap: (rows: readonly { subject: string; wrappedKey: Uint8Array }[]) => void;
  replacePlain: (rows: readonly StoredDisclosure[], keys: readonly NewSubjectKey[]) => void;
}

interface DisclosureSqlRow {
  idx: number;
  pointer: string;
  subject: string;
  sealed: Uint8Array | null;
}

const toDisclosure = (r: DisclosureSqlRow): StoredDisclosure => ({
  index: r.idx,
  pointer: r.pointer,
  subject: r.subject,
  sealed: r.sealed,
});

export class SqliteStore implements LogStore {
  readonly #catalogue: SqliteDatabase;
  readonly #files: SqliteTenantFiles;
  readonly #c: ReturnType<typeof prepareCatalogueStatements>;
  /** tenantId -> open file; tenant names never change, so this never goes stale. */
  readonly #logs = new Map<number, TenantLogFile>();

  /** Requires the catalogue schema applied (open-sqlite-store.ts does it). */
  constructor(catalogue: SqliteDatabase, files: SqliteTenantFiles) {
    this.#catalogue = catalogue;
    this.#files = files;
    this.#c = prepareCatalogueStatements(catalogue);
  }

  /** The tenant's file; throws TENANT_NOT_FOUND for an id the catalogue does not hold. */
  #log(tenantId: number): TenantLogFile {
    let file = this.#logs.get(tenantId);
    if (file === undefined) {
      const row = this.#c.tenantById.get(tenantId) as TenantRow | undefined;
      if (!row) throw new TrailproofError("TENANT_NOT_FOUND", `no tenant with id ${tenantId}`);
      const db = this.#files.get(row.name);
      const s = prepareLogStatements(db);
      const append = db.transaction((b: AppendBatch) => writeBatch(s, b));
      const eraseTx = db.transaction(
        (job: { e: ErasureRequest; out: { record: ErasureRecord; created: boolean }[] }) => {
          job.out.push(eraseSubject(s, job.e));
        },
      );
      const erase = (e: ErasureRequest) => {
        const out: { record: ErasureRecord; created: boolean }[] = [];
        eraseTx({ e, out });
        return out[0] as { record: ErasureRecord; created: boolean };
      };
      const rewrap = db.transaction((rows: readonly { subject: string; wrappedKey: Uint8Array }[]) => {
        for (const r of rows) {
          if (s.rewrapKey.run(r.wrappedKey, r.subject).changes !== 1) {
            throw new TrailproofError("STORE_SUBJECT_KEY_CONFLICT", `subject ${r.subject} has no live key to rewrap`);
          }
        }
      });
      const replacePlainTx = db.transaction(
        ({ rows, keys }: { rows: readonly StoredDisclosure[]; keys: readonly NewSubjectKey[] }) => {
          // Prepared here: plain_disclosures exists only in a file upgraded from layout 3 or below.
          const deletePlain = db.prepare("DELETE FROM plain_disclosures WHERE idx = ? AND pointer = ?");
          for (const k of keys) s.insertSubjectKey.run(k.subject, k.wrappedKey, k.createdMs);
          for (const r of rows) {
            s.insertDisclosure.run(r.index, r.pointer, r.subject, r.sealed);
            deletePlain.run(r.index, r.pointer);
          }
        },
      );
      const replacePlain = (rows: readonly StoredDisclosure[], keys: readonly NewSubjectKey[]) =>
        replacePlainTx({ rows, keys });
      file = { db, s, append, erase, rewrap, replacePlain };
      this.#logs.set(tenantId, file);
    }
    return file;
  }

  /** The tenant file's connection, for the search projection and queries sharing it. */
  tenantDatabase(tenantId: number): SqliteDatabase {
    return this.#log(tenantId).db;
  }

  async createTenant(t: Omit<TenantRecord, "tenantId">): Promise<TenantRecord> {
    if (this.#c.tenantByName.get(t.name) !== undefined) {
      throw new TrailproofError("TENANT_EXISTS", `tenant ${t.name} already exists`);
    }
    // A file left by a tenant whose catalogue row was lost would be adopted
    // with someone else's history: refuse before the catalogue names it.
    const file = this.#files.get(t.name);
    if ((file.prepare("SELECT count(*) AS n FROM entries").get() as { n: number }).n !== 0) {
      throw new TrailproofError("STORE_TENANT_FILE_EXISTS", `${this.#files.pathOf(t.name)} already holds entries`);
    }
    try {
      return toTenant(this.#c.insertTenant.get(t.name, t.origin, t.unknownActions, t.createdAt) as TenantRow);
    } catch (cause) {
      if (String(cause).includes("UNIQUE")) {
        throw new TrailproofError("TENANT_EXISTS", `tenant ${t.name} or its origin already exists`, { cause });
      }
      throw cause;
    }
  }

  async getTenant(name: string): Promise<TenantRecord | undefined> {
    const row = this.#c.tenantByName.get(name) as TenantRow | undefined;
    return row && toTenant(row);
  }

  async listTenants(): Promise<TenantRecord[]> {
    return (this.#c.tenants.all() as TenantRow[]).map(toTenant);
  }

  async setUnknownActions(tenantId: number, policy: UnknownActionPolicy): Promise<void> {
    this.#c.setUnknownActions.run(policy, tenantId);
  }

  async treeSize(tenantId: number): Promise<number> {
    return (this.#log(tenantId).s.size.get() as { size: number }).size;
  }

  async appendBatch(batch: AppendBatch): Promise<void> {
    this.#log(batch.tenantId).append(batch);
  }

  async readNodes(tenantId: number, nodes: readonly NodeId[]): Promise<Map<string, Uint8Array>> {
    const { s } = this.#log(tenantId);
    const out = new Map<string, Uint8Array>();
    const byLevel = new Map<number, number[]>();
    for (const n of nodes) {
      const list = byLevel.get(n.level) ?? [];
      list.push(Number(n.index));
      byLevel.set(n.level, list);
    }
    for (const [level, indexes] of byLevel) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const i of indexes) {
        if (i < min) min = i;
        if (i > max) max = i;
      }
      // Dense runs (verification reads every node of a chunk) take one range
      // scan; scattered ids (a proof's O(log n) nodes) take point lookups.
      if (indexes.length > 8 && max - min < 2 * indexes.length) {
        const rows = (level === 0 ? s.leafHashRange.all(min, max) : s.nodeRange.all(level, min, max)) as {
          idx: number;
          hash: Uint8Array;
        }[];
        const wanted = new Set(indexes);
        for (const r of rows) if (wanted.has(r.idx)) out.set(`${level}:${r.idx}`, r.hash);
        continue;
      }
      for (const index of indexes) {
        const row = (level === 0 ? s.leafHash.get(index) : s.node.get(level, index)) as
          | { hash: Uint8Array }
          | undefined;
        if (row) out.set(`${level}:${index}`, row.hash);
      }
    }
    return out;
  }

  async findEntryByEventId(tenantId: number, eventId: string): Promise<StoredEntry | undefined> {
    const row = this.#log(tenantId).s.entryById.get(eventId) as EntrySqlRow | undefined;
    return row && toEntry(row);
  }

  async findEntriesByEventIds(tenantId: number, eventIds: readonly string[]): Promise<Map<string, StoredEntry>> {
    const out = new Map<string, StoredEntry>();
    if (eventIds.length === 0) return out;
    const rows = this.#log(tenantId).s.entriesByIds.all(JSON.stringify(eventIds)) as EntrySqlRow[];
    for (const r of rows) out.set(r.event_id, toEntry(r));
    return out;
  }

  async readEntries(tenantId: number, start: number, end: number): Promise<StoredEntry[]> {
    return (this.#log(tenantId).s.entries.all(start, end) as EntrySqlRow[]).map(toEntry);
  }

  async readLeaves(tenantId: number, start: number, end: number): Promise<StoredLeaf[]> {
    const rows = this.#log(tenantId).s.leaves.all(start, end) as {
      idx: number;
      leaf_data: Uint8Array;
      leaf_hash: Uint8Array;
      event_id: string;
      received_ms: number;
      content_digest: string;
    }[];
    return rows.map((r) => ({
      index: r.idx,
      leafData: r.leaf_data,
      leafHash: r.leaf_hash,
      eventId: r.event_id,
      receivedMs: r.received_ms,
      contentDigest: r.content_digest,
    }));
  }

  async readDisclosures(tenantId: number, index: number): Promise<StoredDisclosure[]> {
    return (this.#log(tenantId).s.disclosures.all(index) as DisclosureSqlRow[]).map(toDisclosure);
  }

  async readDisclosureRange(tenantId: number, start: number, end: number): Promise<StoredDisclosure[]> {
    return (this.#log(tenantId).s.disclosureRange.all(start, end) as DisclosureSqlRow[]).map(toDisclosure);
  }

  async readSubjectKeys(tenantId: number, subjects: readonly string[]): Promise<Map<string, SubjectKeyRow>> {
    const out = new Map<string, SubjectKeyRow>();
    if (subjects.length === 0) return out;
    const rows = this.#log(tenantId).s.subjectKeysIn.all(JSON.stringify(subjects)) as SubjectKeySqlRow[];
    for (const r of rows) out.set(r.subject, toSubjectKey(r));
    return out;
  }

  async listSubjectKeys(tenantId: number): Promise<SubjectKeyRow[]> {
    return (this.#log(tenantId).s.subjectKeys.all() as SubjectKeySqlRow[]).map(toSubjectKey);
  }

  async rewrapSubjectKeys(
    tenantId: number,
    rows: readonly { subject: string; wrappedKey: Uint8Array }[],
  ): Promise<void> {
    this.#log(tenantId).rewrap(rows);
  }

  async eraseSubject(tenantId: number, erasure: ErasureRequest): Promise<{ record: ErasureRecord; created: boolean }> {
    const file = this.#log(tenantId);
    const result = file.erase(erasure);
    // The WAL still holds the pages as they were before: fold it into the
    // file (secure_delete zeroes what was freed) so the wrapped key is gone now.
    if (result.created) file.db.pragma("wal_checkpoint(TRUNCATE)");
    return result;
  }

  async listErasures(tenantId: number): Promise<ErasureRecord[]> {
    return (this.#log(tenantId).s.erasures.all() as ErasureSqlRow[]).map(toErasure);
  }

  async readPlainDisclosures(tenantId: number, limit: number): Promise<PlainDisclosureRow[]> {
    const { db } = this.#log(tenantId);
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'plain_disclosures'").get();
    if (exists === undefined) return [];
    const rows = db
      .prepare("SELECT idx, pointer, salt, value FROM plain_disclosures ORDER BY idx, pointer LIMIT ?")
      .all(limit) as { idx: number; pointer: string; salt: Uint8Array; value: string }[];
    return rows.map((r) => ({ index: r.idx, pointer: r.pointer, salt: r.salt, valueJson: r.value }));
  }

  async pruneBodies(tenantId: number, ranges: readonly PrunedRange[]): Promise<void> {
    pruneSqliteBodies(this.#log(tenantId).db, ranges);
  }

  async readPrunedRanges(tenantId: number): Promise<PrunedRange[]> {
    return readSqlitePrunedRanges(this.#log(tenantId).db);
  }

  async replacePlainDisclosures(
    tenantId: number,
    rows: readonly StoredDisclosure[],
    subjectKeys: readonly NewSubjectKey[],
  ): Promise<void> {
    const file = this.#log(tenantId);
    file.replacePlain(rows, subjectKeys);
    const left = file.db.prepare("SELECT count(*) AS n FROM plain_disclosures").get() as { n: number };
    if (left.n === 0) {
      file.db.exec("DROP TABLE plain_disclosures");
      file.db.pragma("wal_checkpoint(TRUNCATE)");
    }
  }

  async putCheckpoint(tenantId: number, cp: CheckpointRow): Promise<void> {
    this.#log(tenantId).s.insertCheckpoint.run(cp.treeSize, cp.rootHash, cp.note, cp.signedAt);
  }

  async latestCheckpoint(tenantId: number): Promise<CheckpointRow | undefined> {
    const row = this.#log(tenantId).s.latestCheckpoint.get() as CheckpointSqlRow | undefined;
    return row && toCheckpoint(row);
  }

  async listCheckpoints(tenantId: number): Promise<CheckpointRow[]> {
    return (this.#log(tenantId).s.checkpoints.all() as CheckpointSqlRow[]).map(toCheckpoint);
  }

  async putActionSchema(tenantId: number, row: ActionSchemaRow): Promise<void> {
    this.#log(tenantId).s.insertSchema.run(row.action, row.version, row.definition, row.registeredAt);
  }

  async listActionSchemas(tenantId: number): Promise<ActionSchemaRow[]> {
    const rows = this.#log(tenantId).s.schemas.all() as {
      action: string;
      version: number;
      definition: string;
      registered_at: string;
    }[];
    return rows.map((r) => ({
      action: r.action,
      version: r.version,
      definition: r.definition,
      registeredAt: r.registered_at,
    }));
  }

  /** The durability settings in force on the catalogue and a tenant's file (2 = FULL: each commit is fsynced). */
  durability(tenantId?: number): { journalMode: string; synchronous: number } {
    const db = tenantId === undefined ? this.#catalogue : this.#log(tenantId).db;
    return {
      journalMode: db.pragma("journal_mode", { simple: true }) as string,
      synchronous: db.pragma("synchronous", { simple: true }) as number,
    };
  }

  /** WAL checkpoints run between commits so far, per tenant file. */
  checkpointStatus(): CheckpointStatus[] {
    return this.#files.checkpointStatus();
  }

  async close(): Promise<void> {
    this.#logs.clear();
    this.#files.close();
    this.#catalogue.close();
  }
}

function writeBatch(s: ReturnType<typeof prepareLogStatements>, b: AppendBatch): void {
  const size = (s.size.get() as { size: number }).size;
  if (size !== b.firstIndex) {
    throw new TrailproofError(
      "STORE_SEQUENCE_CONFLICT",
      `tenant ${b.tenantId} is at ${size}, batch starts at ${b.firstIndex}`,
    );
  }
  const created = new Set<string>();
  for (const k of b.subjectKeys ?? []) {
    if (s.subjectKey.get(k.subject) !== undefined) {
      throw new TrailproofError("STORE_SUBJECT_KEY_CONFLICT", `subject ${k.subject} already has a key`);
    }
    s.insertSubjectKey.run(k.subject, k.wrappedKey, k.createdMs);
    created.add(k.subject);
  }
  const live = new Set<string>(created);
  for (const e of b.entries) {
    s.insertEntry.run(e.index, e.eventId, e.leafData, e.leafHash, e.contentDigest, e.receivedMs);
    for (const d of e.disclosures) {
      if (d.sealed !== null && !live.has(d.subject)) {
        const key = s.subjectKey.get(d.subject) as { wrapped_key: Uint8Array | null } | undefined;
        if (key?.wrapped_key == null) {
          throw new TrailproofError("STORE_SUBJECT_KEY_CONFLICT", `subject ${d.subject} has no live key`);
        }
        live.add(d.subject);
      }
      s.insertDisclosure.run(e.index, d.pointer, d.subject, d.sealed);
    }
  }
  for (const n of b.nodes) {
    if (n.level > 0) s.insertNode.run(n.level, Number(n.index), n.hash);
  }
}

function prepareCatalogueStatements(db: SqliteDatabase) {
  const p = (sql: string): SqliteStatement => db.prepare(sql);
  return {
    insertTenant: p("INSERT INTO tenants (name, origin, unknown_actions, created_at) VALUES (?, ?, ?, ?) RETURNING *"),
    tenantByName: p("SELECT * FROM tenants WHERE name = ?"),
    tenantById: p("SELECT * FROM tenants WHERE tenant_id = ?"),
    tenants: p("SELECT * FROM tenants ORDER BY name"),
    setUnknownActions: p("UPDATE tenants SET unknown_actions = ? WHERE tenant_id = ?"),
  };
}

const ENTRY_COLUMNS = "idx, event_id, leaf_data, leaf_hash, content_digest, received_ms";

function prepareLogStatements(db: SqliteDatabase) {
  const p = (sql: string): SqliteStatement => db.prepare(sql);
  return {
    // idx is the rowid: MAX reads the last page of the table, not a scan.
    size: p("SELECT COALESCE(MAX(idx) + 1, 0) AS size FROM entries"),
    insertEntry: p(
      "INSERT INTO entries (idx, event_id, leaf_data, leaf_hash, content_digest, received_ms) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    insertDisclosure: p("INSERT INTO disclosures (idx, pointer, subject, sealed) VALUES (?, ?, ?, ?)"),
    insertSubjectKey: p("INSERT INTO subject_keys (subject, wrapped_key, created_ms) VALUES (?, ?, ?)"),
    subjectKey: p("SELECT * FROM subject_keys WHERE subject = ?"),
    subjectKeys: p("SELECT * FROM subject_keys ORDER BY subject"),
    subjectKeysIn: p("SELECT * FROM subject_keys WHERE subject IN (SELECT value FROM json_each(?))"),
    rewrapKey: p("UPDATE subject_keys SET wrapped_key = ? WHERE subject = ? AND wrapped_key IS NOT NULL"),
    eraseKey: p("UPDATE subject_keys SET wrapped_key = NULL, erased_ms = ?, erasure_id = ? WHERE subject = ?"),
    insertErasedKey: p(
      "INSERT INTO subject_keys (subject, wrapped_key, created_ms, erased_ms, erasure_id) VALUES (?, NULL, ?, ?, ?)",
    ),
    eraseValues: p("UPDATE disclosures SET sealed = NULL WHERE subject = ? AND sealed IS NOT NULL RETURNING idx"),
    insertErasure: p(
      "INSERT INTO erasures (erasure_id, subject, requested_by, approved_by, erased_ms, values_erased, entries_touched) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    erasureBySubject: p("SELECT * FROM erasures WHERE subject = ?"),
    erasures: p("SELECT * FROM erasures ORDER BY erased_ms, erasure_id"),
    insertNode: p("INSERT INTO tree_nodes (level, idx, hash) VALUES (?, ?, ?)"),
    node: p("SELECT hash FROM tree_nodes WHERE level = ? AND idx = ?"),
    leafHash: p("SELECT leaf_hash AS hash FROM entries WHERE idx = ?"),
    leafHashRange: p("SELECT idx, leaf_hash AS hash FROM entries WHERE idx BETWEEN ? AND ?"),
    nodeRange: p("SELECT idx, hash FROM tree_nodes WHERE level = ? AND idx BETWEEN ? AND ?"),
    entryById: p(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE event_id = ?`),
    entriesByIds: p(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE event_id IN (SELECT value FROM json_each(?))`),
    entries: p(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx`),
    leaves: p(
      "SELECT idx, leaf_data, leaf_hash, event_id, received_ms, content_digest FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx",
    ),
    disclosures: p("SELECT idx, pointer, subject, sealed FROM disclosures WHERE idx = ? ORDER BY pointer"),
    disclosureRange: p(
      "SELECT idx, pointer, subject, sealed FROM disclosures WHERE idx >= ? AND idx < ? ORDER BY idx, pointer",
    ),
    insertCheckpoint: p("INSERT INTO checkpoints (tree_size, root_hash, note, signed_at) VALUES (?, ?, ?, ?)"),
    latestCheckpoint: p("SELECT * FROM checkpoints ORDER BY tree_size DESC LIMIT 1"),
    checkpoints: p("SELECT * FROM checkpoints ORDER BY tree_size"),
    insertSchema: p("INSERT INTO action_schemas (action, version, definition, registered_at) VALUES (?, ?, ?, ?)"),
    schemas: p("SELECT * FROM action_schemas ORDER BY action, version"),
  };
}

/** The erasure transaction's body (LogStore.eraseSubject). */
function eraseSubject(
  s: ReturnType<typeof prepareLogStatements>,
  request: ErasureRequest,
): { record: ErasureRecord; created: boolean } {
  const { copied, ...e } = request;
  const earlier = s.erasureBySubject.get(e.subject) as ErasureSqlRow | undefined;
  if (earlier) return { record: toErasure(earlier), created: false };
  const key = s.subjectKey.get(e.subject);
  if (key === undefined) s.insertErasedKey.run(e.subject, e.erasedMs, e.erasedMs, e.erasureId);
  else s.eraseKey.run(e.erasedMs, e.erasureId, e.subject);
  const touched = s.eraseValues.all(e.subject) as { idx: number }[];
  const record: ErasureRecord = {
    ...e,
    valuesErased: copied?.valuesErased ?? touched.length,
    entriesTouched: copied?.entriesTouched ?? new Set(touched.map((t) => t.idx)).size,
  };
  s.insertErasure.run(
    record.erasureId,
    record.subject,
    record.requestedBy,
    record.approvedBy,
    record.erasedMs,
    record.valuesErased,
    record.entriesTouched,
  );
  return { record, created: true };
}
