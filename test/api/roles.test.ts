// Every endpoint against every role: allowed roles succeed, the others get
// 403 AUTH_FORBIDDEN and write nothing; missing, unknown and revoked keys get
// 401 before anything else about the request is looked at.
import { type Permission, type Role, roleAllows } from "@trailproof/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, problemOf } from "./api-fixture.js";
import { ENDPOINTS, HOLDERS, ROLES } from "./role-matrix.js";

let f: ApiFixture;
let calls = 0;
const keyOf = (role: Role) => (role === "operator" ? f.operator : f.acme[role]);
const sizes = async () => [await f.data.ledger.treeSize("acme"), await f.data.ledger.treeSize("globex")];

beforeAll(async () => {
  f = await buildApiFixture();
});
afterAll(async () => {
  await f?.close();
});

describe("the permission table", () => {
  it.each(ROLES)("roles.ts grants %s exactly what docs/api.md says", (role) => {
    for (const [permission, holders] of Object.entries(HOLDERS) as [Permission, readonly Role[]][]) {
      expect(roleAllows(role, permission), `${role} / ${permission}`).toBe(holders.includes(role));
    }
  });
});

const cases = ENDPOINTS.flatMap((endpoint) =>
  ROLES.map((role) => ({ endpoint, role, allowed: HOLDERS[endpoint.permission].includes(role) })),
);

describe("every endpoint for every role", () => {
  it.each(cases)("$endpoint.name as $role (allowed: $allowed)", async ({ endpoint, role, allowed }) => {
    const before = await sizes();
    const res = await endpoint.send(f, keyOf(role), calls++);
    if (allowed) {
      expect(res.statusCode, res.body.slice(0, 300)).toBe(endpoint.status);
      endpoint.check(res, f);
      return;
    }
    expect(res.statusCode).toBe(403);
    expect(problemOf(res)).toMatchObject({ code: "AUTH_FORBIDDEN", detail: `the ${role} role may not do this` });
    // A refused request writes nothing, not even a meta-audit record.
    expect(await sizes()).toEqual(before);
  });
});

describe("authentication", () => {
  it.each(ENDPOINTS)("$name without a key is 401 AUTH_MISSING", async (endpoint) => {
    const before = await sizes();
    const res = await endpoint.send(f, undefined, calls++);
    expect(res.statusCode).toBe(401);
    expect(await sizes()).toEqual(before);
    expect(problemOf(res).code).toBe("AUTH_MISSING");
    expect(res.headers["www-authenticate"]).toBe('Bearer realm="trailproof"');
  });

  it.each([
    ["garbage", "not a key at all"],
    ["well-formed but unknown", `tpk_0123456789abcdef_${"A".repeat(43)}`],
    ["right id, wrong secret", "WRONG_SECRET"],
    ["an empty key", ""],
    ["a very long key", "x".repeat(5000)],
  ])("a %s key is 401 AUTH_INVALID", async (_label, presented) => {
    const key = presented === "WRONG_SECRET" ? `${f.acme.admin.slice(0, 21)}${"B".repeat(43)}` : (presented as string);
    const res = await f.request("GET", "/v1/events", key);
    expect(res.statusCode).toBe(401);
    expect(problemOf(res).code).toBe("AUTH_INVALID");
  });

  it("accepts the Bearer scheme in any letter case (RFC 9110 section 11.1)", async () => {
    const res = await f.app.inject({ url: "/v1/stats", headers: { authorization: `bearer ${f.acme.viewer}` } });
    expect(res.statusCode, res.body).toBe(200);
  });

  it("a key revoked through DELETE /v1/keys/:id is refused on the very next request", async () => {
    const created = await f.request("POST", "/v1/keys", f.acme.admin, { role: "auditor", name: "short-lived" });
    expect(created.statusCode).toBe(201);
    const { key, key_id: keyId } = created.json() as { key: string; key_id: string };
    expect((await f.request("GET", "/v1/log/key", key)).statusCode).toBe(200);

    const revoked = await f.request("DELETE", `/v1/keys/${keyId}`, f.acme.admin);
    expect(revoked.statusCode).toBe(200);
    const next = await f.request("GET", "/v1/log/key", key);
    expect(next.statusCode).toBe(401);
    expect(problemOf(next).code).toBe("AUTH_INVALID");
    const again = await f.request("DELETE", `/v1/keys/${keyId}`, f.acme.admin);
    expect(problemOf(again).code).toBe("KEY_NOT_FOUND");
  });

  // Authentication comes first: an unauthenticated or unauthorised caller
  // learns nothing about the API's schemas and costs no body parsing.
  it.each([
    {
      label: "no key, unknown parameter",
      who: undefined,
      method: "GET",
      url: "/v1/events?colour=red",
      status: 401,
      code: "AUTH_MISSING",
    },
    {
      label: "garbage key, invalid body",
      who: "garbage",
      method: "PATCH",
      url: "/v1/settings",
      status: 401,
      code: "AUTH_INVALID",
    },
    {
      label: "ingest key, unknown parameter",
      who: "ingest",
      method: "GET",
      url: "/v1/events?colour=red",
      status: 403,
      code: "AUTH_FORBIDDEN",
    },
    {
      label: "viewer key, invalid body",
      who: "viewer",
      method: "PATCH",
      url: "/v1/settings",
      status: 403,
      code: "AUTH_FORBIDDEN",
    },
  ] as const)("$label: $code before validation", async ({ who, method, url, status, code }) => {
    const key = who === undefined ? undefined : who === "garbage" ? "garbage" : f.acme[who];
    const res = await f.request(method, url, key, method === "PATCH" ? { unknown_actions: "sometimes" } : undefined);
    expect(res.statusCode).toBe(status);
    expect(problemOf(res).code).toBe(code);
  });
});

describe("public routes", () => {
  it.each([
    ["/healthz", "application/json"],
    ["/readyz", "application/json"],
    ["/docs", "text/html"],
    ["/openapi.json", "application/json"],
  ])("%s needs no key", async (url, type) => {
    const res = await f.app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers["content-type"])).toContain(type);
  });
});
