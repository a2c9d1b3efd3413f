// The LogStore conformance suite: every backend runs it (SQLite always;
// PostgreSQL when its issue lands), so the engine can rely on the contract
// rather than on one implementation's habits.
import { CompactRange, hasErrorCode, hashLeaf, nodeKey, utf8 } from "@trailproof/core";
import { describe, expect, it } from "vitest";
import { nodeHasher } from "../node-hasher.js";
import type { AppendBatch, EntryRow, LogStore } from "./log-store.js";

function entry(index: number, eventId = `evt_${index}`): EntryRow {
  const leafData = utf8(JSON.stringify({ id: eventId, n: index }));
  return {
    index,
    eventId,
    leafData,
    leafHash: hashLeaf(nodeHasher, leafData),
    contentDigest: `digest_${eventId}`,
    receivedMs: 1_700_000_000_000 + index,
    disclosures: index === 0 ? [{ pointer: "/context/ip", subject: "psn_ada", sealed: new Uint8Array([1, 2, 3]) }] : [],
  };
}

/** Drivers return Buffers: compare bytes as plain arrays. */
function plain<T extends object>(rows: T[] | T | undefined): unknown {
  const one = (r: object) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Uint8Array ? [...v] : v]));
  return Array.isArray(rows) ? rows.map(one) : rows && one(rows);
}

const ADA_KEY = { subject: "psn_ada", wrappedKey: new Uint8Array(60).fill(7), createdMs: 1_700_000_000_000 };

function batch(tenantId: number, range: CompactRange, from: number, count: number): AppendBatch {
  const entries = Array.from({ length: count }, (_, k) => entry(from + k));
  const nodes = entries.flatMap((e) => range.append(e.leafHash));
  return { tenantId, firstIndex: from, entries, nodes, subjectKeys: from === 0 ? [ADA_KEY] : [] };
}

/** One entry at `index` with one sealed value of `subject`. */
function valueBatch(
  tenantId: number,
  range: CompactRange,
  index: number,
  subject: string,
  newKey: boolean,
): AppendBatch {
  const e = { ...entry(index), disclosures: [{ pointer: "/actor/name", subject, sealed: new Uint8Array([index]) }] };
  return {
    tenantId,
    firstIndex: index,
    entries: [e],
    nodes: range.append(e.leafHash),
    subjectKeys: newKey ? [{ ...ADA_KEY, subject }] : [],
  };
}

