// The access and people conformance suites on the real PostgreSQL server, as
// the app role, and what only PostgreSQL enforces here: row-level security
// for a statement that forgot its tenant, the column grants, and the
// last-admin rule across two nodes' pools.
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { channelSecretSealer } from "../../keys/channel-secrets.js";
import {
  AT,
  apiKey,
  type CatalogueStores,
  person,
  platformKey,
  runAccessStoreConformance,
} from "../access-store.conformance.js";
import { runApprovalStoreConformance } from "../approval-store.conformance.js";
import { runNotificationStoreConformance } from "../notification-store.conformance.js";
import { runPeopleStoreConformance } from "../people-store.conformance.js";
import { runReportStoreConformance } from "../report-store.conformance.js";
import { runRetentionStoreConformance } from "../retention-store.conformance.js";
import { runRuleStoreConformance } from "../rule-store.conformance.js";
import { runStreamStoreConformance } from "../stream-store.conformance.js";
import { PostgresAccessStore } from "./postgres-access-store.js";
import { PostgresApprovalStore } from "./postgres-approval-store.js";
import { openPostgres, type PgSql } from "./postgres-client.js";
import { PostgresLogStore } from "./postgres-log-store.js";
import { PostgresNotificationStore } from "./postgres-notification-store.js";
import { PostgresPeopleStore } from "./postgres-people-store.js";
import { PostgresReportStore } from "./postgres-report-store.js";
import { PostgresRetentionStore } from "./postgres-retention-store.js";
import { PostgresRuleStore } from "./postgres-rule-store.js";
import { PostgresStreamStore } from "./postgres-stream-store.js";
import { createTestDatabase } from "./postgres-test-database.fixture.js";
import { inTenant } from "./tenant-scope.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

interface Opened extends CatalogueStores {
  approvals: PostgresApprovalStore;
  retention: PostgresRetentionStore;
  reports: PostgresReportStore;
  rules: PostgresRuleStore;
  app: PgSql;
  /** A second pool on the same database: another service node. */
  otherNode(): PgSql;
}

async function open(): Promise<Opened> {
  const db = await createTestDatabase();
  const pools = [openPostgres(db.appUrl, { max: 4 })];
  const [app] = pools as [PgSql];
  const log = new PostgresLogStore(app);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    for (const p of pools) await p.end({ timeout: 5 });
    await db.drop();
  };
  cleanup.push(close);
  return {
    app,
    access: new PostgresAccessStore(app),
    approvals: new PostgresApprovalStore(app),
    retention: new PostgresRetentionStore(app),
    reports: new PostgresReportStore(app),
    rules: new PostgresRuleStore(app),
    people: new PostgresPeopleStore(app),
    createTenant: async (name) =>
      (await log.createTenant({ name, origin: `test/${name}`, unknownActions: "reject", createdAt: AT })).tenantId,
    otherNode: () => {
      const pool = openPostgres(db.appUrl, { max: 2 });
      pools.push(pool);
      return pool;
    },
    close,
  };
}

runAccessStoreConformance("PostgreSQL", open);
runPeopleStoreConformance("PostgreSQL", open);
runApprovalStoreConformance("PostgreSQL", open);
runRetentionStoreConformance("PostgreSQL", open);
runReportStoreConformance("PostgreSQL", open);
runNotificationStoreConformance("PostgreSQL", async () => {
  const s = await open();
  const sealer = channelSecretSealer(randomBytes(32));
  return {
    notifications: new PostgresNotificationStore(s.app, sealer),
    otherNode: () => new PostgresNotificationStore(s.otherNode(), sealer),
    createTenant: s.createTenant,
    close: s.close,
  };
});
runRuleStoreConformance("PostgreSQL", open);
runStreamStoreConformance("PostgreSQL", async () => {
  const s = await open();
  const sealer = channelSecretSealer(randomBytes(32));
  return {
    streams: new PostgresStreamStore(s.app, sealer),
    otherNode: () => new PostgresStreamStore(s.otherNode(), sealer),
    createTenant: s.createTenant,
    close: s.close,
  };
});

