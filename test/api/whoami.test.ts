// GET /v1/auth/whoami: a client learns what its credential is without a 401
// or 403, so the console asks only for what its role may read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture } from "./api-fixture.js";

let f: ApiFixture;
beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 2 });
});
afterAll(async () => {
  await f?.close();
});

describe("GET /v1/auth/whoami", () => {
  it("names each API key's role and tenant", async () => {
    for (const role of ["ingest", "viewer", "auditor", "admin"] as const) {
      const res = await f.request("GET", "/v1/auth/whoami", f.acme[role]);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        authenticated: true,
        via: "api_key",
        role,
        tenant: "acme",
        id: f.keyIds.acme[role],
        name: expect.any(String),
      });
    }
    const op = await f.request("GET", "/v1/auth/whoami", f.operator);
    expect(op.json()).toMatchObject({ authenticated: true, role: "operator", tenant: null, id: f.keyIds.operator });
  });

  it("answers authenticated: false, never 401, without a credential or with a bad one", async () => {
    for (const key of [undefined, "tpk_0000000000000000_not-a-real-secret-at-all-000000000000000", "garbage"]) {
      const res = await f.request("GET", "/v1/auth/whoami", key);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ authenticated: false });
    }
    const revoked = await f.request("POST", "/v1/keys", f.acme.admin, { role: "viewer", name: "short-lived" });
    const { key, key_id: keyId } = revoked.json() as { key: string; key_id: string };
    expect((await f.request("DELETE", `/v1/keys/${keyId}`, f.acme.admin)).statusCode).toBe(200);
    expect((await f.request("GET", "/v1/auth/whoami", key)).json()).toEqual({ authenticated: false });
  });

  it("names a viewer token's viewer", async () => {
    const issued = await f.request("POST", "/v1/viewer-tokens", f.acme.admin, {
      viewer: { id: "cust-9", name: "Cust" },
    });
    const res = await f.request("GET", "/v1/auth/whoami", issued.json().token);
    expect(res.json()).toEqual({
      authenticated: true,
      via: "viewer_token",
      role: "viewer",
      tenant: "acme",
      id: "cust-9",
      name: "Cust",
    });
  });
});
