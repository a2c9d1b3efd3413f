// Versioned schema migrations for the PostgreSQL store. They run as the
// schema's owner (`trailproof migrate`, or at start with an owner URL), one
// transaction under an advisory lock so nodes starting together apply each
// migration once, and refuse a database whose schema is newer than this
// build. The service itself connects as the app role, which owns nothing:
// it gets only the privileges each migration grants (no UPDATE or DELETE on
// sealed tables) and is subject to row-level security.
import { TrailproofError } from "@trailproof/core";
import type { PgQueryable, PgSql } from "./postgres-client.js";
import { POSTGRES_MIGRATIONS } from "./schema/migrations.js";

/** The PostgreSQL schema (namespace) every table lives in. */
export const PG_SCHEMA = "trailproof";

export interface MigrationContext {
  /** The role the service connects as (or is granted to the login role it connects as). */
  appRole: string;
}

export interface PostgresMigration {
  version: number;
  name: string;
  /** The statements, run with search_path set to PG_SCHEMA. */
  up(ctx: MigrationContext): string;
}

export interface MigrationReport {
  /** The version before, 0 for an empty database. */
  from: number;
  to: number;
  applied: string[];
}

export const DEFAULT_APP_ROLE = "trailproof_app";
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The schema version this build writes and reads. */
export const POSTGRES_SCHEMA_VERSION = Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version));

/**
 * Applies every migration newer than the database's version. Throws
 * POSTGRES_SCHEMA_NEWER, changing nothing, when the database was migrated
 * by a newer build. Creates the app role (NOLOGIN) when it does not exist:
 * an operator grants it to a login role, or gives it LOGIN and a password.
 */
export async function migratePostgres(
  sql: PgSql,
  ctx: MigrationContext = { appRole: DEFAULT_APP_ROLE },
): Promise<MigrationReport> {
  if (!ROLE_NAME.test(ctx.appRole)) {
    throw new TrailproofError(
      "POSTGRES_ROLE_INVALID",
      `app role ${JSON.stringify(ctx.appRole)} is not a plain role name`,
    );
  }
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(hashtext('trailproof.migrate'))`;
    await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${PG_SCHEMA}`);
    await tx.unsafe(`SET LOCAL search_path = ${PG_SCHEMA}`);
    await tx.unsafe(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const from = await versionIn(tx);
    if (from > POSTGRES_SCHEMA_VERSION) throw newerSchema(from);
    await tx.unsafe(`DO $$ BEGIN
      CREATE ROLE ${ctx.appRole} NOLOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
    await tx.unsafe(`GRANT USAGE ON SCHEMA ${PG_SCHEMA} TO ${ctx.appRole}`);
    await tx.unsafe(`GRANT SELECT ON schema_migrations TO ${ctx.appRole}`);
    const applied: string[] = [];
    for (const m of POSTGRES_MIGRATIONS) {
      if (m.version <= from) continue;
      await tx.unsafe(m.up(ctx));
      await tx`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`;
      applied.push(`${m.version}-${m.name}`);
    }
    return { from, to: Math.max(from, POSTGRES_SCHEMA_VERSION), applied };
  }) as Promise<MigrationReport>;
}

/**
 * Checks, as the service's role, that the schema is exactly this build's:
 * POSTGRES_SCHEMA_NEWER for a newer one, POSTGRES_SCHEMA_OUTDATED (naming
 * `trailproof migrate`) for an older or missing one.
 */
export async function checkPostgresSchema(sql: PgSql): Promise<number> {
  const [found] = await sql<
    { exists: boolean }[]
  >`SELECT to_regclass(${`${PG_SCHEMA}.schema_migrations`}) IS NOT NULL AS exists`;
  const version = found?.exists ? await versionIn(sql) : 0;
  if (version > POSTGRES_SCHEMA_VERSION) throw newerSchema(version);
  if (version < POSTGRES_SCHEMA_VERSION) {
    throw new TrailproofError(
      "POSTGRES_SCHEMA_OUTDATED",
      `the database's Trailproof schema is at version ${version}, this build needs ${POSTGRES_SCHEMA_VERSION}: run \`trailproof migrate --database <owner URL>\` (or start with --migrate-database <owner URL>)`,
    );
  }
  return version;
}

/**
 * Refuses a connection whose role bypasses row-level security (a superuser,
 * BYPASSRLS or the tables' owner): the service must run as the app role so
 * the policies hold even for a statement that forgot its tenant.
 */
export async function checkServiceRole(sql: PgSql): Promise<string> {
  const [row] = await sql<{ name: string; bypasses: boolean; owns: boolean }[]>`
    SELECT r.rolname AS name, (r.rolsuper OR r.rolbypassrls) AS bypasses,
      EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = ${PG_SCHEMA} AND t.tableowner = r.rolname) AS owns
    FROM pg_roles r WHERE r.rolname = current_user`;
  if (!row || row.bypasses || row.owns) {
    throw new TrailproofError(
      "POSTGRES_ROLE_BYPASSES_RLS",
      `the service connects as ${row?.name ?? "an unknown role"}, which ${row?.owns ? "owns the tables" : "is a superuser or has BYPASSRLS"}: row-level security would not apply. Connect as the app role (${DEFAULT_APP_ROLE} by default; docs/scale-out.md) and pass the owner's URL to --migrate-database`,
    );
  }
  return row.name;
}

async function versionIn(sql: PgQueryable): Promise<number> {
  const [row] = await sql.unsafe(`SELECT COALESCE(MAX(version), 0) AS version FROM ${PG_SCHEMA}.schema_migrations`);
  return Number((row as unknown as { version: number }).version);
}

function newerSchema(version: number): TrailproofError {
  return new TrailproofError(
    "POSTGRES_SCHEMA_NEWER",
    `the database's Trailproof schema is at version ${version}, newer than this build's ${POSTGRES_SCHEMA_VERSION}: upgrade Trailproof, never downgrade a database`,
  );
}
