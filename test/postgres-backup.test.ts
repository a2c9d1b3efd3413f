// The PostgreSQL backup runbook (docs/runbooks/postgres-backup.md) as a test:
// a database the service wrote, dumped with pg_dump (custom format),
// restored with pg_restore into a new database, and verified there.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { hasErrorCode, toHex } from "@trailproof/core";
import {
  createMasterKey,
  DigestKeyStore,
  nodeHasher,
  openDatabase,
  openPostgres,
  openPostgresStores,
  PublishedCheckpointRecord,
  provisionTenant,
  readMasterKey,
  SigningKeyStore,
  tenantLogReport,
} from "@trailproof/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";
import {
  createTestDatabase,
  TEST_POSTGRES_URL,
  type TestDatabase,
} from "../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";

const run = promisify(execFile);
const PG_BIN = "/usr/bin";
const TENANTS = ["acme", "globex"] as const;

/** The client tool, or a failure naming the package that provides it. */
function tool(name: "pg_dump" | "pg_restore"): string {
  const path = join(PG_BIN, name);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: install Debian's postgresql-client (apt-get install postgresql-client)`);
  }
  return path;
}

function urlOf(database: string, user?: string): string {
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${database}`;
  if (user !== undefined) u.username = user;
  return u.toString();
}

/** Each tenant's size and latest checkpoint, and whether its log verifies, read as the app role. */
async function inspect(appUrl: string, masterKey: Uint8Array) {
  const stores = openPostgresStores(openPostgres(appUrl, { max: 2 }), masterKey);
  try {
    const keys = new SigningKeyStore(stores.vault, nodeHasher);
    const out: Record<string, { size: number; root: string; note: string; ok: boolean }> = {};
    for (const t of await stores.log.listTenants()) {
      const published = await new PublishedCheckpointRecord(stores.vault).read(t.name);
      const report = await tenantLogReport(stores.log, nodeHasher, t.name, {
        verifierKeys: (await keys.verifiers(t.name)).map((k) => k.verifier_key),
        derived: stores.audits,
        digestKey: await new DigestKeyStore(stores.vault).find(t.name),
        published: published === undefined ? [] : [published],
      });
      const latest = await stores.log.latestCheckpoint(t.tenantId);
      out[t.name] = {
        size: await stores.log.treeSize(t.tenantId),
        root: toHex(latest?.rootHash ?? new Uint8Array()),
        note: latest?.note ?? "",
        ok: report.ok && report.divergences.length === 0,
      };
    }
    return out;
  } finally {
    await stores.log.close();
  }
}

describe("PostgreSQL backup and restore (pg_dump, pg_restore)", () => {
  let db: TestDatabase;
  let dir: string;
  let masterKeyFile: string;
  const restored = `tp_restored_${process.pid}_${randomBytes(3).toString("hex")}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "trailproof-pg-backup-"));
    masterKeyFile = join(dir, "master-key");
    createMasterKey(masterKeyFile);
    const data = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0, sealingWorkers: 0 });
    try {
      for (const [k, tenant] of TENANTS.entries()) {
        await provisionTenant(data.ledger, data.access, tenant, { createdBy: "test" });
        const events = sampleEvents(120, { seed: k + 1, idPrefix: `evt_${k}_`, startMs: Date.now() - 86_400_000 });
        for (let i = 0; i < events.length; i += 40) {
          const results = await data.ledger.append(tenant, events.slice(i, i + 40));
          expect(results.every((r) => r.status === "created")).toBe(true);
          await data.ledger.publishCheckpoints();
        }
      }
      await data.settled();
    } finally {
      await data.ledger.close();
    }
  });

  afterAll(async () => {
    const admin = openPostgres(TEST_POSTGRES_URL, { max: 1 });
    try {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${restored} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    await db?.drop();
  });

  it("restores a custom-format dump into a new database whose logs verify with the same roots", async () => {
    const dump = join(dir, "trailproof.dump");
    await run(tool("pg_dump"), ["--format=custom", "--file", dump, db.ownerUrl]);

    const admin = openPostgres(TEST_POSTGRES_URL, { max: 1 });
    try {
      await admin.unsafe(`CREATE DATABASE ${restored} TEMPLATE template0`);
    } finally {
      await admin.end();
    }
    await run(tool("pg_restore"), ["--exit-on-error", "--dbname", urlOf(restored), dump]);

    const masterKey = readMasterKey(masterKeyFile);
    const original = await inspect(db.appUrl, masterKey);
    const copy = await inspect(urlOf(restored, "trailproof_app"), masterKey);
    expect(Object.keys(copy).sort()).toEqual([...TENANTS]);
    for (const tenant of TENANTS) {
      expect(original[tenant]?.ok).toBe(true);
      expect(copy[tenant]).toEqual(original[tenant]);
      expect(copy[tenant]?.size).toBeGreaterThan(120);
    }

    // A node started on the restored database: the published-checkpoint
    // records came back with the logs, so it opens without a rollback notice.
    const node = await openDatabase({
      database: urlOf(restored, "trailproof_app"),
      masterKeyFile,
      checkpointIntervalMs: 0,
      sealingWorkers: 0,
    });
    try {
      expect(toHex(await node.ledger.rootHashAt("acme", original.acme?.size as number))).toBe(original.acme?.root);
    } finally {
      await node.ledger.close();
    }

    // The dump alone does not hold the keys' master key: another key opens nothing.
    const otherKeyFile = join(dir, "other-master-key");
    writeFileSync(otherKeyFile, `${randomBytes(32).toString("base64")}\n`);
    const refused = await inspect(urlOf(restored, "trailproof_app"), readMasterKey(otherKeyFile)).catch(
      (e: unknown) => e,
    );
    expect(hasErrorCode(refused, "KEY_ITEM_UNREADABLE")).toBe(true);
  });
});
