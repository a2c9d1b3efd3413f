// The tamper suite: edit a real SQLite file behind the library's back (its
// append-only triggers dropped, as an attacker with file access would) and
// show that verification names each class of tampering at the right index.

import { join } from "node:path";
import { buildEd25519Signer, type DivergenceKind, hashLeaf, parseNote, signNote } from "@trailproof/core";
import {
  DATA_DIR_MASTER_KEY,
  DERIVED_DIVERGENCE_KINDS,
  DigestKeyStore,
  FileKeyVault,
  nodeHasher,
  openDataDir,
  openSqliteStores,
  Pruner,
  readMasterKey,
  SubjectVault,
  tenantLogReport,
  type VerifyReport,
} from "@trailproof/ledger";
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
  const { log: store, audits } = openSqliteStores(log.dataDir);
  try {
    return await tenantLogReport(store, nodeHasher, log.tenant, {
      verifierKeys: [log.verifierKey],
      chunkSize: 7,
      derived: audits,
      digestKey: await new DigestKeyStore(new FileKeyVault(join(log.dataDir, "keys"))).find(log.tenant),
      subjects: new SubjectVault(store, readMasterKey(join(log.dataDir, DATA_DIR_MASTER_KEY)), undefined),
    });
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
    const sealed = report.divergences.filter((d) => !DERIVED_DIVERGENCE_KINDS.has(d.kind));
    expect(sealed.map((d) => d.kind)).toEqual(["ENTRY_MISSING", "LOG_TRUNCATED", "ROOT_MISMATCH"]);
    expect(sealed[0]?.message).toBe("entries 5..5 are missing");
    expect(sealed[2]?.message).toMatch(/size 10; the 2 signed checkpoint\(s\) after it differ too$/);
    // The deleted entry's search rows remain: they are named after the cause, once per kind of row.
    expect(report.divergences.length).toBeLessThan(10);
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

  describe("rows kept beside the leaves", () => {
    const kinds = (r: VerifyReport) => r.divergences.map((d) => `${d.kind}@${d.index}`);

    it("names event ids swapped between two rows (a lookup would serve the other event)", async () => {
      const log = await buildSealedLog();
      tamper(log, (db) => {
        const a = row(db, 3).event_id as string;
        const b = row(db, 4).event_id as string;
        db.prepare("UPDATE entries SET event_id = ? WHERE idx = 3").run("swap");
        db.prepare("UPDATE entries SET event_id = ? WHERE idx = 4").run(a);
        db.prepare("UPDATE entries SET event_id = ? WHERE idx = 3").run(b);
      });
      expect(kinds(await verify(log))).toEqual(["LOOKUP_MISMATCH@3", "LOOKUP_MISMATCH@4"]);
    });

    it("names an edited idempotency digest (a retry of other content would pass as a duplicate)", async () => {
      const log = await buildSealedLog();
      tamper(log, (db) => {
        expect(String(row(db, 6).content_digest)).toMatch(/^hmac-sha256:/);
        db.prepare("UPDATE entries SET content_digest = ? WHERE idx = 6").run(`hmac-sha256:${"0".repeat(64)}`);
      });
      expect(kinds(await verify(log))).toEqual(["LOOKUP_MISMATCH@6"]);
    });

    it("names an edited received time", async () => {
      const log = await buildSealedLog();
      tamper(log, (db) => db.prepare("UPDATE entries SET received_ms = received_ms - 1 WHERE idx = 8").run());
      expect(kinds(await verify(log))).toEqual(["LOOKUP_MISMATCH@8"]);
    });

    it("names a checkpoint row whose stored root was edited (reads serve it beside the note)", async () => {
      const log = await buildSealedLog();
      tamper(log, (db) =>
        db
          .prepare(
            "UPDATE checkpoints SET root_hash = zeroblob(32) WHERE tree_size = (SELECT MAX(tree_size) FROM checkpoints)",
          )
          .run(),
      );
      expect(kinds(await verify(log))).toEqual(["LOOKUP_MISMATCH@null"]);
    });

    it.each([
      ["actor_id", "'usr_nobody'"],
      ["action", "'app.nothing'"],
      ["occurred_ms", "occurred_ms + 1"],
      ["target_id", "'page_elsewhere'"],
      ["event_id", "'evt_other'"],
    ])("names a search row whose %s was edited (it would hide the event from search)", async (column, value) => {
      const log = await buildSealedLog();
      tamper(log, (db) => db.prepare(`UPDATE search_rows SET ${column} = ${value} WHERE idx = 11`).run());
      const report = await verify(log);
      expect(report.divergences[0]).toMatchObject({ kind: "PROJECTION_MISMATCH", index: 11 });
      expect(report.divergences[0]?.message).toContain(column);
      // An edited time also moves the event in the time blocks; nothing else is reported.
      expect(report.divergences.slice(1).every((d) => d.kind === "AGGREGATE_MISMATCH")).toBe(true);
    });

    it("names deleted search rows once, as a range", async () => {
      const log = await buildSealedLog();
      tamper(log, (db) => db.prepare("DELETE FROM search_rows WHERE idx BETWEEN 5 AND 9").run());
      const report = await verify(log);
      expect(report.divergences.filter((d) => d.kind === "PROJECTION_MISMATCH")).toEqual([
        { kind: "PROJECTION_MISMATCH", index: 5, message: "entries 5..9 have no search rows" },
      ]);
    });

    it("names a row deleted from the full-text index, which needs no trigger dropped", async () => {
      const log = await buildSealedLog();
      const db = new Database(log.dbPath);
      const r = db.prepare("SELECT idx, message FROM search_rows WHERE idx = 13").get() as { message: string };
      db.prepare("INSERT INTO search_fts (search_fts, rowid, message) VALUES ('delete', 13, ?)").run(r.message);
      db.close();
      expect(kinds(await verify(log))).toEqual(["TEXT_INDEX_MISMATCH@13"]);
    });

    it("names a removed tag and an edited hourly count", async () => {
      const log = await buildSealedLog();
      tamper(log, (db) => {
        expect(db.prepare("DELETE FROM search_tags WHERE idx = 2").run().changes).toBeGreaterThan(0);
        db.prepare("UPDATE search_hours SET n = n + 1 WHERE hour_ms = (SELECT min(hour_ms) FROM search_hours)").run();
      });
      const report = await verify(log);
      expect(kinds(report)).toEqual(["TAG_INDEX_MISMATCH@0", "AGGREGATE_MISMATCH@null"]);
      expect(report.divergences[1]?.message).toContain("hourly count");
    });

    it("names a search row past the projection's cursor", async () => {
      const log = await buildSealedLog();
      tamper(log, (db) => db.prepare("UPDATE projection_state SET covered = 30").run());
      const report = await verify(log);
      expect(report.divergences.find((d) => d.kind === "PROJECTION_MISMATCH")).toMatchObject({
        index: 30,
        message: "10 search row(s) from entry 30 on lie past the projection's cursor (30)",
      });
    });

    it("names an edited personal value and one deleted beside its commitment", async () => {
      const log = await buildSealedLog();
      tamper(log, (db) => {
        const [first, second] = db.prepare("SELECT idx, pointer FROM disclosures ORDER BY idx LIMIT 2").all() as {
          idx: number;
          pointer: string;
        }[];
        if (!first || !second) throw new Error("the sample log holds no personal values");
        // One bit of the sealed bytes flipped: it no longer opens under its subject's key.
        db.prepare(
          "UPDATE disclosures SET sealed = substr(sealed, 1, 20) || X'FF' || substr(sealed, 22) WHERE idx = ? AND pointer = ?",
        ).run(first.idx, first.pointer);
        db.prepare("DELETE FROM disclosures WHERE idx = ? AND pointer = ?").run(second.idx, second.pointer);
      });
      const report = await verify(log);
      expect(report.divergences.map((d) => d.kind)).toEqual(["DISCLOSURE_MISMATCH", "DISCLOSURE_MISMATCH"]);
      expect(report.divergences[0]?.message).toContain("does not open under its subject's key");
      expect(report.divergences[1]?.message).toContain("is missing beside its commitment");
    });

    it("names a value removed outside erasure: a tombstone without an erasure, and an erasure never logged", async () => {
      const log = await buildSealedLog();
      tamper(log, (db) => {
        const one = db.prepare("SELECT idx, pointer FROM disclosures ORDER BY idx LIMIT 1").get() as {
          idx: number;
          pointer: string;
        };
        db.prepare("UPDATE disclosures SET sealed = NULL WHERE idx = ? AND pointer = ?").run(one.idx, one.pointer);
      });
      const report = await verify(log);
      expect(report.divergences.map((d) => d.kind)).toEqual(["DISCLOSURE_MISMATCH"]);
      expect(report.divergences[0]?.message).toContain("disclosure removed outside erasure");

      // Shredding a subject by hand (its key and values, an erasure row) without erasure.complete in the log.
      const forged = await buildSealedLog();
      tamper(forged, (db) => {
        const { subject } = db.prepare("SELECT subject FROM disclosures ORDER BY idx LIMIT 1").get() as {
          subject: string;
        };
        db.prepare(
          "UPDATE subject_keys SET wrapped_key = NULL, erased_ms = 1, erasure_id = 'ers_forged' WHERE subject = ?",
        ).run(subject);
        const n = db.prepare("UPDATE disclosures SET sealed = NULL WHERE subject = ?").run(subject).changes;
        db.prepare("INSERT INTO erasures VALUES ('ers_forged', ?, 'x', 'y', 1, ?, ?)").run(subject, n, n);
      });
      const forgedReport = await verify(forged);
      expect(forgedReport.ok).toBe(false);
      expect(forgedReport.divergences.map((d) => d.message)).toEqual([expect.stringContaining("erasure ers_forged")]);
      expect(forgedReport.divergences[0]?.message).toContain("no erasure.complete event");
      expect(forgedReport.erasure.erased).toBeGreaterThan(0);

      // A key destroyed by hand with no erasure row at all.
      const keyless = await buildSealedLog();
      tamper(keyless, (db) => {
        const { subject } = db.prepare("SELECT subject FROM disclosures ORDER BY idx LIMIT 1").get() as {
          subject: string;
        };
        db.prepare(
          "UPDATE subject_keys SET wrapped_key = NULL, erased_ms = 1, erasure_id = 'ers_none' WHERE subject = ?",
        ).run(subject);
        db.prepare("UPDATE disclosures SET sealed = NULL WHERE subject = ?").run(subject);
      });
      const keylessReport = await verify(keyless);
      expect(keylessReport.divergences.map((d) => d.message)).toEqual([
        expect.stringContaining("destroyed without a recorded erasure"),
      ]);
    });
  });
});