describe("PostgreSQL catalogue", () => {
  async function twoTenants() {
    const s = await open();
    const acme = await s.createTenant("acme");
    const globex = await s.createTenant("globex");
    for (const [t, n] of [
      [acme, 2],
      [globex, 3],
    ] as const) {
      for (let i = 0; i < n; i++) {
        await s.access.insertApiKey(apiKey(t, `${t}-k${i}`, "admin"));
        await s.people.insertPerson(person(t, `p${i}`, "admin"));
        await s.people.insertSession({
          sessionHash: `${t}-s${i}`,
          tenantId: t,
          username: `p${i}`,
          csrfToken: "c",
          createdAt: AT,
          expiresAt: AT,
          revokedAt: null,
        });
      }
    }
    await s.access.insertApiKey(apiKey(null, "op", "operator"));
    return { ...s, acme, globex };
  }

  // Deliberately no tenant filter: the policies alone must narrow these.
  const UNFILTERED =
    "SELECT (SELECT count(*) FROM people) AS people, (SELECT count(*) FROM api_keys) AS api_keys, (SELECT count(*) FROM sessions) AS sessions";
  const countsIn = (sql: PgSql, tenantId: number | null) =>
    inTenant(sql, tenantId, async (tx) => (await tx.unsafe(UNFILTERED))[0]);

  /** The SQLSTATE a statement failed with; fails the test when it succeeds. */
  async function sqlState(run: Promise<unknown>): Promise<string> {
    const error = await run.then(
      () => expect.fail("the statement succeeded"),
      (e: unknown) => e as { code?: string; message?: string },
    );
    return `${error.code}: ${error.message}`;
  }

  it("shows a statement that forgot its tenant filter only its tenant's rows; operator keys only to operator scope", async () => {
    const { app, acme, globex, otherNode } = await twoTenants();
    expect(await countsIn(app, acme)).toEqual({ people: 2, api_keys: 2, sessions: 2 });
    expect(await countsIn(app, globex)).toEqual({ people: 3, api_keys: 3, sessions: 3 });
    expect(await countsIn(app, null)).toEqual({ people: 0, api_keys: 1, sessions: 0 });
    // A connection that never entered a scope (the setting unset, not empty) sees nothing.
    const [unscoped] = await otherNode().unsafe(UNFILTERED);
    expect(unscoped).toEqual({ people: 0, api_keys: 0, sessions: 0 });
    // Nor does one on a connection an operator-scope transaction used before (PostgreSQL leaves '' behind).
    const reserved = await app.reserve();
    try {
      await reserved.unsafe("BEGIN");
      await reserved`SELECT set_config('trailproof.tenant_id', 'operator', true)`;
      await reserved.unsafe("COMMIT");
      const [afterScope] = await reserved.unsafe(UNFILTERED);
      expect(afterScope).toEqual({ people: 0, api_keys: 0, sessions: 0 });
    } finally {
      reserved.release();
    }
  });

  it("refuses a row written into another tenant, a DELETE, a change to an immutable column and an undone revocation", async () => {
    const { app, acme, globex } = await twoTenants();
    const inAcme = (statement: string) => inTenant(app, acme, (tx) => tx.unsafe(statement));
    expect(
      await sqlState(
        inAcme(`INSERT INTO people (tenant_id, username, display_name, role, password_hash, created_at)
          VALUES (${globex}, 'mallory', 'm', 'admin', 'x', 'x')`),
      ),
    ).toMatch(/^42501: new row violates row-level security/);
    expect(await sqlState(inAcme("DELETE FROM people"))).toMatch(/^42501: permission denied/);
    expect(await sqlState(inAcme("DELETE FROM api_keys"))).toMatch(/^42501: permission denied/);
    expect(await sqlState(inAcme("UPDATE people SET role = 'viewer'"))).toMatch(/^42501: permission denied/);
    expect(await sqlState(inAcme("UPDATE people SET password_hash = 'x'"))).toMatch(/^42501: permission denied/);
    expect(await sqlState(inAcme("UPDATE api_keys SET tenant_id = tenant_id"))).toMatch(/^42501: permission denied/);
    expect(await sqlState(inAcme("UPDATE sessions SET username = 'p1'"))).toMatch(/^42501: permission denied/);
    expect(await sqlState(inAcme("UPDATE viewer_tokens SET filter = '{}'"))).toMatch(/^42501: permission denied/);
    await inAcme(`UPDATE api_keys SET revoked_at = 'then' WHERE key_id = '${acme}-k0'`);
    expect(await sqlState(inAcme(`UPDATE api_keys SET revoked_at = NULL WHERE key_id = '${acme}-k0'`))).toMatch(
      /^23001: STORE_APPEND_ONLY/,
    );
  });

  it("reaches across tenants only through the lookups by id, which PUBLIC may not call", async () => {
    const { app, access, people, acme, globex } = await twoTenants();
    // Found by id with no scope at all: authentication does not know the tenant yet.
    expect((await access.findApiKey(`${globex}-k2`))?.tenantId).toBe(globex);
    expect((await people.findSession(`${acme}-s1`))?.username).toBe("p1");
    expect(await access.findApiKey("%")).toBeUndefined();
    const [acl] = await app<{ public_execute: boolean; app_execute: boolean }[]>`
      SELECT bool_or(p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a
          WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')) AS public_execute,
        bool_and(has_function_privilege(current_user, p.oid, 'EXECUTE')) AS app_execute
      FROM pg_proc p WHERE p.proname IN ('find_api_key', 'find_session', 'find_viewer_token')
        AND p.pronamespace = 'trailproof'::regnamespace AND p.prosecdef`;
    expect(acl).toEqual({ public_execute: false, app_execute: true });
  });

  it("shows platform keys to operator scope only, finds one by id without scope, and keeps them append-only", async () => {
    const { app, access, acme } = await twoTenants();
    await access.insertPlatformKey(platformKey("p1", { tenants: ["acme"] }));
    const count = (tenantId: number | null) =>
      inTenant(app, tenantId, async (tx) => (await tx.unsafe("SELECT count(*)::int AS n FROM platform_keys"))[0]);
    expect(await count(null)).toEqual({ n: 1 });
    expect(await count(acme)).toEqual({ n: 0 });
    expect(await access.findPlatformKey("p1")).toEqual(platformKey("p1", { tenants: ["acme"] }));
    const asOperator = (statement: string) => inTenant(app, null, (tx) => tx.unsafe(statement));
    expect(await sqlState(asOperator("DELETE FROM platform_keys"))).toMatch(/^42501: permission denied/);
    expect(await sqlState(asOperator("UPDATE platform_keys SET tenants = NULL"))).toMatch(/^42501: permission denied/);
    expect(
      await sqlState(
        inTenant(app, acme, (tx) =>
          tx.unsafe(`INSERT INTO platform_keys
      (key_id, name, secret_hash, create_tenants, unknown_actions, created_at) VALUES ('p2', 'n', 'h', false, 'reject', 'x')`),
        ),
      ),
    ).toMatch(/^42501: new row violates row-level security/);
    await asOperator("UPDATE platform_keys SET revoked_at = 'then'");
    expect(await sqlState(asOperator("UPDATE platform_keys SET revoked_at = NULL"))).toMatch(
      /^23001: STORE_APPEND_ONLY/,
    );
  });

  it("lets one of two nodes' concurrent revocations of the last two admin keys through", async () => {
    const { createTenant, access, otherNode } = await open();
    const nodeB = new PostgresAccessStore(otherNode());
    for (let round = 0; round < 5; round++) {
      const t = await createTenant(`race${round}`);
      await access.insertApiKey(apiKey(t, `${t}-a`, "admin"));
      await access.insertApiKey(apiKey(t, `${t}-b`, "admin"));
      const outcomes = await Promise.all([access.revokeApiKey(t, `${t}-a`, AT), nodeB.revokeApiKey(t, `${t}-b`, AT)]);
      expect(outcomes.sort()).toEqual(["last_admin", "revoked"]);
      expect((await access.listApiKeys(t)).filter((k) => k.revokedAt === null)).toHaveLength(1);
    }
  });
});
