import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { runLogStoreConformance } from "../log-store.conformance.js";
import { openSqliteStore } from "./open-sqlite-store.js";

const tempDb = () => join(mkdtempSync(join(tmpdir(), "trailproof-sqlite-")), "trailproof.db");

runLogStoreConformance("SQLite file", async () => openSqliteStore(tempDb()));

describe("SQLite append-only enforcement", () => {
  it("refuses UPDATE and DELETE on sealed tables, even from a raw SQL connection", async () => {
    const path = tempDb();
    const store = openSqliteStore(path);
    const t = await store.createTenant({ name: "acme", origin: "test/acme", unknownActions: "reject", createdAt: "x" });
    await store.putCheckpoint(t.tenantId, { treeSize: 0, rootHash: new Uint8Array(32), note: "n", signedAt: "x" });
    await store.close();
    const db = new Database(path);
    db.prepare(
      "INSERT INTO entries (tenant_id, idx, event_id, leaf_data, leaf_hash, content_digest, received_ms, occurred_ms, action, kind, category, outcome, risk, actor_type, actor_id, target_type, target_id) VALUES (?, 0, 'e', x'00', x'00', 'd', 0, 0, 'a', 'k', 'c', 'o', 'r', 'at', 'ai', 'tt', 'ti')",
    ).run(t.tenantId);
    db.prepare("INSERT INTO tree_nodes (tenant_id, level, idx, hash) VALUES (?, 1, 0, x'00')").run(t.tenantId);
    for (const sql of [
      "UPDATE entries SET leaf_data = x'01'",
      "DELETE FROM entries",
      "UPDATE checkpoints SET note = 'forged'",
      "DELETE FROM checkpoints",
      "DELETE FROM tree_nodes",
      "UPDATE tree_nodes SET hash = x'01'",
    ]) {
      expect(() => db.prepare(sql).run()).toThrow(/STORE_APPEND_ONLY/);
    }
    db.close();
  });

  it("fsyncs every commit (WAL, synchronous=FULL) and leaves the file in WAL mode", async () => {
    const path = tempDb();
    const store = openSqliteStore(path);
    expect(store.durability()).toEqual({ journalMode: "wal", synchronous: 2 });
    await store.close();
    const db = new Database(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });
});