export function runLogStoreConformance(name: string, open: () => Promise<LogStore>): void {
  describe(`LogStore conformance: ${name}`, () => {
    const tenant = (store: LogStore, n: string) =>
      store.createTenant({
        name: n,
        origin: `test/${n}`,
        unknownActions: "reject",
        createdAt: new Date().toISOString(),
      });

    it("creates tenants once", async () => {
      const store = await open();
      const t = await tenant(store, "acme");
      expect((await store.getTenant("acme"))?.tenantId).toBe(t.tenantId);
      await expect(tenant(store, "acme")).rejects.toSatisfy((e) => hasErrorCode(e, "TENANT_EXISTS"));
      expect(await store.getTenant("nobody")).toBeUndefined();
      await store.close();
    });

    it("appends gapless batches and serves entries, nodes and disclosures", async () => {
      const store = await open();
      const t = await tenant(store, "acme");
      const range = CompactRange.empty(nodeHasher);
      await store.appendBatch(batch(t.tenantId, range, 0, 5));
      await store.appendBatch(batch(t.tenantId, range, 5, 4));
      expect(await store.treeSize(t.tenantId)).toBe(9);
      const entries = await store.readEntries(t.tenantId, 2, 6);
      expect(entries.map((e) => e.index)).toEqual([2, 3, 4, 5]);
      const leaves = await store.readLeaves(t.tenantId, 2, 6);
      expect(leaves).toEqual(
        entries.map((e) => ({
          index: e.index,
          leafData: e.leafData,
          leafHash: e.leafHash,
          eventId: e.eventId,
          receivedMs: e.receivedMs,
          contentDigest: e.contentDigest,
        })),
      );
      expect(await store.readLeaves(t.tenantId, 9, 12)).toEqual([]);
      expect((await store.findEntryByEventId(t.tenantId, "evt_7"))?.index).toBe(7);
      const found = await store.findEntriesByEventIds(t.tenantId, ["evt_1", "evt_8", "evt_99", "evt_1"]);
      expect([...found.keys()].sort()).toEqual(["evt_1", "evt_8"]);
      expect(found.get("evt_8")?.contentDigest).toBe("digest_evt_8");
      expect((await store.findEntriesByEventIds(t.tenantId, [])).size).toBe(0);
      const ids = CompactRange.nodesFor(9n);
      const nodes = await store.readNodes(t.tenantId, ids);
      expect(ids.every((id) => nodes.has(nodeKey(id)))).toBe(true);
      expect(
        CompactRange.fromNodes(
          nodeHasher,
          9n,
          ids.map((id) => ({ ...id, hash: nodes.get(nodeKey(id)) as Uint8Array })),
        ).rootHash(),
      ).toEqual(range.rootHash());
      const sealed = { index: 0, pointer: "/context/ip", subject: "psn_ada", sealed: [1, 2, 3] };
      expect(plain(await store.readDisclosures(t.tenantId, 0))).toEqual([sealed]);
      expect(plain(await store.readDisclosureRange(t.tenantId, 0, 9))).toEqual([sealed]);
      expect(await store.readDisclosureRange(t.tenantId, 1, 9)).toEqual([]);
      await store.close();
    });

    it("writes subject keys with their first values, refuses a value under no live key, and erases once", async () => {
      const store = await open();
      const t = await tenant(store, "acme");
      const range = CompactRange.empty(nodeHasher);
      await store.appendBatch(batch(t.tenantId, range, 0, 1));
      const keyRows = await store.readSubjectKeys(t.tenantId, ["psn_ada", "psn_x"]);
      expect([...keyRows.keys()]).toEqual(["psn_ada"]);
      expect(plain(keyRows.get("psn_ada"))).toEqual(plain({ ...ADA_KEY, erasedMs: null, erasureId: null }));
      // A second key for a stored subject is another node's race; a value under no stored key is refused.
      const again = valueBatch(t.tenantId, range.clone(), 1, "psn_ada", true);
      await expect(store.appendBatch(again)).rejects.toSatisfy((e) => hasErrorCode(e, "STORE_SUBJECT_KEY_CONFLICT"));
      const keyless = valueBatch(t.tenantId, range.clone(), 1, "psn_bob", false);
      await expect(store.appendBatch(keyless)).rejects.toSatisfy((e) => hasErrorCode(e, "STORE_SUBJECT_KEY_CONFLICT"));
      expect(await store.treeSize(t.tenantId)).toBe(1);
      await store.appendBatch(valueBatch(t.tenantId, range, 1, "psn_ada", false));
      await store.appendBatch(valueBatch(t.tenantId, range, 2, "psn_bob", true));

      const asked = { erasureId: "ers_1", subject: "psn_ada", requestedBy: "a", approvedBy: "b", erasedMs: 5 };
      const first = await store.eraseSubject(t.tenantId, asked);
      expect(first).toEqual({ created: true, record: { ...asked, valuesErased: 2, entriesTouched: 2 } });
      const second = await store.eraseSubject(t.tenantId, { ...asked, erasureId: "ers_2", erasedMs: 6 });
      expect(second).toEqual({ created: false, record: first.record });
      expect(plain(await store.readDisclosureRange(t.tenantId, 0, 3))).toEqual([
        { index: 0, pointer: "/context/ip", subject: "psn_ada", sealed: null },
        { index: 1, pointer: "/actor/name", subject: "psn_ada", sealed: null },
        { index: 2, pointer: "/actor/name", subject: "psn_bob", sealed: [2] },
      ]);
      const keys = await store.listSubjectKeys(t.tenantId);
      expect(keys.map((k) => [k.subject, k.wrappedKey === null, k.erasureId])).toEqual([
        ["psn_ada", true, "ers_1"],
        ["psn_bob", false, null],
      ]);
      expect(await store.listErasures(t.tenantId)).toEqual([first.record]);
      // An erased subject's new values go in only as tombstones; its key never comes back.
      const late = valueBatch(t.tenantId, range.clone(), 3, "psn_ada", false);
      await expect(store.appendBatch(late)).rejects.toSatisfy((e) => hasErrorCode(e, "STORE_SUBJECT_KEY_CONFLICT"));
      const tomb = valueBatch(t.tenantId, range, 3, "psn_ada", false);
      tomb.entries[0]?.disclosures.forEach((d) => {
        d.sealed = null;
      });
      await store.appendBatch(tomb);
      await expect(
        store.rewrapSubjectKeys(t.tenantId, [{ subject: "psn_ada", wrappedKey: new Uint8Array(60) }]),
      ).rejects.toSatisfy((e) => hasErrorCode(e, "STORE_SUBJECT_KEY_CONFLICT"));
      await store.rewrapSubjectKeys(t.tenantId, [{ subject: "psn_bob", wrappedKey: new Uint8Array(60).fill(1) }]);
      const rewrapped = (await store.readSubjectKeys(t.tenantId, ["psn_bob"])).get("psn_bob")?.wrappedKey;
      expect([...(rewrapped ?? [])]).toEqual([...new Uint8Array(60).fill(1)]);
      // Erasing a subject with no key yet records it, so its later values are written erased.
      const unknown = await store.eraseSubject(t.tenantId, { ...asked, erasureId: "ers_3", subject: "psn_eve" });
      expect(unknown.record.valuesErased).toBe(0);
      expect((await store.readSubjectKeys(t.tenantId, ["psn_eve"])).get("psn_eve")?.wrappedKey).toBeNull();
      expect(await store.readPlainDisclosures(t.tenantId, 10)).toEqual([]);
      // A migration replays an erasure over tombstones it copied, with the counts the source recorded.
      const copied = await store.eraseSubject(t.tenantId, {
        ...asked,
        erasureId: "ers_4",
        subject: "psn_zed",
        copied: { valuesErased: 7, entriesTouched: 3 },
      });
      expect(copied.record).toEqual({
        ...asked,
        erasureId: "ers_4",
        subject: "psn_zed",
        valuesErased: 7,
        entriesTouched: 3,
      });
      expect((await store.listErasures(t.tenantId)).map((e) => e.erasureId)).toContain("ers_4");
      await store.close();
    });

    it("refuses a batch that does not start at the tree size, writing nothing", async () => {
      const store = await open();
      const t = await tenant(store, "acme");
      const range = CompactRange.empty(nodeHasher);
      await store.appendBatch(batch(t.tenantId, range, 0, 3));
      const gap = batch(t.tenantId, CompactRange.empty(nodeHasher), 5, 2);
      await expect(store.appendBatch(gap)).rejects.toSatisfy((e) => hasErrorCode(e, "STORE_SEQUENCE_CONFLICT"));
      expect(await store.treeSize(t.tenantId)).toBe(3);
      await store.close();
    });

    it("refuses a batch that repeats an event id, writing none of it", async () => {
      const store = await open();
      const t = await tenant(store, "acme");
      const range = CompactRange.empty(nodeHasher);
      await store.appendBatch(batch(t.tenantId, range, 0, 3));
      const again = batch(t.tenantId, range.clone(), 3, 2);
      const repeated = { ...again, entries: again.entries.map((e, k) => (k === 1 ? { ...e, eventId: "evt_0" } : e)) };
      await expect(store.appendBatch(repeated)).rejects.toBeInstanceOf(Error);
      expect(await store.treeSize(t.tenantId)).toBe(3);
      expect(await store.findEntryByEventId(t.tenantId, "evt_3")).toBeUndefined();
      await store.close();
    });

    it("keeps tenants apart: the same event id in two tenants, one tenant's failed batch leaves the other", async () => {
      const store = await open();
      const a = await tenant(store, "a");
      const b = await tenant(store, "b");
      await store.appendBatch(batch(a.tenantId, CompactRange.empty(nodeHasher), 0, 2));
      await store.appendBatch(batch(b.tenantId, CompactRange.empty(nodeHasher), 0, 3));
      const bad = batch(b.tenantId, CompactRange.empty(nodeHasher), 1, 2);
      await expect(store.appendBatch(bad)).rejects.toSatisfy((e) => hasErrorCode(e, "STORE_SEQUENCE_CONFLICT"));
      expect(await store.treeSize(a.tenantId)).toBe(2);
      expect(await store.treeSize(b.tenantId)).toBe(3);
      expect((await store.readEntries(a.tenantId, 0, 10)).map((e) => e.index)).toEqual([0, 1]);
      expect((await store.findEntryByEventId(b.tenantId, "evt_2"))?.index).toBe(2);
      expect(await store.findEntryByEventId(a.tenantId, "evt_2")).toBeUndefined();
      await store.close();
    });

    it("serialises concurrent appends: exactly one of two batches at the same index lands", async () => {
      const store = await open();
      const t = await tenant(store, "acme");
      const first = batch(t.tenantId, CompactRange.empty(nodeHasher), 0, 4);
      const second = batch(t.tenantId, CompactRange.empty(nodeHasher), 0, 4);
      const outcomes = await Promise.allSettled([store.appendBatch(first), store.appendBatch(second)]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      expect(await store.treeSize(t.tenantId)).toBe(4);
      await store.close();
    });

    it("prunes bodies: records the ranges, blanks leaf data, keeps leaf hashes and tree nodes", async () => {
      const store = await open();
      const t = await tenant(store, "acme");
      const range = CompactRange.empty(nodeHasher);
      await store.appendBatch(batch(t.tenantId, range, 0, 9));
      const rootBefore = range.rootHash();
      const before = await store.readLeaves(t.tenantId, 0, 9);
      expect(await store.readPrunedRanges(t.tenantId)).toEqual([]);
      await store.pruneBodies(t.tenantId, [
        { start: 0, end: 2, pruneIndex: 8 },
        { start: 4, end: 6, pruneIndex: 8 },
      ]);
      expect(await store.readPrunedRanges(t.tenantId)).toEqual([
        { start: 0, end: 2, pruneIndex: 8 },
        { start: 4, end: 6, pruneIndex: 8 },
      ]);
      const after = await store.readLeaves(t.tenantId, 0, 9);
      after.forEach((leaf, k) => {
        const old = before[k] as (typeof before)[number];
        const pruned = (k >= 0 && k < 2) || (k >= 4 && k < 6);
        expect(leaf.leafData.length === 0).toBe(pruned);
        if (!pruned) expect(leaf.leafData).toEqual(old.leafData);
        expect(leaf.leafHash).toEqual(old.leafHash);
        expect(leaf.eventId).toBe(old.eventId);
        expect(leaf.receivedMs).toBe(old.receivedMs);
      });
      expect(await store.readDisclosureRange(t.tenantId, 0, 9)).toEqual([]);
      const ids = CompactRange.nodesFor(9n);
      const nodes = await store.readNodes(t.tenantId, ids);
      expect(
        CompactRange.fromNodes(
          nodeHasher,
          9n,
          ids.map((id) => ({ ...id, hash: nodes.get(nodeKey(id)) as Uint8Array })),
        ).rootHash(),
      ).toEqual(rootBefore);
      await store.close();
    });

    it("refuses prunes that overlap, are empty, or do not lie below an entry of the log, changing nothing", async () => {
      const store = await open();
      const t = await tenant(store, "acme");
      await store.appendBatch(batch(t.tenantId, CompactRange.empty(nodeHasher), 0, 6));
      await store.pruneBodies(t.tenantId, [{ start: 1, end: 3, pruneIndex: 5 }]);
      const invalid = (e: unknown) => hasErrorCode(e, "STORE_PRUNE_INVALID");
      for (const bad of [
        [{ start: 2, end: 4, pruneIndex: 5 }],
        [{ start: 3, end: 3, pruneIndex: 5 }],
        [{ start: 3, end: 5, pruneIndex: 4 }],
        [{ start: 3, end: 5, pruneIndex: 9 }],
        [
          { start: 3, end: 5, pruneIndex: 5 },
          { start: 4, end: 5, pruneIndex: 5 },
        ],
      ]) {
        await expect(store.pruneBodies(t.tenantId, bad)).rejects.toSatisfy(invalid);
      }
      expect(await store.readPrunedRanges(t.tenantId)).toEqual([{ start: 1, end: 3, pruneIndex: 5 }]);
      const leaves = await store.readLeaves(t.tenantId, 0, 6);
      expect(leaves.map((l) => l.leafData.length === 0)).toEqual([false, true, true, false, false, false]);
      await store.close();
    });

    it("keeps checkpoints and action schemas in order", async () => {
      const store = await open();
      const t = await tenant(store, "acme");
      for (const size of [0, 4, 2]) {
        await store.putCheckpoint(t.tenantId, {
          treeSize: size,
          rootHash: new Uint8Array(32),
          note: `n${size}`,
          signedAt: "x",
        });
      }
      expect((await store.listCheckpoints(t.tenantId)).map((c) => c.treeSize)).toEqual([0, 2, 4]);
      await expect(
        store.putCheckpoint(t.tenantId, { treeSize: 4, rootHash: new Uint8Array(32), note: "again", signedAt: "y" }),
      ).rejects.toBeInstanceOf(Error);
      expect((await store.latestCheckpoint(t.tenantId))?.note).toBe("n4");
      expect((await store.latestCheckpoint(t.tenantId))?.note).toBe("n4");
      await store.putActionSchema(t.tenantId, { action: "a.b", version: 1, definition: "{}", registeredAt: "x" });
      expect(await store.listActionSchemas(t.tenantId)).toHaveLength(1);
      await store.close();
    });
  });
}
