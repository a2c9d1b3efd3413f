// Fresh PostgreSQL databases for the PostgreSQL-store phases, as an operator
// sets one up (docs/storage.md): created by the superuser, migrated by its
// owner, used by the service as the app role (row-level security and the
// missing UPDATE/DELETE grants in force). Every database is dropped at the end.
import { join } from "node:path";
import { createMasterKey, DEFAULT_APP_ROLE, migratePostgres, openPostgres, type PgSql } from "@trailproof/ledger";

export interface BenchDatabase {
  name: string;
  /** The owner's URL (the superuser's here): migrations and CHECKPOINT. */
  ownerUrl: string;
  /** The service's URL: the app role. */
  appUrl: string;
}

export interface BenchDatabases {
  /** The master key every node and the in-process ledger are given. */
  masterKeyFile: string;
  /** A new database, a copy of the one migrated at open, so each phase starts empty. */
  create(label: string): Promise<BenchDatabase>;
  /** Drops every database this run created. */
  dropAll(): Promise<void>;
}

function urlFor(superUrl: string, database: string, user?: string): string {
  const u = new URL(superUrl);
  u.pathname = `/${database}`;
  if (user !== undefined) {
    u.username = user;
    u.password = "";
  }
  return u.toString();
}

async function asSuperuser<T>(superUrl: string, fn: (sql: PgSql) => Promise<T>): Promise<T> {
  const sql = openPostgres(superUrl, { max: 1, applicationName: "trailproof-bench" });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * `superUrl` names a superuser and a database that exists (the bench's --pg-url).
 * Requires the app role to exist with LOGIN (trust or a password in the URL):
 * the bench does not create roles on a server it shares.
 */
export async function openBenchDatabases(superUrl: string, workDir: string): Promise<BenchDatabases> {
  const prefix = `tp_bench_${process.pid}`;
  const created: string[] = [];
  const template = `${prefix}_template`;
  const [role] = await asSuperuser(
    superUrl,
    (sql) => sql<{ rolcanlogin: boolean }[]>`SELECT rolcanlogin FROM pg_roles WHERE rolname = ${DEFAULT_APP_ROLE}`,
  );
  if (!role?.rolcanlogin) throw new Error(`role ${DEFAULT_APP_ROLE} does not exist with LOGIN on ${superUrl}`);
  const dropAll = () =>
    asSuperuser(superUrl, async (sql) => {
      for (const name of created.reverse()) await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      created.length = 0;
    });
  try {
    await asSuperuser(superUrl, (sql) => sql.unsafe(`CREATE DATABASE ${template}`));
    created.push(template);
    const owner = openPostgres(urlFor(superUrl, template), { max: 1, applicationName: "trailproof-bench-migrate" });
    try {
      await migratePostgres(owner);
    } finally {
      await owner.end({ timeout: 5 });
    }
  } catch (err) {
    await dropAll();
    throw err;
  }
  const masterKeyFile = join(workDir, "master.key");
  createMasterKey(masterKeyFile);
  return {
    masterKeyFile,
    create: async (label) => {
      const name = `${prefix}_${label}`;
      await asSuperuser(superUrl, (sql) => sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`));
      created.push(name);
      return { name, ownerUrl: urlFor(superUrl, name), appUrl: urlFor(superUrl, name, DEFAULT_APP_ROLE) };
    },
    dropAll,
  };
}
