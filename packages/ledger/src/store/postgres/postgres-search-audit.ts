// Verification of the PostgreSQL search projection against the leaves, the
// checks SqliteSearchAudit makes: each search row equals the fields derived
// from its leaf (searchFieldsOf, what the projection writes with) and its
// full-text lexemes equal its message's; the tag index and the hourly counts
// equal what the leaves give; nothing is projected past the cursor.
import { createHash } from "node:crypto";
import { type SearchFields, searchFieldsOf } from "../../query/search-fields.js";
import { HOUR_MS } from "../../query/stats-buckets.js";
import {
  type CommittedEntry,
  type DerivedRowsAudit,
  type ReportDivergence,
  RunReporter,
} from "../../verify/derived-rows.js";
import { SearchRowCheck, type SearchRowColumns } from "../../verify/search-row-check.js";
import type { PgSql, PgTx } from "./postgres-client.js";
import { SEARCH_FOLLOWER } from "./postgres-search-projection.js";
import { messageWordsOf } from "./postgres-search-text.js";
import { TENANT_SETTING } from "./tenant-scope.js";

/** log2 of the entries per block of the tag fingerprint (as SQLite's search_blocks). */
const BLOCK_BITS = 10;

interface SearchSqlRow extends SearchRowColumns {
  /** message_words equals the lexemes of the leaf's message (null when the leaf gave none). */
  words_match: boolean | null;
}

/**
 * A tag row's contribution to its block's fingerprint: the first 32 bits of
 * MD5 over tag, time and index, which PostgreSQL computes the same way
 * (TAG_HASH_SQL), so the tag index is summed where it lies and only the
 * sums travel. Tags never hold a newline (TAG_PATTERN).
 */
function tagHash(tag: string, occurredMs: number, index: number): number {
  return Number.parseInt(createHash("md5").update(`${tag}\n${occurredMs}\n${index}`).digest("hex").slice(0, 8), 16);
}
const TAG_HASH_SQL = "('x' || left(md5(tag || E'\\n' || occurred_ms || E'\\n' || idx), 8))::bit(32)::bigint";

/** Per tenant, for one verification run: what the leaves say the aggregates must be. */
interface Expected {
  covered: number;
  /** Entries checked so far (the next index). */
  next: number;
  hours: Map<number, number>;
  /** Sum of tagHash per block, mod 2^32. */
  tags: Map<number, number>;
  rows: SearchRowCheck;
  words: RunReporter;
}

