// A real sealed log in a PostgreSQL database for cross-module suites, built
// once through openDatabase as the service builds it, then copied per test
// (CREATE DATABASE ... TEMPLATE) so each test tampers with its own copy.
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createMasterKey, DEFAULT_APP_ROLE, openDatabase, openPostgres, type PgSql } from "@trailproof/ledger";
import { sampleEvents } from "../apps/server/src/demo/sample-events.js";
import {
  createTestDatabase,
  TEST_POSTGRES_URL,
} from "../packages/ledger/src/store/postgres/postgres-test-database.fixture.js";

export interface PostgresSealedLog {
  /** The service's URL (the app role). */
  appUrl: string;
  /** The owner's URL: the "DBA with psql" of tamper tests. */
  ownerUrl: string;
  masterKeyFile: string;
  tenant: string;
  /** Entries and signed checkpoints in the log as built. */
  treeSize: number;
  checkpoints: number;
  drop(): Promise<void>;
}

function urlFor(database: string, user?: string): string {
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${database}`;
  if (user !== undefined) {
    u.username = user;
    u.password = "";
  }
  return u.toString();
}

async function asAdmin(statement: string): Promise<void> {
  const sql = openPostgres(TEST_POSTGRES_URL, { max: 1, applicationName: "trailproof-tests" });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * Builds the log once per test process: one tenant, events appended one by
 * one in `steps` (personal values such as context.ip among them), a signed
 * checkpoint after each step (plus the empty tree's at creation).
 */
async function buildTemplate(
  steps: readonly number[],
): Promise<Omit<PostgresSealedLog, "appUrl" | "ownerUrl" | "drop"> & { name: string }> {
  const db = await createTestDatabase();
  const masterKeyFile = join(mkdtempSync(join(tmpdir(), "trailproof-pg-log-")), "master.key");
  createMasterKey(masterKeyFile);
  const tenant = "acme";
  const data = await openDatabase({ database: db.appUrl, masterKeyFile, checkpointIntervalMs: 0, poolSize: 4 });
  try {
    await data.ledger.createTenant(tenant);
    let offset = 0;
    for (const count of steps) {
      const events = sampleEvents(count, {
        seed: offset + 1,
        idPrefix: `evt_${offset}`,
        startMs: Date.UTC(2026, 0, 1) + offset * 60_000,
      });
      for (const e of events) {
        const [r] = await data.ledger.append(tenant, [e]);
        if (r?.status !== "created") throw new Error(`sample event rejected: ${JSON.stringify(r)}`);
      }
      await data.ledger.publishCheckpoints();
      offset += count;
    }
    // The search projection covers every entry before the copy is taken.
    await data.settled();
  } finally {
    await data.ledger.close();
  }
  process.once("beforeExit", () => void db.drop().catch(() => undefined));
  const treeSize = steps.reduce((a, b) => a + b, 0);
  return { name: db.name, masterKeyFile, tenant, treeSize, checkpoints: steps.length + 1 };
}

let template: ReturnType<typeof buildTemplate> | undefined;

/** A fresh copy of the sealed log (built on first use), in its own database. */
export async function copySealedLog(): Promise<PostgresSealedLog> {
  template ??= buildTemplate([20, 15, 15]);
  const { name: source, ...log } = await template;
  const name = `tp_${process.pid}_${randomBytes(4).toString("hex")}`;
  await asAdmin(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  return {
    ...log,
    appUrl: urlFor(name, DEFAULT_APP_ROLE),
    ownerUrl: urlFor(name),
    drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * Runs `edit` as the owner with the append-only triggers out of the way
 * (session_replication_role = replica), as a DBA tampering behind the
 * service's back would; `tenantId` is the log's tenant.
 */
export async function tamperAsOwner(
  log: PostgresSealedLog,
  edit: (tx: PgSql, tenantId: number) => Promise<unknown>,
): Promise<void> {
  const sql = openPostgres(log.ownerUrl, { max: 1, applicationName: "trailproof-tamper" });
  try {
    await sql.begin(async (tx) => {
      await tx`SET LOCAL session_replication_role = replica`;
      const [row] = await tx<{ tenant_id: number }[]>`SELECT tenant_id FROM tenants WHERE name = ${log.tenant}`;
      if (!row) throw new Error(`no tenant ${log.tenant}`);
      await edit(tx as unknown as PgSql, row.tenant_id);
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
