// Platform keys over the API: the operator issues one ingest key for every
// tenant or a named set; each POST /v1/events names its tenant in
// X-Trailproof-Tenant and is refused outside the key's scope; a key allowed
// to create tenants creates one on first use, once however many requests
// race, with its own log and signing key and a record naming the key; a
// revoked key is refused, and a platform key reads nothing.
import { parseVerifierKey, verifyCheckpoint } from "@trailproof/core";
import { nodeHasher } from "@trailproof/ledger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, problemOf, validEvent } from "./api-fixture.js";

let f: ApiFixture;

beforeAll(async () => {
  f = await buildApiFixture({ acmeEvents: 2 });
});
afterAll(async () => {
  await f?.close();
});

interface CreatedKey {
  key: string;
  key_id: string;
  name: string;
  tenants: "all" | string[];
  create_tenants: boolean;
  unknown_actions: string;
  created_by: string | null;
  revoked_at: string | null;
}

async function createKey(body: Record<string, unknown>): Promise<CreatedKey> {
  const res = await f.request("POST", "/v1/platform-keys", f.operator, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as CreatedKey;
}

const append = (key: string, tenant: string | undefined, ...events: Record<string, unknown>[]) =>
  f.request("POST", "/v1/events", key, { events }, tenant === undefined ? {} : { "x-trailproof-tenant": tenant });

async function appended(key: string, tenant: string, ...events: Record<string, unknown>[]) {
  const res = await append(key, tenant, ...events);
  expect(res.statusCode, res.body).toBe(200);
  const results = res.json().results as { status: string }[];
  expect(results.map((r) => r.status)).toEqual(events.map(() => "created"));
}

const treeSizes = async () => [await f.data.ledger.treeSize("acme"), await f.data.ledger.treeSize("globex")];

describe("platform keys", () => {
  it("are created by the operator, shown once, listed without secrets", async () => {
    const made = await createKey({ name: "platform all", tenants: "all" });
    expect(made.key).toMatch(/^tpp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(made).toMatchObject({
      name: "platform all",
      tenants: "all",
      create_tenants: false,
      unknown_actions: "reject",
      created_by: `operator:${f.keyIds.operator}`,
      revoked_at: null,
    });
    const listed = await f.request("GET", "/v1/platform-keys", f.operator);
    expect(listed.statusCode).toBe(200);
    const { key: _secret, ...wire } = made;
    expect(listed.json().keys).toContainEqual(wire);
    expect(listed.body).not.toContain(made.key.slice(-43));
  });

  it("refuses a malformed scope with every problem listed, creating nothing", async () => {
    const before = (await f.request("GET", "/v1/platform-keys", f.operator)).json().keys.length;
    // A lone name is read as a list of one (the API coerces scalars to arrays), so "ALL" fails the name pattern.
    for (const tenants of [[], "ALL", ["Not A Tenant"], ["acme", "x".repeat(64)]]) {
      const res = await f.request("POST", "/v1/platform-keys", f.operator, { name: "bad", tenants });
      expect(res.statusCode).toBe(400);
      expect(problemOf(res).code).toBe("REQUEST_INVALID");
    }
    expect((await f.request("GET", "/v1/platform-keys", f.operator)).json().keys.length).toBe(before);
  });

  it('with scope "all" appends to each tenant it names, and every entry names the platform key', async () => {
    const made = await createKey({ name: "to all", tenants: "all" });
    await appended(made.key, "acme", validEvent("pk_all_acme"));
    await appended(made.key, "globex", validEvent("pk_all_globex"));
    const inAcme = await f.request("GET", "/v1/events/pk_all_acme", f.acme.viewer);
    expect(inAcme.json().event.appended_by).toEqual({ type: "api_key", id: made.key_id });
    const inGlobex = await f.request("GET", "/v1/events/pk_all_globex", f.globex.viewer);
    expect(inGlobex.json().event.appended_by).toEqual({ type: "api_key", id: made.key_id });
    // Each in its own tenant only.
    expect((await f.request("GET", "/v1/events/pk_all_globex", f.acme.viewer)).statusCode).toBe(404);
  });

  it("with a named set appends to those tenants only: another is 403, no header is 400, and nothing is written", async () => {
    const made = await createKey({ name: "acme only", tenants: ["acme"] });
    await appended(made.key, "acme", validEvent("pk_set_acme"));
    const before = await treeSizes();
    const outside = await append(made.key, "globex", validEvent("pk_set_globex"));
    expect(outside.statusCode).toBe(403);
    expect(problemOf(outside).code).toBe("TENANT_NOT_ALLOWED");
    const unnamed = await append(made.key, undefined, validEvent("pk_set_none"));
    expect(unnamed.statusCode).toBe(400);
    expect(problemOf(unnamed).code).toBe("TENANT_REQUIRED");
    const malformed = await append(made.key, "No Such Tenant!", validEvent("pk_set_bad"));
    expect(malformed.statusCode).toBe(400);
    expect(problemOf(malformed).code).toBe("TENANT_NAME_INVALID");
    expect(await treeSizes()).toEqual(before);
  });

  it("without create_tenants answers 404 for a tenant that does not exist, creating none", async () => {
    const made = await createKey({ name: "no creation", tenants: "all" });
    const res = await append(made.key, "nobody-here", validEvent("pk_nobody"));
    expect(res.statusCode).toBe(404);
    expect(problemOf(res).code).toBe("TENANT_NOT_FOUND");
    expect(await f.data.ledger.getTenant("nobody-here")).toBeUndefined();
  });

  it("refuses a tenant key that names another tenant (403), and takes one naming its own", async () => {
    const before = await treeSizes();
    const other = await append(f.acme.ingest, "globex", validEvent("tk_other"));
    expect(other.statusCode).toBe(403);
    expect(problemOf(other).code).toBe("TENANT_NOT_ALLOWED");
    expect(await treeSizes()).toEqual(before);
    await appended(f.acme.ingest, "acme", validEvent("tk_own"));
  });

  it("reads nothing and manages nothing (403), and whoami shows its scope", async () => {
    const made = await createKey({ name: "reader?", tenants: ["acme", "globex"] });
    for (const [method, url] of [
      ["GET", "/v1/events"],
      ["GET", "/v1/log/checkpoint"],
      ["GET", "/v1/keys"],
      ["GET", "/v1/platform-keys"],
      ["GET", "/v1/tenants"],
    ] as const) {
      const res = await f.request(method, url, made.key, undefined, { "x-trailproof-tenant": "acme" });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(problemOf(res).code).toBe("AUTH_FORBIDDEN");
    }
    const whoami = await f.request("GET", "/v1/auth/whoami", made.key);
    expect(whoami.json()).toEqual({
      authenticated: true,
      via: "api_key",
      role: "ingest",
      tenant: null,
      id: made.key_id,
      name: "reader?",
      platform: { tenants: ["acme", "globex"], create_tenants: false },
    });
  });

  it("is rate-limited per tenant it names: one tenant's traffic does not use up another's", async () => {
    const made = await createKey({ name: "limited", tenants: "all" });
    const app = await f.appWith({ rateLimitPerMinute: 2 });
    try {
      const send = (tenant: string, id: string) =>
        app.inject({
          method: "POST",
          url: "/v1/events",
          headers: { authorization: `Bearer ${made.key}`, "x-trailproof-tenant": tenant },
          payload: validEvent(id),
        });
      expect((await send("acme", "rl_1")).statusCode).toBe(200);
      expect((await send("acme", "rl_2")).statusCode).toBe(200);
      expect((await send("acme", "rl_3")).statusCode).toBe(429);
      expect((await send("globex", "rl_4")).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("is refused once revoked (401), and is revoked only once", async () => {
    const made = await createKey({ name: "short-lived", tenants: "all" });
    await appended(made.key, "acme", validEvent("pk_before_revoke"));
    const revoked = await f.request("DELETE", `/v1/platform-keys/${made.key_id}`, f.operator);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ key_id: made.key_id, revoked_at: expect.any(String) });
    const res = await append(made.key, "acme", validEvent("pk_after_revoke"));
    expect(res.statusCode).toBe(401);
    expect(problemOf(res).code).toBe("AUTH_INVALID");
    const again = await f.request("DELETE", `/v1/platform-keys/${made.key_id}`, f.operator);
    expect(again.statusCode).toBe(404);
    expect(problemOf(again).code).toBe("KEY_NOT_FOUND");
    const listed = (await f.request("GET", "/v1/platform-keys", f.operator)).json().keys as CreatedKey[];
    expect(listed.find((k) => k.key_id === made.key_id)?.revoked_at).toBe(revoked.json().revoked_at);
  });
});

describe("a platform key that creates tenants", () => {
  /** A recovery admin key for `tenant`, the operator's way into a tenant a platform key created. */
  async function recoveryKey(tenant: string): Promise<string> {
    const res = await f.request("POST", `/v1/tenants/${tenant}/keys`, f.operator, { name: "first admin" });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().key as string;
  }

  async function verifierOf(key: string) {
    const res = await f.request("GET", "/v1/log/key", key);
    expect(res.statusCode).toBe(200);
    const { origin, verifier_key: verifierKey } = res.json() as { origin: string; verifier_key: string };
    return { origin, verifierKey, verifier: parseVerifierKey(nodeHasher, verifierKey) };
  }

  async function creations(adminKey: string) {
    await f.settled();
    const res = await f.request("GET", "/v1/events?action=tenant.create", adminKey);
    expect(res.statusCode).toBe(200);
    return (res.json().events as { event: Record<string, unknown> }[]).map((i) => i.event);
  }

  it("creates a tenant on first use with its own log and signing key, its policy, no admin key, and a record naming the key", async () => {
    const made = await createKey({
      name: "creator",
      tenants: ["newco", "racer"],
      create_tenants: true,
      unknown_actions: "accept",
    });
    expect(await f.data.ledger.getTenant("newco")).toBeUndefined();
    // An action no schema registers: the new tenant takes the key's unknown_actions (accept).
    await appended(
      made.key,
      "newco",
      validEvent("newco_1", { action: "widget.spin", kind: "update", category: "data" }),
    );
    // Nobody can read it until the operator issues an admin key: the tenant was made with none.
    const admin = await recoveryKey("newco");
    const keys = (await f.request("GET", "/v1/keys", admin)).json().keys as { name: string; role: string }[];
    expect(keys).toEqual([expect.objectContaining({ name: "first admin", role: "admin" })]);
    expect((await f.request("GET", "/v1/settings", admin)).json().unknown_actions).toBe("accept");

    await f.data.ledger.publishCheckpoints();
    const own = await verifierOf(admin);
    const acme = await verifierOf(f.acme.auditor);
    expect(own.origin).not.toBe(acme.origin);
    expect(own.verifierKey).not.toBe(acme.verifierKey);
    const checkpoint = await f.request("GET", "/v1/log/checkpoint", admin);
    expect(checkpoint.statusCode).toBe(200);
    expect(verifyCheckpoint(checkpoint.body, own.verifier, own.origin).treeSize).toBeGreaterThanOrEqual(2);
    expect(() => verifyCheckpoint(checkpoint.body, acme.verifier, own.origin)).toThrow();

    const [created] = await creations(admin);
    expect(created).toMatchObject({
      action: "tenant.create",
      target: { type: "tenant", id: "newco" },
      actor: { type: "service_account", id: `platformkey:${made.key_id}` },
      appended_by: { type: "api_key", id: made.key_id },
      metadata: { platform_key: made.key_id, unknown_actions: "accept" },
    });
    const event = await f.request("GET", "/v1/events/newco_1", admin);
    expect(event.json().event.appended_by).toEqual({ type: "api_key", id: made.key_id });
  });

  it("creates exactly one tenant when five requests race to create it", async () => {
    const made = await createKey({ name: "racing", tenants: ["racer"], create_tenants: true });
    const answers = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        append(made.key, "racer", validEvent(`race_${i}`)).then((res) => ({
          status: res.statusCode,
          result: res.statusCode === 200 ? res.json().results[0].status : res.body,
        })),
      ),
    );
    expect(answers).toEqual([0, 1, 2, 3, 4].map(() => ({ status: 200, result: "created" })));
    const listed = (await f.request("GET", "/v1/tenants", f.operator)).json().tenants as { tenant: string }[];
    expect(listed.filter((t) => t.tenant === "racer")).toHaveLength(1);
    const admin = await recoveryKey("racer");
    expect(await creations(admin)).toHaveLength(1);
    const events = (await f.request("GET", "/v1/events?action=app.update", admin)).json().events as {
      event: { id: string };
    }[];
    expect(events.map((e) => e.event.id).sort()).toEqual(["race_0", "race_1", "race_2", "race_3", "race_4"]);
  });

  it("creates nothing outside its named set (403)", async () => {
    const made = await createKey({ name: "bounded", tenants: ["inside"], create_tenants: true });
    const res = await append(made.key, "outside", validEvent("out_1"));
    expect(res.statusCode).toBe(403);
    expect(problemOf(res).code).toBe("TENANT_NOT_ALLOWED");
    expect(await f.data.ledger.getTenant("outside")).toBeUndefined();
  });
});
