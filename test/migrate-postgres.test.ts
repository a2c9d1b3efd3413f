// `trailproof migrate` on real stores: a SQLite data directory written by the
// service copied into a real PostgreSQL database, verified there, served
// from there, caught up after more appends, and refused once the copies diverge.
// A pruned tenant's recorded ranges are copied with its blank bodies, and the
// copy verifies on PostgreSQL, the pruned range reported.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { hasErrorCode, rootFromInclusionProof, toHex } from "@trailproof/core";
import {
  createMasterKey,
  type DataDir,
  issueApiKey,
  migrateDataDir,
  nodeHasher,
  openDatabase,
  openDataDir,
  openPostgres,
  openPostgresStores,
  openSqliteStores,
  provisionTenant,
  readMasterKey,
} from "@trailproof/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";
import {
  createTestDatabase,
  type TestDatabase,
} from "../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";
import { eraseAsTheService } from "./erase-subject.js";

const run = promisify(execFile);
const bin = join(import.meta.dirname, "../apps/cli/bin/trailproof.js");
const TENANTS = ["acme", "globex"] as const;
/** A tenant whose old entries `trailproof prune` pruned before the copy. */
const PRUNED_TENANT = "initech";
const DAY_MS = 86_400_000;

async function trailproof(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: join(import.meta.dirname, "..") });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function withSqlite<T>(dataDir: string, fn: (data: DataDir) => Promise<T>): Promise<T> {
  const data = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0 });
  try {
    return await fn(data);
  } finally {
    await data.ledger.close();
  }
}

/** Appends `count` sample events (personal values included), one commit per `step`, signing after each step. */
async function appendSteps(data: DataDir, tenant: string, seed: number, count: number, step: number): Promise<void> {
  const events = sampleEvents(count, { seed, idPrefix: `evt_${seed}_`, startMs: Date.now() - 86_400_000 });
  for (let i = 0; i < events.length; i += step) {
    const results = await data.ledger.append(tenant, events.slice(i, i + step));
    expect(results.every((r) => r.status === "created")).toBe(true);
    await data.ledger.publishCheckpoints();
  }
}

/** Every file of the data directory by content; an empty or missing -wal is the same, -shm is SQLite's lock index. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!name.endsWith("-shm") && !(name.endsWith("-wal") && statSync(path).size === 0)) {
        out.set(relative(dir, path), createHash("sha256").update(readFileSync(path)).digest("hex"));
      }
    }
  };
  walk(dir);
  return out;
}

/** What a copy must hold identically, per tenant name: leaves, personal values, checkpoints, schemas. */
async function logContents(
  log: ReturnType<typeof openSqliteStores>["log"] | ReturnType<typeof openPostgresStores>["log"],
) {
  const out: Record<string, unknown> = {};
  for (const t of await log.listTenants()) {
    const size = await log.treeSize(t.tenantId);
    out[t.name] = {
      origin: t.origin,
      size,
      leaves: (await log.readLeaves(t.tenantId, 0, size)).map((l) => ({
        ...l,
        leafData: toHex(l.leafData),
        leafHash: toHex(l.leafHash),
      })),
      disclosures: (await log.readDisclosureRange(t.tenantId, 0, size)).map((d) => ({
        ...d,
        sealed: d.sealed && toHex(d.sealed),
      })),
      checkpoints: (await log.listCheckpoints(t.tenantId)).map((c) => ({ ...c, rootHash: toHex(c.rootHash) })),
      schemas: await log.listActionSchemas(t.tenantId),
      erasures: await log.listErasures(t.tenantId),
    };
  }
  return out;
}

async function sqliteContents(dataDir: string) {
  const stores = openSqliteStores(dataDir);
  try {
    return await logContents(stores.log);
  } finally {
    await stores.log.close();
  }
}

async function postgresContents(db: TestDatabase, masterKey: Uint8Array) {
  const stores = openPostgresStores(openPostgres(db.appUrl, { max: 2 }), masterKey);
  try {
    return await logContents(stores.log);
  } finally {
    await stores.log.close();
  }
}

