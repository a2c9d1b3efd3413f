// The LogStore on SQLite: WAL, synchronous=FULL (a commit is fsynced before
// it returns, so acknowledged means durable), one writer, and one
// transaction per group commit so throughput does not hang on one fsync per event.
import { type JsonValue, type NodeId, TrailproofError } from "@trailproof/core";
import type {
  ActionSchemaRow,
  AppendBatch,
  CheckpointRow,
  LogStore,
  StoredEntry,
  TenantRecord,
  UnknownActionPolicy,
} from "../log-store.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-database.js";
import { SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from "./sqlite-schema.js";

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

export class SqliteStore implements LogStore {
  readonly #db: SqliteDatabase;
  readonly #s: ReturnType<typeof prepareStatements>;
  readonly #appendTx: (batches: readonly AppendBatch[]) => void;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    db.pragma("cache_size = -65536");
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SQLITE_SCHEMA_VERSION) {
      throw new TrailproofError(
        "STORE_SCHEMA_TOO_NEW",
        `database schema ${version} is newer than this build understands`,
      );
    }
    db.exec(SQLITE_SCHEMA);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
    this.#s = prepareStatements(db);
    this.#appendTx = db.transaction((batches: readonly AppendBatch[]) => {
      for (const b of batches) this.#writeBatch(b);
    });
  }

  #writeBatch(b: AppendBatch): void {
    const s = this.#s;
    const size = (s.size.get(b.tenantId) as { size: number }).size;
    if (size !== b.firstIndex) {
      throw new TrailproofError(
        "STORE_SEQUENCE_CONFLICT",
        `tenant ${b.tenantId} is at ${size}, batch starts at ${b.firstIndex}`,
      );
    }
    for (const e of b.entries) {
      const f = e.fields;
      s.insertEntry.run(
        b.tenantId,
        e.index,
        e.eventId,
        e.leafData,
        e.leafHash,
        e.contentDigest,
        e.receivedMs,
        e.occurredMs,
        f.action,
        f.kind,
        f.category,
        f.outcome,
        f.risk,
        f.actorType,
        f.actorId,
        f.targetType,
        f.targetId,
        f.sessionId,
        f.runId,
        f.workflowId,
        f.causedBy,
        f.environment,
        f.triggerId,
        f.message,
        f.tags.length > 0 ? JSON.stringify(f.tags) : null,
      );
      for (const d of e.disclosures) {
        s.insertDisclosure.run(b.tenantId, e.index, d.pointer, d.salt, JSON.stringify(d.value));
      }
    }
    for (const n of b.nodes) {
      if (n.level > 0) s.insertNode.run(b.tenantId, n.level, Number(n.index), n.hash);
    }
  }

  async createTenant(t: Omit<TenantRecord, "tenantId">): Promise<TenantRecord> {
    try {
      return toTenant(this.#s.insertTenant.get(t.name, t.origin, t.unknownActions, t.createdAt) as TenantRow);
    } catch (cause) {
      if (String(cause).includes("UNIQUE")) {
        throw new TrailproofError("TENANT_EXISTS", `tenant ${t.name} already exists`, { cause });
      }
      throw cause;
    }
  }

  async getTenant(name: string): Promise<TenantRecord | undefined> {
    const row = this.#s.tenantByName.get(name) as TenantRow | undefined;
    return row && toTenant(row);
  }

  async listTenants(): Promise<TenantRecord[]> {
    return (this.#s.tenants.all() as TenantRow[]).map(toTenant);
  }

  async setUnknownActions(tenantId: number, policy: UnknownActionPolicy): Promise<void> {
    this.#s.setUnknownActions.run(policy, tenantId);
  }

  async treeSize(tenantId: number): Promise<number> {
    return (this.#s.size.get(tenantId) as { size: number }).size;
  }

  async appendBatches(batches: readonly AppendBatch[]): Promise<void> {
    this.#appendTx(batches);
  }

  async readNodes(tenantId: number, nodes: readonly NodeId[]): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    const byLevel = new Map<number, number[]>();
    for (const n of nodes) {
      const list = byLevel.get(n.level) ?? [];
      list.push(Number(n.index));
      byLevel.set(n.level, list);
    }
    for (const [level, indexes] of byLevel) {
      const min = Math.min(...indexes);
      const max = Math.max(...indexes);
      // Dense runs (verification reads every node of a chunk) take one range
      // scan; scattered ids (a proof's O(log n) nodes) take point lookups.
      if (indexes.length > 8 && max - min < 2 * indexes.length) {
        const rows = (
          level === 0 ? this.#s.leafHashRange.all(tenantId, min, max) : this.#s.nodeRange.all(tenantId, level, min, max)
        ) as { idx: number; hash: Uint8Array }[];
        const wanted = new Set(indexes);
        for (const r of rows) if (wanted.has(r.idx)) out.set(`${level}:${r.idx}`, r.hash);
        continue;
      }
      for (const index of indexes) {
        const row = (level === 0 ? this.#s.leafHash.get(tenantId, index) : this.#s.node.get(tenantId, level, index)) as
          | { hash: Uint8Array }
          | undefined;
        if (row) out.set(`${level}:${index}`, row.hash);
      }
    }
    return out;
  }

  async findEntryByEventId(tenantId: number, eventId: string): Promise<StoredEntry | undefined> {
    const row = this.#s.entryById.get(tenantId, eventId) as EntrySqlRow | undefined;
    return row && toEntry(row);
  }

  async readEntries(tenantId: number, start: number, end: number): Promise<StoredEntry[]> {
    return (this.#s.entries.all(tenantId, start, end) as EntrySqlRow[]).map(toEntry);
  }

  async readDisclosures(tenantId: number, index: number) {
    const rows = this.#s.disclosures.all(tenantId, index) as { pointer: string; salt: Uint8Array; value: string }[];
    return rows.map((r) => ({ pointer: r.pointer, salt: r.salt, value: JSON.parse(r.value) as JsonValue }));
  }

  async putCheckpoint(tenantId: number, cp: CheckpointRow): Promise<void> {
    this.#s.insertCheckpoint.run(tenantId, cp.treeSize, cp.rootHash, cp.note, cp.signedAt);
  }

  async latestCheckpoint(tenantId: number): Promise<CheckpointRow | undefined> {
    const row = this.#s.latestCheckpoint.get(tenantId) as CheckpointSqlRow | undefined;
    return row && toCheckpoint(row);
  }

  async listCheckpoints(tenantId: number): Promise<CheckpointRow[]> {
    return (this.#s.checkpoints.all(tenantId) as CheckpointSqlRow[]).map(toCheckpoint);
  }

  async putActionSchema(tenantId: number, row: ActionSchemaRow): Promise<void> {
    this.#s.insertSchema.run(tenantId, row.action, row.version, row.definition, row.registeredAt);
  }

  async listActionSchemas(tenantId: number): Promise<ActionSchemaRow[]> {
    const rows = this.#s.schemas.all(tenantId) as {
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

  /** The durability settings in force on this connection (2 = FULL: each commit is fsynced). */
  durability(): { journalMode: string; synchronous: number } {
    return {
      journalMode: this.#db.pragma("journal_mode", { simple: true }) as string,
      synchronous: this.#db.pragma("synchronous", { simple: true }) as number,
    };
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

interface CheckpointSqlRow {
  tree_size: number;
  root_hash: Uint8Array;
  note: string;
  signed_at: string;
}

const toCheckpoint = (r: CheckpointSqlRow): CheckpointRow => ({
  treeSize: r.tree_size,
  rootHash: r.root_hash,
  note: r.note,
  signedAt: r.signed_at,
});

function prepareStatements(db: SqliteDatabase) {
  const p = (sql: string): SqliteStatement => db.prepare(sql);
  return {
    insertTenant: p("INSERT INTO tenants (name, origin, unknown_actions, created_at) VALUES (?, ?, ?, ?) RETURNING *"),
    tenantByName: p("SELECT * FROM tenants WHERE name = ?"),
    tenants: p("SELECT * FROM tenants ORDER BY name"),
    setUnknownActions: p("UPDATE tenants SET unknown_actions = ? WHERE tenant_id = ?"),
    size: p("SELECT COALESCE(MAX(idx) + 1, 0) AS size FROM entries WHERE tenant_id = ?"),
    insertEntry: p(`INSERT INTO entries (tenant_id, idx, event_id, leaf_data, leaf_hash, content_digest, received_ms,
      occurred_ms, action, kind, category, outcome, risk, actor_type, actor_id, target_type, target_id, session_id,
      run_id, workflow_id, caused_by, environment, trigger_id, message, tags)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    insertDisclosure: p("INSERT INTO disclosures (tenant_id, idx, pointer, salt, value) VALUES (?, ?, ?, ?, ?)"),
    insertNode: p("INSERT INTO tree_nodes (tenant_id, level, idx, hash) VALUES (?, ?, ?, ?)"),
    node: p("SELECT hash FROM tree_nodes WHERE tenant_id = ? AND level = ? AND idx = ?"),
    leafHash: p("SELECT leaf_hash AS hash FROM entries WHERE tenant_id = ? AND idx = ?"),
    leafHashRange: p("SELECT idx, leaf_hash AS hash FROM entries WHERE tenant_id = ? AND idx BETWEEN ? AND ?"),
    nodeRange: p("SELECT idx, hash FROM tree_nodes WHERE tenant_id = ? AND level = ? AND idx BETWEEN ? AND ?"),
    entryById: p(
      "SELECT idx, event_id, leaf_data, leaf_hash, content_digest, received_ms FROM entries WHERE tenant_id = ? AND event_id = ?",
    ),
    entries: p(
      "SELECT idx, event_id, leaf_data, leaf_hash, content_digest, received_ms FROM entries WHERE tenant_id = ? AND idx >= ? AND idx < ? ORDER BY idx",
    ),
    disclosures: p("SELECT pointer, salt, value FROM disclosures WHERE tenant_id = ? AND idx = ? ORDER BY pointer"),
    insertCheckpoint: p(
      "INSERT INTO checkpoints (tenant_id, tree_size, root_hash, note, signed_at) VALUES (?, ?, ?, ?, ?)",
    ),
    latestCheckpoint: p("SELECT * FROM checkpoints WHERE tenant_id = ? ORDER BY tree_size DESC LIMIT 1"),
    checkpoints: p("SELECT * FROM checkpoints WHERE tenant_id = ? ORDER BY tree_size"),
    insertSchema: p(
      "INSERT INTO action_schemas (tenant_id, action, version, definition, registered_at) VALUES (?, ?, ?, ?, ?)",
    ),
    schemas: p("SELECT * FROM action_schemas WHERE tenant_id = ? ORDER BY action, version"),
  };
}
