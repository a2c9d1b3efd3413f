// The ledger's side of per-subject encryption (issue 12): seals a batch's
// personal values under their subjects' data keys before the store writes
// them, opens stored ones for readers (an erased one becomes the erased
// marker), and seals a store's clear-text rows from before layout 4 /
// migration 7. The stores only ever see pseudonyms and opaque bytes.
import { buildErasedMarker, type ErasedMarker, type JsonValue, TrailproofError, toBase64 } from "@trailproof/core";
import type { PseudonymKeyStore } from "../keys/pseudonym-keys.js";
import type { SubjectDisclosure } from "../prepare-entry.js";
import type { EntryRow, LogStore, NewSubjectKey, StoredDisclosure, TenantRecord } from "../store/log-store.js";
import { openDisclosure, sealDisclosure } from "./sealed-disclosure.js";
import { dataKeysFor, SubjectKeyCache, unwrapSubjectKey } from "./subject-keys.js";

/** A stored personal value as a reader gets it. */
export type OpenedDisclosure =
  | { state: "value"; index: number; pointer: string; subject: string; salt: string; value: JsonValue }
  | { state: "erased"; index: number; pointer: string; subject: string; marker: ErasedMarker }
  /** Sealed, and no master key was given to open it (verification without one). */
  | { state: "sealed"; index: number; pointer: string; subject: string }
  /** Bytes that do not open, or a tombstone without an erasure: a divergence, never served. */
  | { state: "unreadable"; index: number; pointer: string; subject: string; reason: string };

/** Plain values read from before sealing, converted per call at most. */
const PLAIN_BATCH = 2_000;

export class SubjectVault {
  readonly #store: LogStore;
  readonly #masterKey: Uint8Array | undefined;
  readonly #pseudonyms: PseudonymKeyStore | undefined;
  readonly #cache: SubjectKeyCache;

  /** Without a master key it only tells erased from sealed values (verification of a copy whose key is elsewhere). */
  constructor(
    store: LogStore,
    masterKey: Uint8Array | undefined,
    pseudonyms: PseudonymKeyStore | undefined,
    cache = new SubjectKeyCache(),
  ) {
    this.#store = store;
    this.#masterKey = masterKey;
    this.#pseudonyms = pseudonyms;
    this.#cache = cache;
  }

