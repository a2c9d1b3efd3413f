// The LogStore conformance suite on the real PostgreSQL server, and what only
// PostgreSQL enforces: privileges and triggers that keep the log append-only,
// row-level security, and appends from two nodes sequenced by the head lock.
import { CompactRange, hasErrorCode, hashLeaf, nodeKey, utf8 } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import { nodeHasher } from "../../node-hasher.js";
import { runLogStoreConformance } from "../log-store.conformance.js";
import type { AppendBatch, EntryRow } from "../log-store.js";
import { openPostgres, type PgSql } from "./postgres-client.js";
import { PostgresLogStore } from "./postgres-log-store.js";
import { createTestDatabase } from "./postgres-test-database.fixture.js";
import { inTenant } from "./tenant-scope.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

runLogStoreConformance("PostgreSQL", async () => {
  const db = await createTestDatabase();
  const store = new PostgresLogStore(openPostgres(db.appUrl, { max: 4 }), { ownsPool: true });
  cleanup.push(async () => {
    // The suite closes its stores; ending a pool twice is harmless.
    await store.close();
    await db.drop();
  });
  return store;
});

/** A migrated database with its owner's pool, `nodes` app-role pools and a store on each. */
async function database(nodes = 1): Promise<{ owner: PgSql; apps: PgSql[]; stores: PostgresLogStore[] }> {
  const db = await createTestDatabase();
  const owner = openPostgres(db.ownerUrl, { max: 2 });
  const apps = Array.from({ length: nodes }, () => openPostgres(db.appUrl, { max: 3 }));
  cleanup.push(async () => {
    for (const sql of [owner, ...apps]) await sql.end({ timeout: 5 });
    await db.drop();
  });
  return { owner, apps, stores: apps.map((sql) => new PostgresLogStore(sql)) };
}

function batchAt(tenantId: number, range: CompactRange, ids: string[]): AppendBatch {
  const firstIndex = Number(range.size);
  const entries: EntryRow[] = ids.map((eventId, k) => {
    const leafData = utf8(JSON.stringify({ id: eventId }));
    return {
      index: firstIndex + k,
      eventId,
      leafData,
      leafHash: hashLeaf(nodeHasher, leafData),
      contentDigest: `digest_${eventId}`,
      receivedMs: 1_700_000_000_000,
      disclosures: [{ pointer: "/actor/email", subject: `psn_${eventId}`, sealed: utf8(`${eventId}@example.com`) }],
    };
  });
  const subjectKeys = ids.map((id) => ({ subject: `psn_${id}`, wrappedKey: new Uint8Array(60), createdMs: 1 }));
  return { tenantId, firstIndex, entries, nodes: entries.flatMap((e) => range.append(e.leafHash)), subjectKeys };
}

const tenantOf = (store: PostgresLogStore, name: string) =>
  store.createTenant({ name, origin: `test/${name}`, unknownActions: "reject", createdAt: "2026-01-01T00:00:00Z" });

/** A tenant with two entries, a checkpoint and an action schema: a row in every sealed table. */
async function filledTenant(store: PostgresLogStore, name: string) {
  const t = await tenantOf(store, name);
  await store.appendBatch(batchAt(t.tenantId, CompactRange.empty(nodeHasher), [`${name}_1`, `${name}_2`]));
  await store.putCheckpoint(t.tenantId, { treeSize: 2, rootHash: new Uint8Array(32), note: "n", signedAt: "x" });
  await store.putActionSchema(t.tenantId, { action: "a.b", version: 1, definition: "{}", registeredAt: "x" });
  return t;
}

const pgCode = (code: string) => (e: unknown) => (e as { code?: unknown }).code === code;

