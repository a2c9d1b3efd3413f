// Every table of a data directory's catalogue is either copied by `trailproof
// migrate` or named in its not-copied list with a reason (state-tables.ts):
// a table added later fails this test until someone decides which.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COPIED_TABLES, NOT_COPIED_TABLES, openDataDir } from "@trailproof/ledger";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

describe("trailproof migrate: the catalogue's tables", () => {
  it("are each copied or deliberately not copied, never both, never neither", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "trailproof-migrate-tables-"));
    const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0 });
    await data.ledger.createTenant("acme");
    await data.settled();
    await data.ledger.close();
    const db = new Database(join(dataDir, "trailproof.db"), { readonly: true });
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    )
      .map((r) => r.name)
      // SQLite's own (sqlite_sequence, sqlite_stat1): not the service's state.
      .filter((name) => !name.startsWith("sqlite_"));
    db.close();

    expect(tables).toContain("legal_holds");
    const undecided = tables.filter((t) => !(t in COPIED_TABLES) && !(t in NOT_COPIED_TABLES));
    expect(undecided).toEqual([]);
    const both = Object.keys(COPIED_TABLES).filter((t) => t in NOT_COPIED_TABLES);
    expect(both).toEqual([]);
    for (const reason of Object.values(NOT_COPIED_TABLES)) expect(reason.length).toBeGreaterThan(20);
    // A name in a list but in no catalogue is a stale decision: drop it from the list.
    const stale = [...Object.keys(COPIED_TABLES), ...Object.keys(NOT_COPIED_TABLES)].filter((t) => !tables.includes(t));
    expect(stale).toEqual([]);
  });
});
