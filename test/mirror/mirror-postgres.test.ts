// `trailproof mirror --database` on the real PostgreSQL server: the mirror
// reads the store through the same LogStore contract as on SQLite (read-only
// transactions), so a log kept in PostgreSQL mirrors to the same tlog-tiles
// files, which verify, and grows consistently.
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMasterKey, type DataDir, openDatabase } from "@trailproof/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleEvents } from "../../apps/server/src/demo/sample-events.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";
import { trailproof } from "../run-cli.js";

let db: TestDatabase;
let data: DataDir;
let masterKeyFile: string;
let work: string;

beforeAll(async () => {
  db = await createTestDatabase();
  work = mkdtempSync(join(tmpdir(), "trailproof-mirror-pg-"));
  masterKeyFile = join(work, "master.key");
  createMasterKey(masterKeyFile);
  data = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0, poolSize: 4 });
  await data.ledger.createTenant("acme");
}, 60_000);

afterAll(async () => {
  await data?.ledger.close();
  await db?.drop();
});

describe("trailproof mirror --database", () => {
  it("mirrors a PostgreSQL log that verifies, and grows consistently", async () => {
    const store = ["--database", db.appUrl, "--master-key-file", masterKeyFile];
    await data.ledger.append("acme", sampleEvents(300, { seed: 11, idPrefix: "pg-a-" }));
    await data.ledger.publishCheckpoints();
    const key = (await data.ledger.verifierKeys("acme"))[0]?.verifier_key as string;
    const out = join(work, "acme");
    const first = await trailproof(["mirror", ...store, "--tenant", "acme", "--out", out]);
    expect(first.stderr).toBe("");
    const size = await data.ledger.treeSize("acme");
    expect(JSON.parse(first.stdout)).toMatchObject({ tree_size: size, published: true });
    const earlier = join(work, "earlier-checkpoint");
    cpSync(join(out, "checkpoint"), earlier);

    await data.ledger.append("acme", sampleEvents(300, { seed: 12, idPrefix: "pg-b-" }));
    await data.ledger.publishCheckpoints();
    const second = await trailproof(["mirror", ...store, "--tenant", "acme", "--out", out]);
    expect(JSON.parse(second.stdout)).toMatchObject({ tree_size: size + 300, published: true });
    const verified = await trailproof(["verify", "--tiles", out, "--key", key, "--checkpoint", earlier]);
    expect(verified.stdout).toContain(`${size + 300} entries rehashed`);
    expect(verified.stdout).toContain(`consistent with the earlier checkpoints of size ${size}`);
    expect(verified.code).toBe(0);
  }, 90_000);
});
