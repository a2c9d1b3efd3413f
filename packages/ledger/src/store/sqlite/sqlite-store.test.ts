import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasErrorCode } from "@trailproof/core";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { runLogStoreConformance } from "../log-store.conformance.js";
import { openSqliteStores } from "./open-sqlite-store.js";

const tempDir = () => mkdtempSync(join(tmpdir(), "trailproof-sqlite-"));

runLogStoreConformance("SQLite files", async () => openSqliteStores(tempDir()).log);

describe("SQLite layout 2", () => {
  it("keeps each tenant's log in its own file beside the catalogue", async () => {
    const dir = tempDir();
    const { log } = openSqliteStores(dir);
    await log.createTenant({ name: "acme", origin: "test/acme", unknownActions: "reject", createdAt: "x" });
    await log.createTenant({ name: "globex", origin: "test/globex", unknownActions: "reject", createdAt: "x" });
    await log.close();
    expect(
      readdirSync(join(dir, "tenants"))
        .filter((f) => f.endsWith(".db"))
        .sort(),
    ).toEqual(["acme.db", "globex.db"]);
    const catalogue = new Database(join(dir, "trailproof.db"));
    const tables = catalogue.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).not.toContain("entries");
    catalogue.close();
  });

  it("refuses UPDATE and DELETE on sealed tables, even from a raw SQL connection", async () => {
    const dir = tempDir();
    const { log } = openSqliteStores(dir);
    const t = await log.createTenant({ name: "acme", origin: "test/acme", unknownActions: "reject", createdAt: "x" });
    await log.putCheckpoint(t.tenantId, { treeSize: 0, rootHash: new Uint8Array(32), note: "n", signedAt: "x" });
    await log.close();
    const db = new Database(join(dir, "tenants", "acme.db"));
    db.prepare(
      "INSERT INTO entries (idx, event_id, leaf_data, leaf_hash, content_digest, received_ms) VALUES (0, 'e', x'00', x'00', 'd', 0)",
    ).run();
    db.prepare("INSERT INTO tree_nodes (level, idx, hash) VALUES (1, 0, x'00')").run();
    for (const sql of [
      "UPDATE entries SET leaf_data = x'01'",
      "DELETE FROM entries",
      "UPDATE checkpoints SET note = 'forged'",
      "DELETE FROM checkpoints",
      "DELETE FROM tree_nodes",
      "UPDATE tree_nodes SET hash = x'01'",
      // Blanking is pruning's alone, and only inside a recorded range (none is recorded yet).
      "UPDATE entries SET leaf_data = x''",
    ]) {
      expect(() => db.prepare(sql).run()).toThrow(/STORE_APPEND_ONLY/);
    }
    // Once a range is recorded, blanking inside it passes; any other change of the entry still aborts.
    db.prepare("INSERT INTO pruned_ranges (start_idx, end_idx, prune_idx) VALUES (0, 1, 1)").run();
    expect(() => db.prepare("UPDATE entries SET leaf_data = x'', leaf_hash = x'01'").run()).toThrow(
      /STORE_APPEND_ONLY/,
    );
    expect(() => db.prepare("UPDATE entries SET leaf_data = x'01'").run()).toThrow(/STORE_APPEND_ONLY/);
    db.prepare("UPDATE entries SET leaf_data = x''").run();
    for (const sql of ["DELETE FROM entries", "UPDATE pruned_ranges SET end_idx = 9", "DELETE FROM pruned_ranges"]) {
      expect(() => db.prepare(sql).run()).toThrow(/STORE_APPEND_ONLY/);
    }
    db.close();
  });

  it("gives each tenant file the page cache it is opened with (32 MiB by default)", async () => {
    const cacheOf = async (options: { tenantCacheMib?: number }) => {
      const { log } = openSqliteStores(tempDir(), options);
      const t = await log.createTenant({ name: "acme", origin: "test/acme", unknownActions: "reject", createdAt: "x" });
      // A negative cache_size is in KiB.
      const kib = -(log.tenantDatabase(t.tenantId).pragma("cache_size", { simple: true }) as number);
      await log.close();
      return kib;
    };
    expect(await cacheOf({})).toBe(32 * 1024);
    expect(await cacheOf({ tenantCacheMib: 256 })).toBe(256 * 1024);
  });

  it("fsyncs every commit (WAL, synchronous=FULL) in the catalogue and in tenant files", async () => {
    const dir = tempDir();
    const { log } = openSqliteStores(dir);
    const t = await log.createTenant({ name: "acme", origin: "test/acme", unknownActions: "reject", createdAt: "x" });
    expect(log.durability()).toEqual({ journalMode: "wal", synchronous: 2 });
    expect(log.durability(t.tenantId)).toEqual({ journalMode: "wal", synchronous: 2 });
    await log.close();
    const db = new Database(join(dir, "tenants", "acme.db"));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("refuses a file newer than this build", async () => {
    const dir = tempDir();
    openSqliteStores(dir).catalogue.close();
    const db = new Database(join(dir, "trailproof.db"));
    db.pragma("user_version = 99");
    db.close();
    expect(() => openSqliteStores(dir)).toThrow(/newer than this build/);
  });
});

describe("SQLite tenant files", () => {
  it("refuse to adopt a file that already holds entries, leaving the catalogue without the tenant", async () => {
    const dir = tempDir();
    const first = openSqliteStores(dir).log;
    const t = await first.createTenant({ name: "acme", origin: "test/acme", unknownActions: "reject", createdAt: "x" });
    const db = first.tenantDatabase(t.tenantId);
    db.prepare(
      "INSERT INTO entries (idx, event_id, leaf_data, leaf_hash, content_digest, received_ms) VALUES (0, 'e', x'00', x'00', 'd', 0)",
    ).run();
    await first.close();
    // A new catalogue beside the old tenant file, as after losing trailproof.db.
    rmSync(join(dir, "trailproof.db"));
    const second = openSqliteStores(dir).log;
    await expect(
      second.createTenant({ name: "acme", origin: "test/acme", unknownActions: "reject", createdAt: "y" }),
    ).rejects.toSatisfy((e) => hasErrorCode(e, "STORE_TENANT_FILE_EXISTS"));
    expect(await second.getTenant("acme")).toBeUndefined();
    await second.close();
  });
});

describe("SQLite layout 5", () => {
  it("upgrades a layout-3 tenant file on open: pruned_ranges, and the entries trigger that lets only pruning blank a body", async () => {
    const dir = tempDir();
    const first = openSqliteStores(dir);
    await first.log.createTenant({ name: "acme", origin: "test/acme", unknownActions: "reject", createdAt: "x" });
    await first.log.close();
    // Back to what a layout-3 build wrote: no pruned_ranges, an entries trigger that refuses every UPDATE.
    const raw = new Database(join(dir, "tenants", "acme.db"));
    raw.exec(`DROP TRIGGER pruned_ranges_no_update; DROP TRIGGER pruned_ranges_no_delete; DROP TABLE pruned_ranges;
      DROP TRIGGER entries_no_update;
      CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
      BEGIN SELECT RAISE(ABORT, 'STORE_APPEND_ONLY: entries is append-only'); END;
      INSERT INTO entries (idx, event_id, leaf_data, leaf_hash, content_digest, received_ms) VALUES (0, 'e0', x'7b7d', x'00', 'd', 0);
      INSERT INTO entries (idx, event_id, leaf_data, leaf_hash, content_digest, received_ms) VALUES (1, 'e1', x'7b7d', x'01', 'd', 0);
      PRAGMA user_version = 3;`);
    raw.close();

    const reopened = openSqliteStores(dir);
    const t = await reopened.log.getTenant("acme");
    await reopened.log.pruneBodies(t?.tenantId as number, [{ start: 0, end: 1, pruneIndex: 1 }]);
    expect((await reopened.log.readLeaves(t?.tenantId as number, 0, 2)).map((l) => l.leafData.length)).toEqual([0, 2]);
    await reopened.log.close();
    const after = new Database(join(dir, "tenants", "acme.db"));
    expect(after.pragma("user_version", { simple: true })).toBe(5);
    expect(() => after.prepare("UPDATE entries SET leaf_data = x'' WHERE idx = 1").run()).toThrow(/STORE_APPEND_ONLY/);
    after.close();
  });
});
