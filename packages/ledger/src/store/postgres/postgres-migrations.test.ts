// Migrations on the real server: applied once, recorded, refused against a
// newer schema, and the service's role checked for what would defeat
// row-level security.
import { hasErrorCode } from "@trailproof/core";
import { afterEach, describe, expect, it } from "vitest";
import { openPostgres, type PgSql } from "./postgres-client.js";
import {
  checkPostgresSchema,
  checkServiceRole,
  migratePostgres,
  POSTGRES_SCHEMA_VERSION,
} from "./postgres-migrations.js";
import { createTestDatabase } from "./postgres-test-database.fixture.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function database(): Promise<{ owner: PgSql; app: PgSql }> {
  const db = await createTestDatabase();
  const owner = openPostgres(db.ownerUrl, { max: 2 });
  const app = openPostgres(db.appUrl, { max: 2 });
  cleanup.push(async () => {
    await owner.end({ timeout: 5 });
    await app.end({ timeout: 5 });
    await db.drop();
  });
  return { owner, app };
}

describe("PostgreSQL migrations", () => {
  it("are applied once and recorded; a second run applies nothing", async () => {
    const { owner, app } = await database();
    expect(await checkPostgresSchema(app)).toBe(POSTGRES_SCHEMA_VERSION);
    const again = await migratePostgres(owner);
    expect(again).toEqual({ from: POSTGRES_SCHEMA_VERSION, to: POSTGRES_SCHEMA_VERSION, applied: [] });
  });

  it("refuse a database migrated by a newer build, changing nothing", async () => {
    const { owner, app } = await database();
    await owner`INSERT INTO schema_migrations (version, name) VALUES (${POSTGRES_SCHEMA_VERSION + 1}, 'future')`;
    await expect(migratePostgres(owner)).rejects.toSatisfy((e) => hasErrorCode(e, "POSTGRES_SCHEMA_NEWER"));
    await expect(checkPostgresSchema(app)).rejects.toSatisfy((e) => hasErrorCode(e, "POSTGRES_SCHEMA_NEWER"));
  });

  it("tell the service to migrate when the schema is older", async () => {
    const { owner, app } = await database();
    await owner`DELETE FROM schema_migrations WHERE version = ${POSTGRES_SCHEMA_VERSION}`;
    await expect(checkPostgresSchema(app)).rejects.toSatisfy(
      (e) => hasErrorCode(e, "POSTGRES_SCHEMA_OUTDATED") && String(e).includes("trailproof migrate"),
    );
  });

  it("accept the app role as the service's and refuse the owner, who bypasses row-level security", async () => {
    const { owner, app } = await database();
    expect(await checkServiceRole(app)).toBe("trailproof_app");
    await expect(checkServiceRole(owner)).rejects.toSatisfy((e) => hasErrorCode(e, "POSTGRES_ROLE_BYPASSES_RLS"));
  });
});
