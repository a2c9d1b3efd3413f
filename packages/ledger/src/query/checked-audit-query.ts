// Reads serve only what the leaves say. Any AuditQuery store resolves
// filters, targets and ids through rows kept beside the leaves (a search
// projection); this wrapper checks every entry it returns against its own
// leaf, leaves out an entry whose leaf does not say what was asked, reports
// that (ReadDivergences), and takes the id and times it returns from the leaf,
// not from the row. An edited row can hide an event (verification finds
// that); it cannot make a read answer with a different one.
import type { EventFilter } from "@trailproof/protocol";
import type {
  AuditQuery,
  EntryPage,
  PageRequest,
  QueriedEntry,
  StateAtResult,
  StatsOptions,
  StatsResult,
  TraceOptions,
  TraceResult,
} from "./audit-query.js";
import { filterMismatch } from "./filter-matches.js";
import type { ReadDivergences } from "./read-divergences.js";
import { type SearchFields, searchFieldsOfLeaf } from "./search-fields.js";

export class CheckedAuditQuery implements AuditQuery {
  readonly #inner: AuditQuery;
  readonly #divergences: ReadDivergences;

  constructor(inner: AuditQuery, divergences: ReadDivergences) {
    this.#inner = inner;
    this.#divergences = divergences;
  }

  /**
   * `entry` with its id and times from its leaf, or undefined (reported)
   * when the leaf cannot be read or `mismatch` names a field it fails.
   */
  #check(
    tenantId: number,
    entry: QueriedEntry,
    mismatch: (fields: SearchFields) => string | undefined,
  ): QueriedEntry | undefined {
    let fields: SearchFields;
    try {
      fields = searchFieldsOfLeaf(entry.leafData);
    } catch {
      this.#report(tenantId, entry.index, "LOOKUP_MISMATCH", `entry ${entry.index}'s leaf cannot be read`);
      return undefined;
    }
    const field = mismatch(fields);
    if (field !== undefined) {
      this.#report(
        tenantId,
        entry.index,
        "PROJECTION_MISMATCH",
        `a read resolved entry ${entry.index} by ${field}, which its leaf does not match: left out`,
      );
      return undefined;
    }
    return { ...entry, eventId: fields.eventId, occurredMs: fields.occurredMs };
  }

  #report(tenantId: number, index: number, kind: "LOOKUP_MISMATCH" | "PROJECTION_MISMATCH", message: string): void {
    this.#divergences.report({ tenant: tenantId, index, kind, message });
  }

  #checkAll(
    tenantId: number,
    entries: readonly QueriedEntry[],
    mismatch: (fields: SearchFields) => string | undefined,
  ): QueriedEntry[] {
    return entries.flatMap((e) => this.#check(tenantId, e, mismatch) ?? []);
  }

  async search(tenantId: number, filter: EventFilter, page: PageRequest): Promise<EntryPage> {
    const result = await this.#inner.search(tenantId, filter, page);
    // The cursor stays the store's: it positions the next page after the
    // last row read, whether or not that row was left out here.
    return { ...result, entries: this.#checkAll(tenantId, result.entries, (f) => filterMismatch(f, filter)) };
  }

  stats(tenantId: number, filter: EventFilter, options: StatsOptions): Promise<StatsResult> {
    // Counts are kept over many entries and cannot be checked per read;
    // verification checks them against the leaves (AGGREGATE_MISMATCH).
    return this.#inner.stats(tenantId, filter, options);
  }

  async trace(tenantId: number, eventId: string, options: TraceOptions): Promise<TraceResult | undefined> {
    const result = await this.#inner.trace(tenantId, eventId, options);
    if (result === undefined) return undefined;
    const event = this.#check(tenantId, result.event, (f) => (f.eventId === eventId ? undefined : "event id"));
    if (event === undefined) return undefined;
    const root = searchFieldsOfLeaf(event.leafData);
    const leaves = (entries: readonly QueriedEntry[]) => entries.flatMap((e) => fieldsOrNothing(e.leafData));
    // Upward: each ancestor is the cause some event of the chain names.
    const causes = new Set([root.causedBy, ...leaves(result.ancestors).map((f) => f.causedBy)]);
    // Downward: each descendant names the event or another descendant as its cause.
    const causers = new Set([root.eventId, ...leaves(result.descendants).map((f) => f.eventId)]);
    return {
      ...result,
      event,
      ancestors: this.#checkAll(tenantId, result.ancestors, (f) => (causes.has(f.eventId) ? undefined : "caused by")),
      run: this.#checkAll(tenantId, result.run, (f) =>
        root.runId !== null && f.runId === root.runId ? undefined : "run id",
      ),
      descendants: this.#checkAll(tenantId, result.descendants, (f) =>
        f.causedBy !== null && causers.has(f.causedBy) ? undefined : "caused by",
      ),
    };
  }

  async targetHistory(tenantId: number, targetType: string, targetId: string, page: PageRequest): Promise<EntryPage> {
    const result = await this.#inner.targetHistory(tenantId, targetType, targetId, page);
    const mismatch = (f: SearchFields) =>
      f.targetType !== targetType ? "target type" : f.targetId !== targetId ? "target id" : undefined;
    return { ...result, entries: this.#checkAll(tenantId, result.entries, mismatch) };
  }

  personIds(tenantId: number, after: string, limit: number): Promise<string[]> {
    // Ids only: whoever uses one recomputes its pseudonym, so a wrong id from
    // a damaged projection can never resolve a pseudonym to the wrong person.
    return this.#inner.personIds(tenantId, after, limit);
  }

  stateAt(tenantId: number, targetType: string, targetId: string, atMs: number): Promise<StateAtResult> {
    // Replayed from each entry's leaf by the store; the entries it picks come
    // from the target index, which verification checks against the leaves.
    return this.#inner.stateAt(tenantId, targetType, targetId, atMs);
  }
}

function fieldsOrNothing(leafData: Uint8Array): SearchFields[] {
  try {
    return [searchFieldsOfLeaf(leafData)];
  } catch {
    return [];
  }
}