describe("trailproof migrate (SQLite data directory into PostgreSQL)", () => {
  let db: TestDatabase;
  let dataDir: string;
  let masterKeyFile: string;
  let adminKeyId: string;
  let ingestKeyId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), "trailproof-migrate-"));
    masterKeyFile = join(dataDir, "..", `${relative(tmpdir(), dataDir)}.master-key`);
    createMasterKey(masterKeyFile);
    await withSqlite(dataDir, async (data) => {
      for (const [k, tenant] of TENANTS.entries()) {
        const provisioned = await provisionTenant(data.ledger, data.access, tenant, { createdBy: "test" });
        if (k === 0) adminKeyId = provisioned.adminKeyId;
        await appendSteps(data, tenant, k + 1, 150 + 50 * k, 40);
      }
      // An erasure, as the service carries it out: its tombstones, record and event must all travel.
      await eraseAsTheService(data.ledger, "acme", "usr_grace", "ers_migrate", new Date());
      await data.ledger.publishCheckpoints();
      await data.ledger.registerActionSchema("acme", {
        action: "shop.order.create",
        version: 1,
        kind: "create",
        category: "data",
        defaultRisk: "low",
      });
      const acme = (await data.ledger.getTenant("acme"))?.tenantId as number;
      const ingest = await issueApiKey(data.access, { tenantId: acme, role: "ingest", name: "ci", createdBy: null });
      ingestKeyId = ingest.record.keyId;
      await data.people.insertPerson({
        tenantId: acme,
        username: "ada",
        displayName: "Ada Lovelace",
        role: "auditor",
        passwordHash: "scrypt$placeholder",
        totpSecret: null,
        totpEnrolledAt: null,
        totpLastStep: 0,
        recoveryHashes: [],
        createdAt: new Date().toISOString(),
        disabledAt: null,
      });
      const now = Date.now();
      await data.people.insertSession({
        sessionHash: "a".repeat(64),
        tenantId: acme,
        username: "ada",
        csrfToken: "csrf",
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 3_600_000).toISOString(),
        revokedAt: null,
      });
      await data.people.insertViewerToken({
        tokenId: "vt_1",
        tenantId: acme,
        secretHash: "b".repeat(64),
        viewerId: "usr_1",
        viewerName: null,
        filter: { actor_id: "usr_1" },
        createdBy: "ada",
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 3_600_000).toISOString(),
      });
      await data.settled();
    });
    // Received 100 days ago under a 30-day default: `trailproof prune` removes their bodies.
    const then = Date.now() - 100 * DAY_MS;
    const old = await openDataDir({ dataDir, checkpointIntervalMs: 0, sealingWorkers: 0, now: () => then });
    try {
      const t = await old.ledger.createTenant(PRUNED_TENANT);
      const results = await old.ledger.append(
        PRUNED_TENANT,
        sampleEvents(30, { seed: 5, idPrefix: "old_", startMs: then - 60_000 }),
      );
      expect(results.every((r) => r.status === "created")).toBe(true);
      await old.ledger.publishCheckpoints();
      await old.retention.setRetentionPolicy(
        t.tenantId,
        { defaultKeepDays: 30, rules: [] },
        "test",
        new Date().toISOString(),
      );
      await old.settled();
    } finally {
      await old.ledger.close();
    }
    const pruned = await trailproof("prune", "--data", dataDir, "--tenant", PRUNED_TENANT);
    expect(pruned.stdout).toContain(`${PRUNED_TENANT}: pruned 30 entries`);
    await withSqlite(dataDir, (data) => data.ledger.publishCheckpoints());
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it("says the schema is current, and refuses a newer one in one line with exit 2", async () => {
    const current = await trailproof("migrate", "--database", db.ownerUrl);
    expect(current.code).toBe(0);
    expect(current.stdout).toMatch(/version \d+, up to date/);

    const other = await createTestDatabase();
    try {
      const owner = openPostgres(other.ownerUrl, { max: 1 });
      await owner`INSERT INTO schema_migrations (version, name) VALUES (999, 'from-the-future')`;
      await owner.end();
      const newer = await trailproof("migrate", "--database", other.ownerUrl);
      expect(newer.code).toBe(2);
      expect(newer.stderr.trim().split("\n")).toHaveLength(1);
      expect(newer.stderr).toContain("error POSTGRES_SCHEMA_NEWER");
    } finally {
      await other.drop();
    }
  });

  it("copies every log, key and catalogue row, verifies, serves, catches up, and never writes the data directory", async () => {
    const before = snapshot(dataDir);
    const copy = await trailproof("migrate", "--from", dataDir, "--to", db.appUrl, "--master-key-file", masterKeyFile);
    expect(copy.stderr).not.toContain("error");
    expect(copy.code).toBe(0);
    expect(snapshot(dataDir)).toEqual(before);

    const sqlite = await sqliteContents(dataDir);
    const masterKey = readMasterKey(masterKeyFile);
    expect(await postgresContents(db, masterKey)).toEqual(sqlite);
    for (const tenant of TENANTS) {
      const { size, checkpoints } = sqlite[tenant] as { size: number; checkpoints: { rootHash: string }[] };
      expect(checkpoints.length).toBeGreaterThan(3);
      expect(copy.stdout).toContain(`OK ${tenant}: ${size} entries copied (0 -> ${size})`);
      expect(copy.stdout).toContain(`root at ${size}: ${checkpoints.at(-1)?.rootHash}`);
    }
    // Sealing personal values creates each tenant's pseudonym key on first use: it is copied too.
    expect(copy.stdout).toContain(
      "keys: digest-key copied, pseudonym-key copied, published-checkpoint copied, signing-key.pem copied",
    );

    // The service on PostgreSQL: same keys, catalogue and proofs.
    const served = await openDatabase({
      database: db.appUrl,
      masterKeyFile,
      checkpointIntervalMs: 0,
      sealingWorkers: 0,
    });
    try {
      const acme = await served.ledger.getTenant("acme");
      const key = await served.access.findApiKey(adminKeyId);
      expect(key).toMatchObject({ tenantId: acme?.tenantId, role: "admin", revokedAt: null });
      expect(await served.people.findPerson(acme?.tenantId as number, "ada")).toMatchObject({
        displayName: "Ada Lovelace",
      });
      expect(await served.people.findSession("a".repeat(64))).toMatchObject({
        username: "ada",
        tenantId: acme?.tenantId,
      });
      expect(await served.people.findViewerToken("vt_1")).toMatchObject({ filter: { actor_id: "usr_1" } });
      const { size, leaves, checkpoints } = sqlite.acme as {
        size: number;
        leaves: { leafHash: string }[];
        checkpoints: { treeSize: number; rootHash: string }[];
      };
      const proof = await served.ledger.inclusionProof("acme", 7, size);
      const root = rootFromInclusionProof(
        nodeHasher,
        7n,
        BigInt(size),
        Buffer.from(leaves[7]?.leafHash as string, "hex"),
        proof,
      );
      expect(toHex(root)).toBe(checkpoints.at(-1)?.rootHash);
      // The search projection the copy built by following the log.
      const page = await served.query.search(acme?.tenantId as number, {}, { limit: 500, order: "asc" });
      expect(page.entries.length).toBe(size);
    } finally {
      await served.ledger.close();
    }

    // More on SQLite and a revoked key, then a catch-up that copies only those.
    const revokedAt = new Date().toISOString();
    await withSqlite(dataDir, async (data) => {
      await appendSteps(data, "acme", 9, 60, 30);
      const acme = (await data.ledger.getTenant("acme"))?.tenantId as number;
      expect(await data.access.revokeApiKey(acme, ingestKeyId, revokedAt)).toBe("revoked");
    });
    const sizeBefore = (sqlite.acme as { size: number }).size;
    const again = await migrateDataDir({ from: dataDir, to: db.appUrl, masterKeyFile, batchEntries: 25 });
    expect(again.ok).toBe(true);
    const acmeAgain = again.tenants.find((t) => t.tenant === "acme");
    expect(acmeAgain).toMatchObject({ fromSize: sizeBefore, toSize: sizeBefore + 60, checkpointsCopied: 2 });
    expect(again.tenants.find((t) => t.tenant === "globex")).toMatchObject({ checkpointsCopied: 0 });
    expect(again.tenants.find((t) => t.tenant === "globex")?.toSize).toBe(
      again.tenants.find((t) => t.tenant === "globex")?.fromSize,
    );
    expect(again.catalogue.apiKeys).toEqual({ inserted: 0, updated: 1, unchanged: 2 });
    const pgAccess = openPostgresStores(openPostgres(db.appUrl, { max: 1 }), masterKey);
    try {
      expect((await pgAccess.access.findApiKey(ingestKeyId))?.revokedAt).toBe(revokedAt);
    } finally {
      await pgAccess.log.close();
    }
    const after = await sqliteContents(dataDir);
    const copied = await postgresContents(db, masterKey);
    expect((copied.acme as { leaves: unknown[] }).leaves).toEqual((after.acme as { leaves: unknown[] }).leaves);
    expect(acmeAgain?.rootHash).toBe(
      (after.acme as { checkpoints: { rootHash: string }[] }).checkpoints.at(-1)?.rootHash,
    );
  });

  it("copied the pruned tenant's recorded ranges with its blank bodies, and the copy verifies on PostgreSQL", async () => {
    // Runs after the copy and its catch-up above (which found nothing more to prune).
    const sqlite = openSqliteStores(dataDir);
    const pg = openPostgresStores(openPostgres(db.appUrl, { max: 1 }), readMasterKey(masterKeyFile));
    try {
      const ours = (await sqlite.log.getTenant(PRUNED_TENANT))?.tenantId as number;
      const theirs = (await pg.log.getTenant(PRUNED_TENANT))?.tenantId as number;
      const ranges = await sqlite.log.readPrunedRanges(ours);
      expect(ranges).toEqual([{ start: 0, end: 30, pruneIndex: 30 }]);
      expect(await pg.log.readPrunedRanges(theirs)).toEqual(ranges);
      const leaves = await pg.log.readLeaves(theirs, 0, 31);
      expect(leaves.map((l) => l.leafData.length === 0)).toEqual([...Array(30).fill(true), false]);
      // The search projection the copy built skipped the pruned entries, as pruning deletes their rows.
      const page = await pg.query.search(theirs, {}, { limit: 500, order: "asc" });
      expect(page.entries.map((e) => e.index)).toEqual([30]);
    } finally {
      await sqlite.log.close();
      await pg.log.close();
    }
    const verified = await trailproof(
      "verify",
      "--database",
      db.appUrl,
      "--master-key-file",
      masterKeyFile,
      "--tenant",
      PRUNED_TENANT,
    );
    expect(verified.stdout).toMatch(new RegExp(`^OK ${PRUNED_TENANT}`, "m"));
    expect(verified.stdout).toContain("pruned: 30 entries in 1 range(s): [0, 30) by entry 30");
    expect(verified.code).toBe(0);
  });

  it("refuses to catch up a PostgreSQL copy that was appended to, writing nothing", async () => {
    const forked = await createTestDatabase();
    try {
      expect((await migrateDataDir({ from: dataDir, to: forked.appUrl, masterKeyFile })).ok).toBe(true);
      const served = await openDatabase({
        database: forked.appUrl,
        masterKeyFile,
        checkpointIntervalMs: 0,
        sealingWorkers: 0,
      });
      try {
        await appendSteps(served, "acme", 77, 3, 3);
      } finally {
        // Its followers' first reads finished: closing under them leaves an unhandled rejection behind.
        await served.settled();
        await served.ledger.close();
      }
      await withSqlite(dataDir, (data) => appendSteps(data, "acme", 78, 10, 10));
      const sizes = async () => {
        const stores = openPostgresStores(openPostgres(forked.appUrl, { max: 1 }), readMasterKey(masterKeyFile));
        try {
          const t = await stores.log.getTenant("acme");
          return [
            await stores.log.treeSize(t?.tenantId as number),
            (await stores.log.listCheckpoints(t?.tenantId as number)).length,
          ];
        } finally {
          await stores.log.close();
        }
      };
      const held = await sizes();
      const refused = await migrateDataDir({ from: dataDir, to: forked.appUrl, masterKeyFile }).catch(
        (e: unknown) => e,
      );
      expect(hasErrorCode(refused, "MIGRATE_DIVERGED")).toBe(true);
      expect(await sizes()).toEqual(held);
    } finally {
      await forked.drop();
    }
  });

  it("leaves a data directory it cannot copy alone, with the reason", async () => {
    const empty = mkdtempSync(join(tmpdir(), "trailproof-migrate-empty-"));
    const refused = await trailproof("migrate", "--from", empty, "--to", db.appUrl, "--master-key-file", masterKeyFile);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("MIGRATE_SOURCE_INVALID");
    expect(existsSync(join(empty, "trailproof.db"))).toBe(false);
  });
});