describe("retention pruning on a real SQLite file", () => {
  it("accepts a log pruned by retention, reporting the pruned ranges apart", async () => {
    const log = await buildSealedLog();
    const data = await openDataDir({ dataDir: log.dataDir, checkpointIntervalMs: 0 });
    const { tenantId } = await data.ledger.tenantRecord(log.tenant);
    await data.retention.setRetentionPolicy(tenantId, { defaultKeepDays: 1, rules: [] }, "test", "x");
    await data.settled();
    const run = await new Pruner(data.ledger, data.retention).run(log.tenant, {
      nowMs: Date.now() + 10 * 86_400_000,
      maxEntries: 12,
    });
    expect(run.entries).toBe(12);
    await data.ledger.publishCheckpoints();
    await data.settled();
    await data.ledger.close();
    const report = await verify(log);
    expect(report).toMatchObject({ ok: true, divergences: [] });
    expect(report.pruned).toEqual({ entries: 12, ranges: [{ start: 0, end: 12, pruneIndex: 40 }] });
  });

  it("names a body removed outside pruning", async () => {
    const log = await buildSealedLog();
    tamper(log, (db) => {
      db.prepare("UPDATE entries SET leaf_data = x'' WHERE idx = 7").run();
    });
    const report = await verify(log);
    expectFirst(report, "BODY_REMOVED", 7);
    expect(report.divergences[0]?.message).toContain("removed outside pruning");
  });

  it("names a prune record forged to cover removed bodies, and bodies left inside a recorded range", async () => {
    const log = await buildSealedLog();
    tamper(log, (db) => {
      // Entry 10 is no retention.prune event: the record claims a prune that never happened.
      db.prepare("INSERT INTO pruned_ranges (start_idx, end_idx, prune_idx) VALUES (3, 5, 10)").run();
      db.prepare("UPDATE entries SET leaf_data = x'' WHERE idx >= 3 AND idx < 5").run();
      db.prepare("DELETE FROM disclosures WHERE idx >= 3 AND idx < 5").run();
    });
    const report = await verify(log);
    expectFirst(report, "PRUNE_RECORD_FORGED", 3);
    expect(report.divergences[0]?.message).toContain("prune record forged");

    const kept = await buildSealedLog();
    tamper(kept, (db) => {
      db.prepare("INSERT INTO pruned_ranges (start_idx, end_idx, prune_idx) VALUES (20, 22, 30)").run();
    });
    const inside = await verify(kept);
    expectFirst(inside, "PRUNE_RECORD_FORGED", 20);
    expect(inside.divergences.filter((d) => d.kind === "PRUNE_RECORD_FORGED").map((d) => d.index)).toEqual([
      20, 20, 21,
    ]);
  });
});