  /** The tenant's pseudonym of a subject id. */
  pseudonym(tenant: string, id: string): Promise<string> {
    if (!this.#pseudonyms) throw new TrailproofError("LEDGER_OPTIONS_INVALID", "pseudonyms need the key vault");
    return this.#pseudonyms.pseudonym(tenant, id);
  }

  #master(): Uint8Array {
    if (!this.#masterKey) throw new TrailproofError("MASTER_KEY_INVALID", "personal values need the master key");
    return this.#masterKey;
  }

  /**
   * Seals the entries' personal values. The keys it creates go into the
   * batch (subjectKeys) and into the cache only by `commit`, called once the
   * batch is durable: a key never outlives a failed write in memory.
   */
  async sealEntries(
    tenant: TenantRecord,
    entries: readonly (Omit<EntryRow, "disclosures"> & { disclosures: SubjectDisclosure[] })[],
    nowMs: number,
  ): Promise<{ entries: EntryRow[]; subjectKeys: NewSubjectKey[]; commit: () => void }> {
    const subjectOf = new Map<string, string>();
    for (const e of entries) {
      for (const d of e.disclosures) {
        if (!subjectOf.has(d.subjectId)) subjectOf.set(d.subjectId, await this.pseudonym(tenant.name, d.subjectId));
      }
    }
    const { keys, created, fresh } = await dataKeysFor(
      (s) => this.#store.readSubjectKeys(tenant.tenantId, s),
      this.#cache,
      this.#master(),
      tenant.tenantId,
      tenant.name,
      subjectOf.values(),
      nowMs,
    );
    const sealed = entries.map((e) => ({
      ...e,
      disclosures: e.disclosures.map((d) => {
        const subject = subjectOf.get(d.subjectId) as string;
        const key = keys.get(subject);
        // An erased subject stays erased: its new values are written as tombstones.
        return { pointer: d.pointer, subject, sealed: key ? sealDisclosure(key, tenant.name, e.index, d) : null };
      }),
    }));
    return {
      entries: sealed,
      subjectKeys: created,
      commit: () => {
        for (const [s, k] of fresh) this.#cache.set(tenant.tenantId, s, k);
      },
    };
  }

  /** Forgets a subject's cached key (after erasing it, or on a write refused for it). */
  forget(tenantId: number, subject: string): void {
    this.#cache.delete(tenantId, subject);
  }

  /** Forgets every cached key: after a store refused a batch for a subject key, another node erased or created one. */
  forgetAll(): void {
    this.#cache.clear();
  }

  /**
   * Opens stored rows for a reader. Reads the subjects' key rows every time
   * (only the unwrapping is cached): a subject erased on another node is
   * never opened from this node's cache.
   */
  async open(tenant: TenantRecord, rows: readonly StoredDisclosure[]): Promise<OpenedDisclosure[]> {
    if (rows.length === 0) return [];
    const keyRows = await this.#store.readSubjectKeys(tenant.tenantId, [...new Set(rows.map((r) => r.subject))]);
    return rows.map((r): OpenedDisclosure => {
      const base = { index: r.index, pointer: r.pointer, subject: r.subject };
      const keyRow = keyRows.get(r.subject);
      if (r.sealed === null || keyRow?.wrappedKey === null) {
        if (keyRow?.erasureId && keyRow.erasedMs !== null) {
          const marker = buildErasedMarker(keyRow.erasureId, new Date(keyRow.erasedMs).toISOString());
          return { ...base, state: "erased", marker };
        }
        return { ...base, state: "unreadable", reason: "removed outside erasure" };
      }
      if (keyRow === undefined) return { ...base, state: "unreadable", reason: "its subject has no key" };
      if (this.#masterKey === undefined) return { ...base, state: "sealed" };
      let key = this.#cache.get(tenant.tenantId, r.subject);
      if (key === undefined) {
        key = unwrapSubjectKey(this.#masterKey, tenant.name, r.subject, keyRow.wrappedKey as Uint8Array);
        this.#cache.set(tenant.tenantId, r.subject, key);
      }
      const opened = openDisclosure(key, tenant.name, r.index, r.pointer, r.sealed);
      if (opened === undefined)
        return { ...base, state: "unreadable", reason: "does not open under its subject's key" };
      return { ...base, state: "value", salt: toBase64(opened.salt), value: opened.value };
    });
  }

  /**
   * Seals every clear-text value the store still holds from before sealing,
   * in batches, each batch's sealed rows, new keys and deletions in one
   * transaction. `subjectIdOf` names each value's subject from its entry.
   */
  async sealPlain(
    tenant: TenantRecord,
    subjectIdOf: (index: number, pointer: string) => Promise<string>,
    nowMs: number,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const plain = await this.#store.readPlainDisclosures(tenant.tenantId, PLAIN_BATCH);
      if (plain.length === 0) return total;
      const byIndex = new Map<number, SubjectDisclosure[]>();
      for (const p of plain) {
        const list = byIndex.get(p.index) ?? [];
        list.push({
          pointer: p.pointer,
          salt: p.salt,
          value: parseStoredValue(p.valueJson),
          subjectId: await subjectIdOf(p.index, p.pointer),
        });
        byIndex.set(p.index, list);
      }
      const entries = [...byIndex].map(([index, disclosures]) => ({
        index,
        eventId: "",
        leafData: new Uint8Array(0),
        leafHash: new Uint8Array(0),
        contentDigest: "",
        receivedMs: 0,
        disclosures,
      }));
      const sealed = await this.sealEntries(tenant, entries, nowMs);
      const rows = sealed.entries.flatMap((e) => e.disclosures.map((d) => ({ index: e.index, ...d })));
      await this.#store.replacePlainDisclosures(tenant.tenantId, rows, sealed.subjectKeys);
      sealed.commit();
      total += plain.length;
    }
  }
}

/** Stored clear text that is not JSON (a damaged row) is kept as that text: it fails its commitment. */
function parseStoredValue(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}
