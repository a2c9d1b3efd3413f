// The CosignatureStore conformance suite on a real SQLite data directory and
// on the real PostgreSQL server (a fresh migrated database per test).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCosignatureStoreConformance } from "./cosignature-store.conformance.js";
import { openPostgres } from "./postgres/postgres-client.js";
import { PostgresCosignatureStore } from "./postgres/postgres-cosignature-store.js";
import { PostgresLogStore } from "./postgres/postgres-log-store.js";
import { createTestDatabase } from "./postgres/postgres-test-database.fixture.js";
import { openSqliteStores } from "./sqlite/open-sqlite-store.js";
import { SqliteCosignatureStore } from "./sqlite/sqlite-cosignature-store.js";

const AT = "2026-01-01T00:00:00.000Z";

runCosignatureStoreConformance("SQLite files", async () => {
  const { log, catalogue } = openSqliteStores(mkdtempSync(join(tmpdir(), "trailproof-cosignatures-")));
  const cosignatures = new SqliteCosignatureStore(catalogue);
  return {
    cosignatures,
    otherNode: () => cosignatures,
    createTenant: async (name) =>
      (await log.createTenant({ name, origin: `test/${name}`, unknownActions: "reject", createdAt: AT })).tenantId,
    close: () => log.close(),
  };
});

runCosignatureStoreConformance("PostgreSQL", async () => {
  const db = await createTestDatabase();
  const app = openPostgres(db.appUrl, { max: 4 });
  const other = openPostgres(db.appUrl, { max: 2 });
  const log = new PostgresLogStore(app);
  return {
    cosignatures: new PostgresCosignatureStore(app),
    otherNode: () => new PostgresCosignatureStore(other),
    createTenant: async (name) =>
      (await log.createTenant({ name, origin: `test/${name}`, unknownActions: "reject", createdAt: AT })).tenantId,
    close: async () => {
      await app.end({ timeout: 5 });
      await other.end({ timeout: 5 });
      await db.drop();
    },
  };
});
