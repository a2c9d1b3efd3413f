// What verification asks of rows a store keeps beside the leaves: a search
// projection, its full-text and tag indexes, counts kept over many entries.
// Each is derived from leaves, so each is checked against the leaves it
// derives from, and a divergence is named by kind and index. A store that
// keeps such rows hands verification one audit per kind of row.
import type { DivergenceKind } from "@trailproof/core";

export type ReportDivergence = (kind: DivergenceKind, index: number | null, message: string) => void;

/** An entry as derived-row checks see it: its leaf parsed once, by verification. */
export interface CommittedEntry {
  index: number;
  /** The committed event; null when the leaf is not a JSON object (verification reports that itself). */
  event: Record<string, unknown> | null;
}

export interface DerivedRowsAudit {
  /** What the rows are, for messages ("search projection"). */
  readonly name: string;
  /**
   * Called once before the first entry. Returns the entries the rows claim
   * to cover (a follower's cursor): entries at or past it have no rows yet,
   * and rows there are extra. The log may grow while verification runs.
   */
  begin(tenantId: number, report: ReportDivergence): Promise<number>;
  /** The rows of `entries`: consecutive, in index order, every entry of the log across calls. */
  checkEntries(tenantId: number, entries: readonly CommittedEntry[], report: ReportDivergence): Promise<void>;
  /**
   * After the last entry: rows past what the entries account for, counts
   * and indexes checked as a whole. `readEntries` gives entries the log
   * gained during verification, parsed, when the rows moved on meanwhile.
   */
  finish(
    tenantId: number,
    readEntries: (start: number, end: number) => Promise<CommittedEntry[]>,
    report: ReportDivergence,
  ): Promise<void>;
}

const decoder = new TextDecoder();

/** The committed event of a leaf, or null when the leaf is not a JSON object. */
export function parseLeaf(leafData: Uint8Array): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(decoder.decode(leafData));
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Consecutive indexes with the same finding, reported once as a range: a
 * projection that lost a thousand rows is one divergence, not a thousand.
 */
export class RunReporter {
  readonly #report: ReportDivergence;
  readonly #kind: DivergenceKind;
  readonly #describe: (first: number, last: number) => string;
  #first = -1;
  #last = -1;

  constructor(report: ReportDivergence, kind: DivergenceKind, describe: (first: number, last: number) => string) {
    this.#report = report;
    this.#kind = kind;
    this.#describe = describe;
  }

  add(index: number): void {
    if (this.#first >= 0 && index === this.#last + 1) {
      this.#last = index;
      return;
    }
    this.flush();
    this.#first = index;
    this.#last = index;
  }

  flush(): void {
    if (this.#first < 0) return;
    this.#report(this.#kind, this.#first, this.#describe(this.#first, this.#last));
    this.#first = -1;
  }
}