/** A read-only transaction on one snapshot, scoped to the tenant: the cursor and aggregates agree. */
function inTenantSnapshot<T>(sql: PgSql, tenantId: number, fn: (tx: PgTx) => Promise<T>): Promise<T> {
  return sql.begin("isolation level repeatable read read only", async (tx) => {
    await tx`SELECT set_config(${TENANT_SETTING}, ${String(tenantId)}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

export class PostgresSearchAudit implements DerivedRowsAudit {
  readonly name = "search projection";
  readonly #sql: PgSql;
  readonly #runs = new Map<number, Expected>();

  /** `sql` may be the app role's pool: the audit only reads. */
  constructor(sql: PgSql) {
    this.#sql = sql;
  }

  async #covered(tx: PgSql | PgTx, tenantId: number): Promise<number> {
    const [row] = await tx<{ covered: number }[]>`
      SELECT covered FROM follower_cursors WHERE tenant_id = ${tenantId} AND follower = ${SEARCH_FOLLOWER}`;
    return row?.covered ?? 0;
  }

  async begin(tenantId: number, report: ReportDivergence): Promise<number> {
    const covered = await inTenantSnapshot(this.#sql, tenantId, (tx) => this.#covered(tx, tenantId));
    this.#runs.set(tenantId, {
      covered,
      next: 0,
      hours: new Map(),
      tags: new Map(),
      rows: new SearchRowCheck(report),
      words: new RunReporter(report, "TEXT_INDEX_MISMATCH", (a, b) =>
        a === b
          ? `entry ${a}'s full-text words differ from its message`
          : `the full-text words of entries ${a}..${b} differ from their messages`,
      ),
    });
    return covered;
  }

  #run(tenantId: number): Expected {
    const run = this.#runs.get(tenantId);
    if (!run) throw new Error("PostgresSearchAudit: begin() was not called for this tenant");
    return run;
  }

  async checkEntries(tenantId: number, entries: readonly CommittedEntry[], _report: ReportDivergence): Promise<void> {
    const run = this.#run(tenantId);
    const inScope = entries.filter((e) => e.index < run.covered);
    if (inScope.length === 0) return;
    const fields = inScope.map((e) => fieldsOrNull(e));
    const indexes: number[] = [];
    const words: (string | null)[] = [];
    inScope.forEach((e, k) => {
      const f = fields[k];
      if (f === undefined || f === null) return;
      indexes.push(e.index);
      words.push(f.message === null ? null : messageWordsOf(f.message));
    });
    const first = (inScope[0] as CommittedEntry).index;
    const last = (inScope[inScope.length - 1] as CommittedEntry).index;
    const rows = await inTenantSnapshot(
      this.#sql,
      tenantId,
      (tx) => tx<SearchSqlRow[]>`
        SELECT r.idx, r.event_id, r.occurred_ms, r.action, r.kind, r.category, r.outcome, r.risk, r.actor_type,
          r.actor_id, r.target_type, r.target_id, r.session_id, r.run_id, r.workflow_id, r.caused_by,
          r.environment, r.trigger_id, r.message,
          CASE WHEN x.idx IS NOT NULL THEN r.message_words IS NOT DISTINCT FROM x.words::tsvector END AS words_match
        FROM search_rows AS r
        LEFT JOIN unnest(${indexes}::bigint[], ${words}::text[]) AS x (idx, words) ON x.idx = r.idx
        WHERE r.tenant_id = ${tenantId} AND r.idx >= ${first} AND r.idx <= ${last}
        ORDER BY r.idx`,
    );
    const byIndex = new Map(rows.map((r) => [r.idx, r]));
    inScope.forEach((e, k) => {
      const f = fields[k];
      if (f !== undefined && f !== null) this.#checkEntry(run, e.index, f, byIndex.get(e.index));
    });
    run.next = last + 1;
  }

  #checkEntry(run: Expected, index: number, fields: SearchFields, row: SearchSqlRow | undefined): void {
    this.#expect(run, index, fields);
    if (row?.words_match === false) run.words.add(index);
    else run.words.flush();
    run.rows.check(index, fields, row);
  }

  #expect(run: Expected, index: number, f: SearchFields): void {
    const hour = Math.floor(f.occurredMs / HOUR_MS) * HOUR_MS;
    run.hours.set(hour, (run.hours.get(hour) ?? 0) + 1);
    const block = index >> BLOCK_BITS;
    let sum = run.tags.get(block) ?? 0;
    for (const tag of new Set(f.tags)) sum = (sum + tagHash(tag, f.occurredMs, index)) % 2 ** 32;
    run.tags.set(block, sum);
  }

  async finish(
    tenantId: number,
    readEntries: (start: number, end: number) => Promise<CommittedEntry[]>,
    report: ReportDivergence,
  ): Promise<void> {
    const run = this.#run(tenantId);
    const flush = () => {
      run.rows.flush();
      run.words.flush();
    };
    flush();
    // Other nodes may project more entries while this runs: take them into
    // the expectation, then compare the aggregates on one snapshot that holds
    // the cursor they were written with (the projection writes both in one
    // transaction).
    for (let attempt = 0; attempt < 5; attempt++) {
      const covered = await inTenantSnapshot(this.#sql, tenantId, (tx) => this.#covered(tx, tenantId));
      if (covered > run.next) {
        run.covered = covered;
        await this.checkEntries(tenantId, await readEntries(run.next, covered), report);
        flush();
      }
      const done = await inTenantSnapshot(this.#sql, tenantId, async (tx) => {
        if ((await this.#covered(tx, tenantId)) !== covered) return false;
        run.covered = covered;
        await this.#compareAggregates(tx, tenantId, run, report);
        return true;
      });
      if (done) break;
    }
    this.#runs.delete(tenantId);
  }

  async #compareAggregates(tx: PgTx, tenantId: number, run: Expected, report: ReportDivergence): Promise<void> {
    const { covered } = run;
    const [extra] = await tx<{ first: number | null; n: number }[]>`
      SELECT min(idx) AS first, count(*) AS n FROM search_rows WHERE tenant_id = ${tenantId} AND idx >= ${covered}`;
    if (extra !== undefined && extra.n > 0) {
      report(
        "PROJECTION_MISMATCH",
        extra.first,
        `${extra.n} search row(s) from entry ${extra.first} on lie past the projection's cursor (${covered})`,
      );
    }

    const hours = await tx<{ hour_ms: number; n: number }[]>`
      SELECT hour_ms, n FROM search_hours WHERE tenant_id = ${tenantId}`;
    const stored = new Set(hours.map((h) => h.hour_ms));
    const differentHours =
      hours.filter((h) => run.hours.get(h.hour_ms) !== h.n).length +
      [...run.hours.keys()].filter((hour) => !stored.has(hour)).length;
    if (differentHours > 0) {
      report("AGGREGATE_MISMATCH", null, `${differentHours} hourly count(s) in search_hours differ from the leaves`);
    }

    const sums = await tx<{ block: number; h: number }[]>`
      SELECT idx >> ${BLOCK_BITS} AS block, (sum(${tx.unsafe(TAG_HASH_SQL)}) % 4294967296)::bigint AS h
      FROM search_tags WHERE tenant_id = ${tenantId} GROUP BY 1`;
    const actual = new Map(sums.map((s) => [s.block, s.h]));
    const blocks = new Set([...run.tags.keys(), ...actual.keys()]);
    for (const block of [...blocks].sort((a, b) => a - b)) {
      if ((run.tags.get(block) ?? 0) === (actual.get(block) ?? 0)) continue;
      report(
        "TAG_INDEX_MISMATCH",
        block << BLOCK_BITS,
        `the tag index of entries ${block << BLOCK_BITS}..${((block + 1) << BLOCK_BITS) - 1} differs from the leaves' tags`,
      );
    }
  }
}

/** The entry's fields; null when its leaf lacks the envelope's required fields (the log's own checks report that). */
function fieldsOrNull(e: CommittedEntry): SearchFields | null {
  if (!e.event) return null;
  try {
    return searchFieldsOf(e.event);
  } catch {
    return null;
  }
}
