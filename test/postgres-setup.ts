// vitest globalSetup: the PostgreSQL suites run against the real server
// (TRAILPROOF_TEST_POSTGRES_URL, default the local one). Checks it answers
// before any suite starts, names this run's test databases, and drops every
// database the run created when it ends, whatever its suites left behind.
import { randomBytes } from "node:crypto";
import postgres from "postgres";

const url = process.env.TRAILPROOF_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export async function setup(): Promise<() => Promise<void>> {
  // Test processes inherit it: their databases are named tp_<run>_... (postgres-test-database.fixture.ts).
  const run = `r${randomBytes(3).toString("hex")}`;
  process.env.TRAILPROOF_TEST_RUN = run;
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    await sql`SELECT 1`;
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => undefined);
    throw new Error(
      `PostgreSQL at ${url} does not answer (${String(err)}): the store suites need the real server. Start it (Debian: pg_ctlcluster <version> main start) or set TRAILPROOF_TEST_POSTGRES_URL.`,
    );
  }
  await sql.end({ timeout: 5 });
  return async () => {
    const admin = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => undefined });
    try {
      const rows = await admin<{ datname: string }[]>`
        SELECT datname FROM pg_database WHERE datname LIKE ${`tp\\_${run}\\_%`} OR datname LIKE ${`tp\\_tpl\\_${run}\\_%`}`;
      for (const { datname } of rows) await admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await admin.end({ timeout: 5 });
    }
  };
}
