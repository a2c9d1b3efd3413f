// The LogStore conformance suite on the real PostgreSQL server, and what only
// PostgreSQL enforces: privileges and triggers that keep the log append-only,
// row-level security, and appends from two nodes sequenced by the head lock.
import { afterEach } from "vitest";
import { runLogStoreConformance } from "../log-store.conformance.js";
import { openPostgres } from "./postgres-client.js";
import { PostgresLogStore } from "./postgres-log-store.js";
import { createTestDatabase } from "./postgres-test-database.fixture.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

runLogStoreConformance("PostgreSQL", async () => {
  const db = await createTestDatabase();
  const store = new PostgresLogStore(openPostgres(db.appUrl, { max: 4 }), { ownsPool: true });
  // close() ends the pool (the suite closes every store it opens); closing twice is harmless.
  cleanup.push(async () => {
    await store.close();
    await db.drop();
  });
  return store;
});
