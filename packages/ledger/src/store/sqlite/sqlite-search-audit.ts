// Verification of the SQLite search projection against the leaves: each
// search row equals the fields derived from its leaf (searchFieldsOf, the
// function the projection writes with); the tag index, the hourly counts
// and the time blocks equal what the leaves give; nothing is projected past
// the cursor; and FTS5's own integrity check confirms the full-text index
// matches the rows' text. The tag index has no index by entry, so it is
// compared by a fingerprint per block of entries in one scan, and only a
// block whose fingerprint differs is read entry by entry.
import { type SearchFields, searchFieldsOf } from "../../query/search-fields.js";
import { HOUR_MS } from "../../query/stats-buckets.js";
import {
  type CommittedEntry,
  type DerivedRowsAudit,
  type ReportDivergence,
  RunReporter,
} from "../../verify/derived-rows.js";
import { SearchRowCheck, type SearchRowColumns } from "../../verify/search-row-check.js";
import type { SqliteDatabase } from "./sqlite-database.js";
import { BLOCK_BITS, SEARCH_PROJECTION } from "./sqlite-search-projection.js";
import { readTextParts, type TextPart } from "./sqlite-text-parts.js";

/** FNV-1a, 32 bits: a tag row's contribution to its block's fingerprint. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const tagKey = (tag: string, occurredMs: number, index: number) => `${tag}\u0000${occurredMs}\u0000${index}`;

/** Per tenant, for one verification run: what the leaves say the aggregates must be. */
interface Expected {
  covered: number;
  /** Entries checked so far (the next index). */
  next: number;
  hours: Map<number, number>;
  blocks: Map<number, [number, number]>;
  /** Sum of fnv1a(tagKey) per block, mod 2^32. */
  tags: Map<number, number>;
  rows: SearchRowCheck;
}

export class SqliteSearchAudit implements DerivedRowsAudit {
  readonly name = "search projection";
  readonly #database: (tenantId: number) => SqliteDatabase;
  readonly #runs = new Map<number, Expected>();

  /** `database` gives the tenant's file connection (SqliteStore.tenantDatabase). */
  constructor(database: (tenantId: number) => SqliteDatabase) {
    this.#database = database;
  }

