// The search projection on SQLite: a follower sink (follow/log-follower.ts)
// that derives each entry's searchable fields from its leaf data and writes
// them, the full-text and tag indexes and the hourly counts into the
// tenant's file, with its cursor, in one transaction.
import type { FollowerSink } from "../../follow/log-follower.js";
import { type SearchFields, searchFieldsOfLeaf } from "../../query/search-fields.js";
import { HOUR_MS } from "../../query/stats-buckets.js";
import type { StoredEntry } from "../log-store.js";
import type { SqliteDatabase, SqliteStatement } from "./sqlite-database.js";
import {
  DEFAULT_TEXT_PART_ENTRIES,
  nextTextPartSql,
  readTextParts,
  type TextPart,
  textPartOf,
  textTableOf,
} from "./sqlite-text-parts.js";

/** log2 of the indexes per search_blocks row. */
export const BLOCK_BITS = 10;

export const SEARCH_PROJECTION = "search";

interface ProjectionFile {
  db: SqliteDatabase;
  covered: SqliteStatement;
  apply: (rows: { entries: readonly StoredEntry[]; fields: (SearchFields | null)[] }) => void;
}

export class SqliteSearchProjection implements FollowerSink {
  readonly name = SEARCH_PROJECTION;
  readonly #database: (tenantId: number) => SqliteDatabase;
  readonly #files = new Map<number, ProjectionFile>();
  readonly #textPartEntries: number;

  /**
   * `database` gives the tenant's file connection (SqliteStore.tenantDatabase).
   * `textPartEntries`: entries per part of the full-text index (tests make it small).
   */
  constructor(database: (tenantId: number) => SqliteDatabase, textPartEntries = DEFAULT_TEXT_PART_ENTRIES) {
    this.#database = database;
    this.#textPartEntries = textPartEntries;
  }

  async covered(tenantId: number): Promise<number> {
    const row = this.#file(tenantId).covered.get(SEARCH_PROJECTION) as { covered: number } | undefined;
    return row?.covered ?? 0;
  }

  async apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // Parse outside the transaction: a malformed leaf fails the batch before any write.
    // A pruned entry (blank leaf data: a projection rebuilt over a pruned log)
    // has no search row, as pruning deleted it; the cursor still moves past it.
    const fields = entries.map((e) => (e.leafData.length === 0 ? null : searchFieldsOfLeaf(e.leafData)));
    const file = this.#file(tenantId);
    // The projection is rebuilt from the log, so its commits need not be
    // fsynced: a commit lost to a crash loses its cursor with it, and the
    // next fsynced log commit makes everything before it in the WAL durable.
    file.db.pragma("synchronous = NORMAL");
    try {
      file.apply({ entries, fields });
    } finally {
      file.db.pragma("synchronous = FULL");
    }
  }

  #file(tenantId: number): ProjectionFile {
    let file = this.#files.get(tenantId);
    if (!file) {
      const db = this.#database(tenantId);
      const p = (sql: string) => db.prepare(sql);
      const insertRow = p(`INSERT INTO search_rows (idx, event_id, occurred_ms, action, kind, category, outcome, risk,
        actor_type, actor_id, target_type, target_id, session_id, run_id, workflow_id, caused_by, environment,
        trigger_id, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      const partEntries = this.#textPartEntries;
      const writer = (part: TextPart) => ({
        ...part,
        insert: p(`INSERT INTO ${part.table} (rowid, message) VALUES (?, ?)`),
      });
      // The part being written; looked up again after a rolled-back batch
      // (which may have made a part that no longer exists) and for an index
      // outside it (a projection rebuilt from the start).
      let writing: ReturnType<typeof writer> | undefined;
      const insertText = (index: number): SqliteStatement => {
        if (writing === undefined || index < writing.lo || (writing.hi !== undefined && index >= writing.hi)) {
          writing = writer(textPartOf(readTextParts(db), index));
        }
        // Only the newest part grows, and only to partEntries.
        if (writing.hi === undefined && index >= writing.lo + partEntries) {
          db.exec(nextTextPartSql(writing.part, writing.lo, index));
          const part = writing.part + 1;
          writing = writer({ part, table: textTableOf(part), lo: index, hi: undefined });
        }
        return writing.insert;
      };
      const insertTag = p("INSERT OR IGNORE INTO search_tags (tag, occurred_ms, idx) VALUES (?, ?, ?)");
      const addHour = p(
        "INSERT INTO search_hours (hour_ms, n) VALUES (?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n",
      );
      const widenBlock = p(`INSERT INTO search_blocks (block, min_ms, max_ms) VALUES (?, ?, ?)
        ON CONFLICT DO UPDATE SET min_ms = min(min_ms, excluded.min_ms), max_ms = max(max_ms, excluded.max_ms)`);
      const setCovered = p(
        "INSERT INTO projection_state (name, covered) VALUES (?, ?) ON CONFLICT DO UPDATE SET covered = excluded.covered",
      );
      const current = p("SELECT covered FROM projection_state WHERE name = ?");
      const write = db.transaction(
        ({ entries, fields }: { entries: readonly StoredEntry[]; fields: (SearchFields | null)[] }) => {
          const first = entries[0] as StoredEntry;
          const at = (current.get(SEARCH_PROJECTION) as { covered: number } | undefined)?.covered ?? 0;
          // The follower's contract, checked where the cursor lives: a batch
          // that does not start at the cursor would leave a gap or a repeat.
          if (first.index !== at) throw new Error(`search projection is at ${at}, batch starts at ${first.index}`);
          const hours = new Map<number, number>();
          const blocks = new Map<number, [number, number]>();
          entries.forEach((e, k) => {
            const f = fields[k];
            if (f === null || f === undefined) return;
            insertRow.run(
              e.index,
              f.eventId,
              f.occurredMs,
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
            );
            if (f.message !== null) insertText(e.index).run(e.index, f.message);
            for (const tag of f.tags) insertTag.run(tag, f.occurredMs, e.index);
            const hour = Math.floor(f.occurredMs / HOUR_MS) * HOUR_MS;
            hours.set(hour, (hours.get(hour) ?? 0) + 1);
            const block = e.index >> BLOCK_BITS;
            const span = blocks.get(block);
            if (span === undefined) blocks.set(block, [f.occurredMs, f.occurredMs]);
            else blocks.set(block, [Math.min(span[0], f.occurredMs), Math.max(span[1], f.occurredMs)]);
          });
          for (const [hour, n] of hours) addHour.run(hour, n);
          for (const [block, [lo, hi]] of blocks) widenBlock.run(block, lo, hi);
          setCovered.run(SEARCH_PROJECTION, first.index + entries.length);
        },
      );
      const apply: ProjectionFile["apply"] = (rows) => {
        try {
          write(rows);
        } catch (err) {
          writing = undefined;
          throw err;
        }
      };
      file = { db, covered: current, apply };
      this.#files.set(tenantId, file);
    }
    return file;
  }
}
