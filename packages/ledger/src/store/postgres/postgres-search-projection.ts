// The search projection on PostgreSQL (schema/003-search.ts): a follower
// sink (follow/log-follower.ts) that derives each entry's searchable fields
// from its leaf and writes them, the tags, the full-text lexemes and the
// hourly counts with its cursor, in one transaction. Every node runs one.
import { TrailproofError } from "@trailproof/core";
import type { FollowerSink } from "../../follow/log-follower.js";
import { type SearchFields, searchFieldsOfLeaf } from "../../query/search-fields.js";
import { HOUR_MS } from "../../query/stats-buckets.js";
import type { StoredEntry } from "../log-store.js";
import type { PgSql, PgTx } from "./postgres-client.js";
import { messageWordsOf } from "./postgres-search-text.js";
import { inTenant } from "./tenant-scope.js";

export const SEARCH_FOLLOWER = "search";

/** search_rows' written columns, in the order of the arrays apply() sends. */
const ROW_COLUMNS = [
  ["idx", "bigint"],
  ["event_id", "text"],
  ["occurred_ms", "bigint"],
  ["action", "text"],
  ["kind", "text"],
  ["category", "text"],
  ["outcome", "text"],
  ["risk", "text"],
  ["actor_type", "text"],
  ["actor_id", "text"],
  ["target_type", "text"],
  ["target_id", "text"],
  ["session_id", "text"],
  ["run_id", "text"],
  ["workflow_id", "text"],
  ["caused_by", "text"],
  ["environment", "text"],
  ["trigger_id", "text"],
  ["message", "text"],
  ["message_words", "text"],
] as const;

const INSERT_ROWS = `INSERT INTO search_rows (tenant_id, ${ROW_COLUMNS.map(([c]) => c).join(", ")})
  SELECT $1::integer, ${ROW_COLUMNS.map(([c]) => (c === "message_words" ? "u.message_words::tsvector" : `u.${c}`)).join(", ")}
  FROM unnest(${ROW_COLUMNS.map(([, type], k) => `$${k + 2}::${type}[]`).join(", ")})
    AS u(${ROW_COLUMNS.map(([c]) => c).join(", ")})`;

const rowValues = (e: StoredEntry, f: SearchFields): unknown[] => [
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
  f.message === null ? null : messageWordsOf(f.message),
];

export class PostgresSearchProjection implements FollowerSink {
  readonly name = SEARCH_FOLLOWER;
  readonly #sql: PgSql;

  /** Requires `sql` connected as the app role, on a database migrated to schema 3 or later. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async covered(tenantId: number): Promise<number> {
    return inTenant(this.#sql, tenantId, async (tx) => {
      const [row] = await tx<{ covered: number }[]>`
        SELECT covered FROM follower_cursors WHERE tenant_id = ${tenantId} AND follower = ${this.name}`;
      return row?.covered ?? 0;
    });
  }

  /**
   * Applies `entries` and moves the cursor past them, or writes nothing.
   * Other nodes apply the same log at the same time: the cursor row is
   * locked and compared first, and when it is not at entries[0].index (a
   * node got there first) this throws FOLLOWER_CURSOR_MOVED, writing nothing;
   * the follower re-reads covered() and goes on from there.
   */
  async apply(tenantId: number, entries: readonly StoredEntry[]): Promise<void> {
    const first = entries[0];
    if (first === undefined) return;
    // A pruned entry (blank leaf data: a log migrated after pruning) has no
    // search row, as pruning deletes it; the cursor still moves past it.
    const bodies = entries.filter((e) => e.leafData.length > 0);
    // Parse before the transaction: a malformed leaf fails the batch before any write.
    const fields = bodies.map((e) => searchFieldsOfLeaf(e.leafData));
    await inTenant(this.#sql, tenantId, async (tx) => {
      const at = await this.#lockCursor(tx, tenantId);
      if (at !== first.index) {
        throw new TrailproofError(
          "FOLLOWER_CURSOR_MOVED",
          `${this.name} of tenant ${tenantId} is at ${at}, not at ${first.index} where this batch starts: another node applied it`,
        );
      }
      if (bodies.length > 0) await this.#writeRows(tx, tenantId, bodies, fields);
      await tx`UPDATE follower_cursors SET covered = ${first.index + entries.length}
        WHERE tenant_id = ${tenantId} AND follower = ${this.name}`;
    });
  }

  /** The cursor, its row locked to the end of the transaction (created at 0 when missing). */
  async #lockCursor(tx: PgTx, tenantId: number): Promise<number> {
    await tx`INSERT INTO follower_cursors (tenant_id, follower, covered) VALUES (${tenantId}, ${this.name}, 0)
      ON CONFLICT DO NOTHING`;
    const [row] = await tx<{ covered: number }[]>`
      SELECT covered FROM follower_cursors WHERE tenant_id = ${tenantId} AND follower = ${this.name} FOR UPDATE`;
    if (row === undefined) throw new TrailproofError("FOLLOWER_FAILED", `${this.name} has no cursor row`);
    return row.covered;
  }

  /** Three statements for the whole batch, each one array per column (unnest). */
  async #writeRows(tx: PgTx, tenantId: number, entries: readonly StoredEntry[], fields: SearchFields[]) {
    const columns: unknown[][] = ROW_COLUMNS.map(() => []);
    const tags: [number[], string[], number[]] = [[], [], []];
    const hours = new Map<number, number>();
    entries.forEach((e, k) => {
      const f = fields[k] as SearchFields;
      rowValues(e, f).forEach((v, c) => {
        (columns[c] as unknown[]).push(v);
      });
      for (const tag of new Set(f.tags)) {
        tags[0].push(e.index);
        tags[1].push(tag);
        tags[2].push(f.occurredMs);
      }
      const hour = Math.floor(f.occurredMs / HOUR_MS) * HOUR_MS;
      hours.set(hour, (hours.get(hour) ?? 0) + 1);
    });
    await tx.unsafe(INSERT_ROWS, [tenantId, ...columns] as never[]);
    if (tags[0].length > 0) {
      await tx`INSERT INTO search_tags (tenant_id, idx, tag, occurred_ms)
        SELECT ${tenantId}::integer, u.idx, u.tag, u.occurred_ms
        FROM unnest(${tags[0]}::bigint[], ${tags[1]}::text[], ${tags[2]}::bigint[]) AS u(idx, tag, occurred_ms)`;
    }
    await tx`INSERT INTO search_hours (tenant_id, hour_ms, n)
      SELECT ${tenantId}::integer, u.hour_ms, u.n FROM unnest(${[...hours.keys()]}::bigint[], ${[...hours.values()]}::bigint[]) AS u(hour_ms, n)
      ON CONFLICT (tenant_id, hour_ms) DO UPDATE SET n = search_hours.n + excluded.n`;
  }
}