  #covered(db: SqliteDatabase): number {
    const row = db.prepare("SELECT covered FROM projection_state WHERE name = ?").get(SEARCH_PROJECTION) as
      | { covered: number }
      | undefined;
    return row?.covered ?? 0;
  }

  async begin(tenantId: number, report: ReportDivergence): Promise<number> {
    const covered = this.#covered(this.#database(tenantId));
    this.#runs.set(tenantId, {
      covered,
      next: 0,
      hours: new Map(),
      blocks: new Map(),
      tags: new Map(),
      rows: new SearchRowCheck(report),
    });
    return covered;
  }

  #run(tenantId: number): Expected {
    const run = this.#runs.get(tenantId);
    if (!run) throw new Error("SqliteSearchAudit: begin() was not called for this tenant");
    return run;
  }

  async checkEntries(tenantId: number, entries: readonly CommittedEntry[], _report: ReportDivergence): Promise<void> {
    const run = this.#run(tenantId);
    const inScope = entries.filter((e) => e.index < run.covered);
    if (inScope.length === 0) return;
    const db = this.#database(tenantId);
    const first = (inScope[0] as CommittedEntry).index;
    const last = (inScope[inScope.length - 1] as CommittedEntry).index;
    const rows = db
      .prepare("SELECT * FROM search_rows WHERE idx >= ? AND idx <= ? ORDER BY idx")
      .all(first, last) as SearchRowColumns[];
    const byIndex = new Map(rows.map((r) => [r.idx, r]));
    for (const e of inScope) this.#checkEntry(run, e, byIndex.get(e.index));
    run.next = last + 1;
  }

  #checkEntry(run: Expected, e: CommittedEntry, row: SearchRowColumns | undefined): void {
    if (!e.event) return;
    let fields: SearchFields;
    try {
      fields = searchFieldsOf(e.event);
    } catch {
      // A leaf without the envelope's required fields is reported by the log's own checks.
      return;
    }
    this.#expect(run, e.index, fields);
    run.rows.check(e.index, fields, row);
  }

  #expect(run: Expected, index: number, f: SearchFields): void {
    const hour = Math.floor(f.occurredMs / HOUR_MS) * HOUR_MS;
    run.hours.set(hour, (run.hours.get(hour) ?? 0) + 1);
    const block = index >> BLOCK_BITS;
    const span = run.blocks.get(block);
    run.blocks.set(
      block,
      span ? [Math.min(span[0], f.occurredMs), Math.max(span[1], f.occurredMs)] : [f.occurredMs, f.occurredMs],
    );
    let sum = run.tags.get(block) ?? 0;
    for (const tag of new Set(f.tags)) sum = (sum + fnv1a(tagKey(tag, f.occurredMs, index))) >>> 0;
    run.tags.set(block, sum);
  }

  async finish(
    tenantId: number,
    readEntries: (start: number, end: number) => Promise<CommittedEntry[]>,
    report: ReportDivergence,
  ): Promise<void> {
    const run = this.#run(tenantId);
    run.rows.flush();
    const db = this.#database(tenantId);
    // The service may project more entries while this runs: take them into
    // the expectation, then read the aggregates with no await in between, so
    // they and the cursor are one consistent state (one connection, one thread).
    for (let attempt = 0; attempt < 5; attempt++) {
      const covered = this.#covered(db);
      if (covered > run.next) {
        const gained = await readEntries(run.next, covered);
        run.covered = covered;
        await this.checkEntries(tenantId, gained, report);
        run.rows.flush();
        if (this.#covered(db) !== covered) continue;
      }
      run.covered = covered;
      this.#compareAggregates(db, run, report);
      break;
    }
    this.#runs.delete(tenantId);
  }

  #compareAggregates(db: SqliteDatabase, run: Expected, report: ReportDivergence): void {
    const { covered } = run;
    const extra = db
      .prepare("SELECT min(idx) AS first, count(*) AS n FROM search_rows WHERE idx >= ?")
      .get(covered) as {
      first: number | null;
      n: number;
    };
    if (extra.n > 0) {
      report(
        "PROJECTION_MISMATCH",
        extra.first,
        `${extra.n} search row(s) from entry ${extra.first} on lie past the projection's cursor (${covered})`,
      );
    }

    const hours = db.prepare("SELECT hour_ms, n FROM search_hours").all() as { hour_ms: number; n: number }[];
    const differentHours =
      hours.filter((h) => run.hours.get(h.hour_ms) !== h.n).length +
      [...run.hours.keys()].filter((hour) => !hours.some((h) => h.hour_ms === hour)).length;
    if (differentHours > 0) {
      report("AGGREGATE_MISMATCH", null, `${differentHours} hourly count(s) in search_hours differ from the leaves`);
    }

    const blocks = db.prepare("SELECT block, min_ms, max_ms FROM search_blocks").all() as {
      block: number;
      min_ms: number;
      max_ms: number;
    }[];
    const stored = new Map(blocks.map((b) => [b.block, b]));
    for (const [block, [lo, hi]] of run.blocks) {
      const b = stored.get(block);
      if (!b || b.min_ms !== lo || b.max_ms !== hi) {
        report(
          "AGGREGATE_MISMATCH",
          block << BLOCK_BITS,
          `the time bounds of entries ${block << BLOCK_BITS}.. (search_blocks ${block}) differ from the leaves`,
        );
      }
      stored.delete(block);
    }
    for (const b of stored.values()) {
      report(
        "AGGREGATE_MISMATCH",
        b.block << BLOCK_BITS,
        `search_blocks ${b.block} bounds entries that have no search rows`,
      );
    }

    this.#compareTags(db, run, report);
    this.#checkText(db, covered, report);
  }

  #compareTags(db: SqliteDatabase, run: Expected, report: ReportDivergence): void {
    const actual = new Map<number, number>();
    for (const r of db.prepare("SELECT tag, occurred_ms, idx FROM search_tags").iterate() as Iterable<{
      tag: string;
      occurred_ms: number;
      idx: number;
    }>) {
      const block = r.idx >> BLOCK_BITS;
      actual.set(block, ((actual.get(block) ?? 0) + fnv1a(tagKey(r.tag, r.occurred_ms, r.idx))) >>> 0);
    }
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

  /**
   * FTS5 checks each part of the full-text index against the rows' text
   * itself (integrity-check with rank 1 compares with the external content,
   * over the rows the part holds). When a part fails, each of its rows' first
   * word is looked up at the row's own index to name the entries it lost.
   */
  #checkText(db: SqliteDatabase, covered: number, report: ReportDivergence): void {
    for (const part of readTextParts(db)) this.#checkTextPart(db, part, covered, report);
  }

  #checkTextPart(db: SqliteDatabase, part: TextPart, covered: number, report: ReportDivergence): void {
    const { table } = part;
    try {
      db.prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('integrity-check', 1)`).run();
      return;
    } catch {
      // Localise below.
    }
    const lost = new RunReporter(report, "TEXT_INDEX_MISMATCH", (a, b) =>
      a === b
        ? `entry ${a}'s text is missing from the full-text index`
        : `the text of entries ${a}..${b} is missing from the full-text index`,
    );
    // A range, not rowid = ?: with an equality FTS5 tests the row's content
    // instead of reading the index, and would find what the index lost.
    const lookup = db.prepare(`SELECT 1 FROM ${table} WHERE ${table} MATCH ? AND rowid >= ? AND rowid <= ?`);
    const end = Math.min(covered, part.hi ?? covered);
    let named = 0;
    for (const r of db
      .prepare("SELECT idx, message FROM search_rows WHERE idx >= ? AND idx < ? AND message IS NOT NULL")
      .iterate(part.lo, end) as Iterable<{ idx: number; message: string }>) {
      const word = /[\p{L}\p{N}]+/u.exec(r.message)?.[0];
      if (word === undefined) continue;
      if (lookup.get(`"${word}"`, r.idx, r.idx) === undefined) {
        lost.add(r.idx);
        named++;
      } else {
        lost.flush();
      }
    }
    lost.flush();
    if (named === 0) {
      report(
        "TEXT_INDEX_MISMATCH",
        null,
        `the full-text index (${table}) differs from the search rows' text (FTS5 integrity-check)`,
      );
    }
  }
}
