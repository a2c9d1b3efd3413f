// The tamper suite: edit a real SQLite file behind the library's back (its
// append-only triggers dropped, as an attacker with file access would) and
// show that verification names each class of tampering at the right index.

import { buildEd25519Signer, type DivergenceKind, hashLeaf, parseNote, signNote } from "@trailproof/core";
import { nodeHasher, openSqliteStores, type VerifyReport, verifyTenantLog } from "@trailproof/ledger";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { buildSealedLog, type SealedLog } from "./sealed-log.js";

type Row = Record<string, unknown> & { idx: number; leaf_data: Buffer };

function tamper(log: SealedLog, edit: (db: Database.Database) => void): void {
  const db = new Database(log.dbPath);
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
    name: string;
  }[]) {
    db.exec(`DROP TRIGGER ${name}`);
  }
  db.transaction(() => edit(db))();
  db.close();
}

async function verify(log: SealedLog): Promise<VerifyReport> {
  const store = openSqliteStores(log.dataDir).log;
  try {
    return await verifyTenantLog(store, nodeHasher, log.tenant, { verifierKeys: [log.verifierKey], chunkSize: 7 });
  } finally {
    await store.close();
  }
}

function expectFirst(report: VerifyReport, kind: DivergenceKind, index: number | null): void {
  expect(report.ok).toBe(false);
  expect(report.divergences[0]).toMatchObject({ kind, index });
}

const row = (db: Database.Database, idx: number) => db.prepare("SELECT * FROM entries WHERE idx = ?").get(idx) as Row;

function insertRow(db: Database.Database, r: Row): void {
  const cols = Object.keys(r);
  db.prepare(`INSERT INTO entries (${cols.join(", ")}) VALUES (${cols.map((c) => `@${c}`).join(", ")})`).run(r);
}

