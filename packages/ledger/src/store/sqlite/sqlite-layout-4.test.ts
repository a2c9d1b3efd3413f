// Layout 3 to 4 on a real file: personal values a layout-3 file kept in clear
// are sealed under subject keys when the ledger first loads the tenant, the
// clear-text table is gone, nothing of the values is left in the file's
// bytes, and the values read exactly as before.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openDataDir } from "../../open-data-dir.js";
import { SQLITE_LAYOUT_VERSION } from "./sqlite-tenant-schema.js";

const NAME = "Grace Zqxwvhopper";

describe("SQLite layout 4", () => {
  it("seals a layout-3 file's clear-text values on first load and leaves none behind", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-layout4-"));
    const first = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0 });
    await first.ledger.createTenant("acme");
    await first.ledger.append("acme", [
      {
        id: "e1",
        action: "app.update",
        occurred_at: "2026-11-05T12:00:00Z",
        actor: { type: "user", id: "usr_grace", name: NAME },
        context: { ip: "192.0.2.44" },
        target: { type: "app", id: "app_1" },
      },
    ]);
    const before = await first.ledger.disclosures("acme", 0);
    expect(before.map((d) => d.value)).toEqual([NAME, "192.0.2.44"]);
    await first.ledger.close();

    // The file as layout 3 kept it: the same values in clear, no subject keys.
    const path = join(dataDir, "tenants", "acme.db");
    const db = new Database(path);
    db.exec(`DROP TRIGGER disclosures_no_delete; DROP TRIGGER subject_keys_no_delete;
      DROP TABLE disclosures; DROP TABLE subject_keys; DROP TABLE erasures;
      CREATE TABLE disclosures (idx INTEGER NOT NULL, pointer TEXT NOT NULL, salt BLOB NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (idx, pointer)) WITHOUT ROWID;
      PRAGMA user_version = 3;`);
    const insert = db.prepare("INSERT INTO disclosures VALUES (0, ?, ?, ?)");
    for (const d of before) insert.run(d.pointer, Buffer.from(d.salt, "base64"), JSON.stringify(d.value));
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    expect(readFileSync(path).includes(Buffer.from(NAME))).toBe(true);

    const upgraded = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0 });
    const after = await upgraded.ledger.disclosures("acme", 0);
    expect(after).toEqual(before);
    const { tenantId } = await upgraded.ledger.tenantRecord("acme");
    expect(await upgraded.ledger.store.readPlainDisclosures(tenantId, 10)).toEqual([]);
    const rows = await upgraded.ledger.store.readDisclosureRange(tenantId, 0, 1);
    expect(rows.every((r) => r.subject.startsWith("psn_") && r.sealed !== null)).toBe(true);
    await upgraded.ledger.close();

    const file = new Database(path, { readonly: true });
    expect(file.pragma("user_version", { simple: true })).toBe(SQLITE_LAYOUT_VERSION);
    expect(file.prepare("SELECT name FROM sqlite_master WHERE name = 'plain_disclosures'").get()).toBeUndefined();
    file.close();
    for (const f of [path, `${path}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(f);
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(NAME)), f).toBe(false);
      expect(bytes.includes(Buffer.from("192.0.2.44")), f).toBe(false);
    }
  });
});