describe("PostgreSQL log store", () => {
  it("reports a repeated event id, in the log or within the batch, as STORE_EVENT_ID_CONFLICT, writing nothing", async () => {
    const { stores } = await database();
    const store = stores[0] as PostgresLogStore;
    const t = await tenantOf(store, "acme");
    const range = CompactRange.empty(nodeHasher);
    await store.appendBatch(batchAt(t.tenantId, range, ["e0", "e1"]));
    for (const ids of [
      ["e2", "e0"],
      ["e2", "e2"],
    ]) {
      await expect(store.appendBatch(batchAt(t.tenantId, range.clone(), ids))).rejects.toSatisfy((e) =>
        hasErrorCode(e, "STORE_EVENT_ID_CONFLICT"),
      );
    }
    expect(await store.treeSize(t.tenantId)).toBe(2);
    expect(await store.findEntryByEventId(t.tenantId, "e2")).toBeUndefined();
    expect(await store.readDisclosureRange(t.tenantId, 2, 10)).toEqual([]);
  });

  it("names its other refusals: a second checkpoint of a size, an unknown tenant, entries not numbered from firstIndex", async () => {
    const { stores } = await database();
    const store = stores[0] as PostgresLogStore;
    const t = await filledTenant(store, "acme");
    await expect(
      store.putCheckpoint(t.tenantId, { treeSize: 2, rootHash: new Uint8Array(32), note: "again", signedAt: "y" }),
    ).rejects.toSatisfy((e) => hasErrorCode(e, "STORE_CHECKPOINT_EXISTS"));
    await expect(store.treeSize(9999)).rejects.toSatisfy((e) => hasErrorCode(e, "TENANT_NOT_FOUND"));
    await expect(store.appendBatch(batchAt(9999, CompactRange.empty(nodeHasher), ["x"]))).rejects.toSatisfy((e) =>
      hasErrorCode(e, "TENANT_NOT_FOUND"),
    );
    const skewed = batchAt(t.tenantId, CompactRange.empty(nodeHasher), ["a", "b", "c", "d"]);
    const misnumbered = { ...skewed, firstIndex: 2, entries: skewed.entries.slice(0, 2) };
    await expect(store.appendBatch(misnumbered)).rejects.toSatisfy((e) => hasErrorCode(e, "STORE_BATCH_INVALID"));
    expect(await store.treeSize(t.tenantId)).toBe(2);
    await expect(tenantOf(store, "other").then(() => tenantOf(store, "other"))).rejects.toSatisfy((e) =>
      hasErrorCode(e, "TENANT_EXISTS"),
    );
  });

  it("reads dense runs and scattered nodes alike, and leaves out nodes that do not exist", async () => {
    const { stores } = await database();
    const store = stores[0] as PostgresLogStore;
    const t = await tenantOf(store, "acme");
    const batch = batchAt(
      t.tenantId,
      CompactRange.empty(nodeHasher),
      Array.from({ length: 100 }, (_, i) => `e${i}`),
    );
    await store.appendBatch(batch);
    const written = new Map(batch.nodes.map((n) => [nodeKey(n), n.hash]));
    const dense = [
      ...Array.from({ length: 100 }, (_, i) => ({ level: 0, index: BigInt(i) })),
      ...Array.from({ length: 50 }, (_, i) => ({ level: 1, index: BigInt(i) })),
    ];
    const scattered = [
      { level: 0, index: 7n },
      { level: 2, index: 3n },
      { level: 2, index: 20n },
      { level: 5, index: 2n },
    ];
    const missing = [
      { level: 0, index: 100n },
      { level: 1, index: 50n },
      { level: 7, index: 0n },
    ];
    for (const ids of [dense, scattered, [...scattered, ...missing], [...dense, ...scattered, ...missing]]) {
      const got = await store.readNodes(t.tenantId, ids);
      const want = new Map(
        ids.filter((id) => written.has(nodeKey(id))).map((id) => [nodeKey(id), written.get(nodeKey(id))]),
      );
      expect(got).toEqual(want);
    }
  });

  it("ends a shared pool only when told it owns it", async () => {
    const { apps } = await database();
    const sql = apps[0] as PgSql;
    await new PostgresLogStore(sql).close();
    expect(await sql`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it("refuses UPDATE, DELETE and TRUNCATE of sealed rows to the app role by privilege, and to the owner by trigger", async () => {
    const { owner, apps, stores } = await database();
    const app = apps[0] as PgSql;
    const t = await filledTenant(stores[0] as PostgresLogStore, "acme");
    const edits = [
      "UPDATE entries SET leaf_data = '\\x01'",
      "DELETE FROM entries",
      "TRUNCATE entries",
      "UPDATE tree_nodes SET hash = '\\x01'",
      "DELETE FROM tree_nodes",
      "UPDATE checkpoints SET note = 'forged'",
      "DELETE FROM checkpoints",
      "UPDATE disclosures SET subject = 'x'",
      "DELETE FROM disclosures",
      "UPDATE action_schemas SET definition = '{\"forged\":true}'",
      "DELETE FROM action_schemas",
    ];
    // Pruning's privileges (migration 8): the app role may blank leaf data and
    // delete personal values, and the trigger lets that through only inside a
    // recorded pruned range; none is recorded here.
    const prunable = new Set([
      "UPDATE entries SET leaf_data = '\\x01'",
      "UPDATE entries SET leaf_data = ''",
      "DELETE FROM disclosures",
    ]);
    edits.push(
      "UPDATE entries SET leaf_data = ''",
      "DELETE FROM pruned_ranges",
      "UPDATE pruned_ranges SET end_idx = 9",
    );
    for (const edit of edits) {
      // Scoped to the tenant, so row-level security hides nothing: the privilege (or, for pruning's, the trigger) refuses.
      const byApp = expect(
        inTenant(app, t.tenantId, (tx) => tx.unsafe(edit)),
        edit,
      ).rejects;
      if (prunable.has(edit)) await byApp.toThrow(/STORE_APPEND_ONLY/);
      else await byApp.toSatisfy(pgCode("42501"));
      await expect(owner.unsafe(edit), edit).rejects.toThrow(/STORE_APPEND_ONLY/);
    }
    // The head moves forward only; a tenant's name and origin never change.
    await expect(owner`UPDATE log_heads SET size = 1`).rejects.toThrow(/STORE_APPEND_ONLY/);
    await expect(owner`DELETE FROM log_heads`).rejects.toThrow(/STORE_APPEND_ONLY/);
    await expect(owner`UPDATE tenants SET origin = 'forged'`).rejects.toThrow(/STORE_APPEND_ONLY/);
    await expect(app`UPDATE tenants SET name = 'forged'`).rejects.toSatisfy(pgCode("42501"));
    const [counts] =
      await owner`SELECT (SELECT count(*) FROM entries) AS entries, (SELECT size FROM log_heads) AS size`;
    expect(counts).toEqual({ entries: 2, size: 2 });
  });

  it("shows a statement that forgot its tenant filter only its tenant's rows, and no rows without a tenant", async () => {
    const { apps, stores } = await database();
    const app = apps[0] as PgSql;
    const store = stores[0] as PostgresLogStore;
    const a = await filledTenant(store, "a");
    const b = await tenantOf(store, "b");
    await store.appendBatch(batchAt(b.tenantId, CompactRange.empty(nodeHasher), ["b1", "b2", "b3"]));
    const count = (tenantId: number | null, table: string) =>
      inTenant(app, tenantId, async (tx) => {
        const [row] = await tx.unsafe(`SELECT count(*) AS n FROM ${table}`);
        return (row as unknown as { n: number }).n;
      });
    expect(await count(a.tenantId, "entries")).toBe(2);
    expect(await count(b.tenantId, "entries")).toBe(3);
    expect(await count(b.tenantId, "disclosures")).toBe(3);
    expect(await count(b.tenantId, "log_heads")).toBe(1);
    for (const table of ["entries", "disclosures", "tree_nodes", "checkpoints", "action_schemas", "log_heads"]) {
      expect(await count(null, table), table).toBe(0);
    }
    const [unscoped] = await app`SELECT count(*) AS n FROM entries`;
    expect(unscoped).toEqual({ n: 0 });
    // Writing another tenant's rows is refused by the policy's WITH CHECK.
    await expect(
      inTenant(
        app,
        a.tenantId,
        (tx) => tx`INSERT INTO checkpoints (tenant_id, tree_size, root_hash, note, signed_at)
          VALUES (${b.tenantId}, 99, '\\x00', 'n', 'x')`,
      ),
    ).rejects.toSatisfy(pgCode("42501"));
    // The directory is not tenant data: every node reads it.
    expect((await store.listTenants()).map((t) => t.name)).toEqual(["a", "b"]);
  });

  it("sequences two nodes appending to one tenant: each batch lands or gets STORE_SEQUENCE_CONFLICT, and the log is gapless", async () => {
    const { stores } = await database(2);
    const t = await tenantOf(stores[0] as PostgresLogStore, "acme");
    const landed: string[] = [];
    let conflicts = 0;
    /** Resumes the tree from the store, as a node does after losing a race. */
    const resume = async (store: PostgresLogStore) => {
      const size = BigInt(await store.treeSize(t.tenantId));
      const ids = CompactRange.nodesFor(size);
      const stored = await store.readNodes(t.tenantId, ids);
      return CompactRange.fromNodes(
        nodeHasher,
        size,
        ids.map((id) => ({ ...id, hash: stored.get(nodeKey(id)) as Uint8Array })),
      );
    };
    const attempt = async (store: PostgresLogStore, range: CompactRange, ids: string[]) => {
      try {
        await store.appendBatch(batchAt(t.tenantId, range, ids));
        landed.push(...ids);
      } catch (e) {
        if (!hasErrorCode(e, "STORE_SEQUENCE_CONFLICT")) throw e;
        conflicts += 1;
      }
    };
    // In step: both nodes read the size, then both append at it; exactly one of each pair lands.
    for (let r = 0; r < 10; r++) {
      const ranges = await Promise.all(stores.map(resume));
      await Promise.all(
        stores.map((s, n) => attempt(s, ranges[n] as CompactRange, [`step_${r}_${n}_a`, `step_${r}_${n}_b`])),
      );
    }
    expect(conflicts).toBe(10);
    // Free-running: whatever interleaving the server gives.
    await Promise.all(
      stores.map(async (s, n) => {
        for (let r = 0; r < 25; r++) {
          const ids = Array.from({ length: 1 + ((r * 7 + n) % 5) }, (_, k) => `free_${r}_${n}_${k}`);
          await attempt(s, await resume(s), ids);
        }
      }),
    );
    const store = stores[1] as PostgresLogStore;
    const size = await store.treeSize(t.tenantId);
    expect(size).toBe(landed.length);
    const leaves = await store.readLeaves(t.tenantId, 0, size + 10);
    expect(leaves.map((l) => l.index)).toEqual(Array.from({ length: size }, (_, i) => i));
    expect(new Set(leaves.map((l) => l.eventId))).toEqual(new Set(landed));
    // The stored tree nodes agree with the leaves: no node was written by a batch that lost.
    const fromLeaves = CompactRange.empty(nodeHasher);
    for (const l of leaves) fromLeaves.append(l.leafHash);
    const ids = CompactRange.nodesFor(BigInt(size));
    const stored = await store.readNodes(t.tenantId, ids);
    const fromStore = CompactRange.fromNodes(
      nodeHasher,
      BigInt(size),
      ids.map((id) => ({ ...id, hash: stored.get(nodeKey(id)) as Uint8Array })),
    );
    expect(fromStore.rootHash()).toEqual(fromLeaves.rootHash());
  });
});