describe("tamper detection on a real SQLite file", () => {
  it("accepts an untouched log", async () => {
    const log = await buildSealedLog();
    const report = await verify(log);
    expect(report).toMatchObject({ ok: true, treeSize: 40, divergences: [] });
    expect(report.checkpoints).toBe(3);
  });

  it("names a modified field by its index", async () => {
    const log = await buildSealedLog();
    tamper(log, (db) => {
      const r = row(db, 7);
      const edited = Buffer.from(r.leaf_data.toString("utf8").replace('"occurred_at":"2026', '"occurred_at":"2025'));
      expect(edited.equals(r.leaf_data)).toBe(false);
      db.prepare("UPDATE entries SET leaf_data = ? WHERE idx = 7").run(edited);
    });
    expectFirst(await verify(log), "LEAF_MISMATCH", 7);
  });

  it("catches a modified field even when its leaf hash is rewritten too", async () => {
    const log = await buildSealedLog();
    tamper(log, (db) => {
      const r = row(db, 7);
      const edited = Buffer.from(r.leaf_data.toString("utf8").replace('"occurred_at":"2026', '"occurred_at":"2025'));
      db.prepare("UPDATE entries SET leaf_data = ?, leaf_hash = ? WHERE idx = 7").run(
        edited,
        hashLeaf(nodeHasher, edited),
      );
    });
    const report = await verify(log);
    // Entry 7's level-1 node covers entries 6 and 7.
    expectFirst(report, "NODE_MISMATCH", 6);
    expect(report.divergences.map((d) => d.kind)).toContain("ROOT_MISMATCH");
  });

  it("names a deleted entry", async () => {
    const log = await buildSealedLog([10, 10, 10, 10]);
    tamper(log, (db) => db.prepare("DELETE FROM entries WHERE idx = 5").run());
    const report = await verify(log);
    expectFirst(report, "ENTRY_MISSING", 5);
    // Once: the entries after the gap, the nodes above them and the later
    // roots are consequences, summed up rather than listed.
    expect(report.divergences.map((d) => d.kind)).toEqual(["ENTRY_MISSING", "LOG_TRUNCATED", "ROOT_MISMATCH"]);
    expect(report.divergences[0]?.message).toBe("entries 5..5 are missing");
    expect(report.divergences[2]?.message).toMatch(/size 10; the 2 signed checkpoint\(s\) after it differ too$/);
  });

  it("catches an inserted entry", async () => {
    const log = await buildSealedLog();
    tamper(log, (db) => {
      const forged = { ...row(db, 9) };
      db.prepare("UPDATE entries SET idx = -idx - 1 WHERE idx >= 10").run();
      db.prepare("UPDATE entries SET idx = -idx WHERE idx < 0").run();
      const data = Buffer.from(forged.leaf_data.toString("utf8").replace(/"id":"[^"]+"/, '"id":"forged"'));
      insertRow(db, { ...forged, idx: 10, event_id: "forged", leaf_data: data, leaf_hash: hashLeaf(nodeHasher, data) });
    });
    const report = await verify(log);
    expectFirst(report, "NODE_MISMATCH", 10);
    expect(report.treeSize).toBe(41);
    expect(report.divergences.map((d) => d.kind)).toContain("ROOT_MISMATCH");
  });

  it("names two swapped entries", async () => {
    const log = await buildSealedLog();
    tamper(log, (db) => {
      db.prepare("UPDATE entries SET idx = -1 WHERE idx = 12").run();
      db.prepare("UPDATE entries SET idx = 12 WHERE idx = 13").run();
      db.prepare("UPDATE entries SET idx = 13 WHERE idx = -1").run();
    });
    const report = await verify(log);
    expect(report.ok).toBe(false);
    // Named by time going backwards when the two were received in different
    // milliseconds, by the stored node above both otherwise.
    expect(report.divergences[0]?.index).toBe(12);
    expect(["ENTRY_OUT_OF_ORDER", "NODE_MISMATCH"]).toContain(report.divergences[0]?.kind);
    expect(report.divergences.map((d) => d.kind)).toContain("ROOT_MISMATCH");
  });

  it("names a tail truncated below a signed checkpoint", async () => {
    const log = await buildSealedLog();
    tamper(log, (db) => db.prepare("DELETE FROM entries WHERE idx >= 30").run());
    expectFirst(await verify(log), "LOG_TRUNCATED", 30);
  });

  it("rejects a forged checkpoint", async () => {
    const log = await buildSealedLog();
    tamper(log, (db) => {
      const cp = db.prepare("SELECT note FROM checkpoints WHERE tree_size = 40").get() as { note: string };
      db.prepare("UPDATE checkpoints SET note = ? WHERE tree_size = 40").run(cp.note.replace("\n40\n", "\n39\n"));
    });
    const report = await verify(log);
    expectFirst(report, "CHECKPOINT_INVALID", null);
    expect(report.divergences[0]?.message).toContain("NOTE_SIGNATURE_INVALID");
  });

  it("rejects checkpoints re-signed with another key, even over a consistently rewritten log", async () => {
    const log = await buildSealedLog();
    const thief = buildEd25519Signer(nodeHasher, "trailproof.localhost/log/acme", new Uint8Array(32).fill(66));
    tamper(log, (db) => {
      for (const cp of db.prepare("SELECT tree_size, note FROM checkpoints").all() as {
        tree_size: number;
        note: string;
      }[]) {
        db.prepare("UPDATE checkpoints SET note = ? WHERE tree_size = ?").run(
          signNote(parseNote(cp.note).text, [thief]),
          cp.tree_size,
        );
      }
    });
    const report = await verify(log);
    expect(report.ok).toBe(false);
    expect(report.checkpoints).toBe(0);
    expect(report.divergences.every((d) => d.kind === "CHECKPOINT_INVALID")).toBe(true);
    expect(report.divergences[0]?.message).toContain("NOTE_UNSIGNED");
  });
});
