// LAST_ADMIN: a tenant never loses its last admin credential (an active admin
// key or an enabled admin person) through the API, and an operator can let a
// tenant locked out some other way back in with a recovery admin key, which
// the tenant's own log records.
import { join } from "node:path";
import { fromUtf8, type JsonObject } from "@trailproof/core";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, problemOf } from "./api-fixture.js";

let f: ApiFixture;

beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 2 });
});
afterAll(async () => {
  await f?.close();
});

/** A fresh tenant made by the operator: one admin key, no people. */
const keyIdOf = (key: string) => (/^tpk_([0-9a-f]{16})_/.exec(key) as RegExpExecArray)[1] as string;

/** A fresh tenant made by the operator: one admin key, no people. */
async function newTenant(name: string): Promise<{ admin: string; adminId: string }> {
  const res = await f.request("POST", "/v1/tenants", f.operator, { name });
  expect(res.statusCode).toBe(201);
  const admin = res.json().admin_key as string;
  return { admin, adminId: keyIdOf(admin) };
}

describe("LAST_ADMIN", () => {
  it("an admin cannot revoke its own key when it is the tenant's last admin credential", async () => {
    const { admin, adminId } = await newTenant("lone");
    const res = await f.request("DELETE", `/v1/keys/${adminId}`, admin);
    expect(res.statusCode).toBe(409);
    const problem = problemOf(res);
    expect(problem.code).toBe("LAST_ADMIN");
    expect(problem.detail).toMatch(/your own key/);
    expect((await f.request("GET", "/v1/keys", admin)).statusCode).toBe(200);
  });

  it("with a second admin key, one may go; then the other is the last and stays", async () => {
    const { admin, adminId } = await newTenant("pair");
    const second = (await f.request("POST", "/v1/keys", admin, { role: "admin", name: "second" })).json().key as string;
    expect((await f.request("DELETE", `/v1/keys/${adminId}`, second)).statusCode).toBe(200);
    const last = await f.request("DELETE", `/v1/keys/${keyIdOf(second)}`, second);
    expect(problemOf(last).code).toBe("LAST_ADMIN");
    expect((await f.request("GET", "/v1/keys", second)).statusCode).toBe(200);
  });

  it("an enabled admin person counts as an admin credential; a disabled one does not", async () => {
    const { admin, adminId } = await newTenant("people");
    const body = { display_name: "Ada", role: "admin", password: "correct-horse-battery-staple" };
    const created = await f.request("POST", "/v1/people", admin, { ...body, username: "ada" });
    expect(created.statusCode).toBe(201);
    const disabled = await f.request("DELETE", "/v1/people/ada", admin);
    expect(disabled.statusCode).toBe(200);
    expect(problemOf(await f.request("DELETE", `/v1/keys/${adminId}`, admin)).code).toBe("LAST_ADMIN");
    await f.request("POST", "/v1/people", admin, { ...body, username: "grace" });
    expect((await f.request("DELETE", `/v1/keys/${adminId}`, admin)).statusCode).toBe(200);
  });

  it("revoking other roles' keys is not limited, and a refused revocation is not recorded as done", async () => {
    const { admin } = await newTenant("others");
    const viewer = (await f.request("POST", "/v1/keys", admin, { role: "viewer", name: "v" })).json().key as string;
    expect((await f.request("DELETE", `/v1/keys/${keyIdOf(viewer)}`, admin)).statusCode).toBe(200);
    const keys = (await f.request("GET", "/v1/keys", admin)).json().keys as { role: string; revoked_at: unknown }[];
    expect(keys.filter((k) => k.role === "admin" && k.revoked_at === null)).toHaveLength(1);
  });
});

describe("recovery of a locked-out tenant", () => {
  it("the operator issues a new admin key (POST /v1/tenants/{t}/keys), recorded in the tenant's log", async () => {
    const { admin, adminId } = await newTenant("locked");
    const record = await f.data.ledger.tenantRecord("locked");
    expect(await f.data.access.revokeApiKey(record.tenantId, adminId, new Date().toISOString())).toBe("last_admin");
    // Locked out past the guard, as a data directory from before LAST_ADMIN or a SQL shell could be.
    const catalogue = new Database(join(f.dataDir, "trailproof.db"));
    catalogue.prepare("UPDATE api_keys SET revoked_at = ? WHERE key_id = ?").run(new Date().toISOString(), adminId);
    catalogue.close();
    expect((await f.request("GET", "/v1/keys", admin)).statusCode).toBe(401);

    const res = await f.request("POST", "/v1/tenants/locked/keys", f.operator, { name: "after lockout" });
    expect(res.statusCode).toBe(201);
    const issued = res.json() as { key: string; key_id: string; role: string; created_by: string };
    expect(issued).toMatchObject({ role: "admin", created_by: `operator:${f.keyIds.operator}` });
    expect((await f.request("GET", "/v1/keys", issued.key)).statusCode).toBe(200);

    await f.settled();
    const page = await f.data.query.search(record.tenantId, { action: "apikey.create" }, { limit: 10, order: "asc" });
    const recovery = page.entries
      .map((e) => JSON.parse(fromUtf8(e.leafData)) as JsonObject)
      .find((e) => (e.target as JsonObject).id === issued.key_id);
    expect(recovery).toMatchObject({
      actor: { type: "system", id: `operator:${f.keyIds.operator}` },
      appended_by: { type: "service", id: "meta-audit" },
      metadata: { role: "admin", recovery: true },
      risk: "critical",
    });
  });

  it("is the operator's alone, and names an existing tenant", async () => {
    expect((await f.request("POST", "/v1/tenants/acme/keys", f.acme.admin, {})).statusCode).toBe(403);
    const missing = await f.request("POST", "/v1/tenants/no-such-tenant/keys", f.operator, {});
    expect(problemOf(missing).code).toBe("TENANT_NOT_FOUND");
  });
});
