// One read of committed entries for every follower. Each follower (search,
// alert rules, notifications, every stream) reads each committed entry
// once; without sharing, six followers meant six store reads of the same
// rows on the acknowledging thread. This keeps, per tenant, the newest
// contiguous run of entries a follower read, and serves the next follower's
// read of them from memory.
//
// It never serves a body retention has pruned: the Pruner drops a tenant's
// run once it has pruned (forget(); a read that began before is not kept),
// and an entry is served from memory only
// while it was received less than MAX_AGE_MS ago, far inside the shortest
// retention (one day), so a prune by another node (PostgreSQL) cannot reach
// what is served either. Entries are committed, so nothing else changes them.
import type { LogStore, StoredEntry } from "../store/log-store.js";

/** Entries kept per tenant (the newest run), and across tenants. */
const PER_TENANT = 2048;
const TOTAL = 8192;
/** An entry received longer ago than this is read from the store. */
const MAX_AGE_MS = 3_600_000;

interface Run {
  start: number;
  entries: StoredEntry[];
}

export class RecentEntries {
  readonly #store: LogStore;
  readonly #now: () => number;
  /** Insertion order is recency: the least recently filled tenant is dropped first. */
  readonly #runs = new Map<number, Run>();
  /** Bumped by forget(): a store read that began before it is not kept. */
  readonly #generations = new Map<number, number>();
  #total = 0;
  /** Reads served from memory, and from the store (for metrics and tests). */
  readonly served = { memory: 0, store: 0 };

  constructor(store: LogStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /** Entries with start <= index < end, in index order, as LogStore.readEntries. */
  async readEntries(tenantId: number, start: number, end: number): Promise<StoredEntry[]> {
    const run = this.#runs.get(tenantId);
    const head: StoredEntry[] = [];
    let from = start;
    if (run !== undefined && start >= run.start) {
      const oldest = this.#now() - MAX_AGE_MS;
      for (let i = start - run.start; i < run.entries.length && from < end; i++) {
        const e = run.entries[i] as StoredEntry;
        if (e.receivedMs < oldest) break;
        head.push(e);
        from++;
      }
    }
    this.served.memory += head.length;
    if (from >= end) return head;
    const generation = this.#generations.get(tenantId) ?? 0;
    const tail = await this.#store.readEntries(tenantId, from, end);
    this.served.store += tail.length;
    if ((this.#generations.get(tenantId) ?? 0) === generation) this.#keep(tenantId, from, tail);
    return head.length === 0 ? tail : head.concat(tail);
  }

  /** Drops the tenant's run (before its bodies are pruned). */
  forget(tenantId: number): void {
    this.#generations.set(tenantId, (this.#generations.get(tenantId) ?? 0) + 1);
    this.#drop(tenantId);
  }

  #drop(tenantId: number): void {
    const run = this.#runs.get(tenantId);
    if (run === undefined) return;
    this.#total -= run.entries.length;
    this.#runs.delete(tenantId);
  }

  #keep(tenantId: number, from: number, entries: readonly StoredEntry[]): void {
    if (entries.length === 0 || entries.some((e, i) => e.index !== from + i)) return;
    const run = this.#runs.get(tenantId);
    let next: Run;
    if (run !== undefined && from === run.start + run.entries.length) {
      next = run;
      for (const e of entries) next.entries.push(e);
      this.#total += entries.length;
    } else if (run === undefined || from + entries.length > run.start + run.entries.length) {
      // Newer than the run and not joined to it: it replaces the run.
      this.#drop(tenantId);
      next = { start: from, entries: [...entries] };
      this.#total += entries.length;
    } else {
      return;
    }
    const over = next.entries.length - PER_TENANT;
    if (over > 0) {
      next.entries.splice(0, over);
      next.start += over;
      this.#total -= over;
    }
    this.#runs.delete(tenantId);
    this.#runs.set(tenantId, next);
    for (const [id, r] of this.#runs) {
      if (this.#total <= TOTAL || id === tenantId) break;
      this.#total -= r.entries.length;
      this.#runs.delete(id);
    }
  }
}
