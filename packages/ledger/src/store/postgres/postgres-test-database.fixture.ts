// Fresh databases on the real PostgreSQL server for tests: each is a copy
// of a template migrated once per test process, so a suite that opens a new
// store per test pays a file copy, not the migrations. Tests connect as the
// app role (LOGIN here, trust auth on 127.0.0.1), never as the owner, so
// row-level security and the missing UPDATE/DELETE grants are what they see.
import { randomBytes } from "node:crypto";
import { openPostgres, type PgSql } from "./postgres-client.js";
import { DEFAULT_APP_ROLE, migratePostgres } from "./postgres-migrations.js";

/** The server the tests use: a superuser URL on a database that exists. */
export const TEST_POSTGRES_URL = process.env.TRAILPROOF_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  name: string;
  /** The owner's URL: migrations, and the "operator with psql" of tamper tests. */
  ownerUrl: string;
  /** The service's URL: the app role, subject to row-level security. */
  appUrl: string;
  drop(): Promise<void>;
}

let template: Promise<string> | undefined;
/** Set by test/postgres-setup.ts, which drops this run's databases when it ends. */
const run = process.env.TRAILPROOF_TEST_RUN ?? "adhoc";

function urlFor(database: string, user?: string): string {
  const u = new URL(TEST_POSTGRES_URL);
  u.pathname = `/${database}`;
  if (user !== undefined) {
    u.username = user;
    u.password = "";
  }
  return u.toString();
}

async function admin<T>(fn: (sql: PgSql) => Promise<T>): Promise<T> {
  const sql = openPostgres(TEST_POSTGRES_URL, { max: 1, applicationName: "trailproof-tests" });
  try {
    return await fn(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function createTemplate(): Promise<string> {
  const name = `tp_tpl_${run}_${process.pid}_${randomBytes(3).toString("hex")}`;
  await admin(async (sql) => {
    await sql.unsafe(`DO $$ BEGIN
      CREATE ROLE ${DEFAULT_APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
    // A migration may have created it first, NOLOGIN as it does for operators.
    await sql.unsafe(`ALTER ROLE ${DEFAULT_APP_ROLE} LOGIN`);
    await sql.unsafe(`CREATE DATABASE ${name}`);
  });
  const owner = openPostgres(urlFor(name), { max: 1, applicationName: "trailproof-tests" });
  try {
    await migratePostgres(owner);
  } finally {
    await owner.end({ timeout: 5 });
  }
  return name;
}

/** A new, migrated, empty database. */
export async function createTestDatabase(): Promise<TestDatabase> {
  template ??= createTemplate();
  const source = await template;
  const name = `tp_${run}_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin((sql) => sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${source}`));
  return {
    name,
    ownerUrl: urlFor(name),
    appUrl: urlFor(name, DEFAULT_APP_ROLE),
    drop: () => admin(async (sql) => void (await sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}
