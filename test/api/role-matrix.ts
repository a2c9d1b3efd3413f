// The endpoint table of the role suite: every route of docs/api.md, the
// permission it needs (docs/api.md), a request that succeeds for an allowed
// role, and what that success must contain.
import { issueApiKey } from "@trailproof/ledger";
import type { Permission, Role } from "@trailproof/protocol";
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { type ApiFixture, validEvent } from "./api-fixture.js";

export const ROLES = ["ingest", "viewer", "auditor", "admin", "operator"] as const satisfies readonly Role[];

/** Who holds each permission, written out from docs/api.md rather than read from roles.ts. */
export const HOLDERS: Record<Permission, readonly Role[]> = {
  append: ["ingest"],
  read: ["viewer", "auditor", "admin"],
  read_personal: ["auditor", "admin"],
  prove: ["auditor", "admin"],
  export: ["auditor", "admin"],
  verify: ["auditor", "admin"],
  administer: ["admin"],
  operate: ["operator"],
};

export interface Endpoint {
  name: string;
  permission: Permission;
  /** Sends the request; `n` is unique per call, for endpoints that create things. */
  send(f: ApiFixture, key: string | undefined, n: number): Promise<LightMyRequestResponse>;
  status: number;
  /** What a successful answer must contain. */
  check(res: LightMyRequestResponse, f: ApiFixture): void;
}

const json = (res: LightMyRequestResponse) => res.json() as Record<string, unknown>;

export const ENDPOINTS: Endpoint[] = [
  {
    name: "POST /v1/events",
    permission: "append",
    send: (f, key, n) => f.request("POST", "/v1/events", key, validEvent(`roles_${n}`)),
    status: 200,
    check: (res) => expect(json(res).results).toMatchObject([{ status: "created" }]),
  },
  {
    name: "GET /v1/events",
    permission: "read",
    send: (f, key) => f.request("GET", "/v1/events?run_id=acme_run_chain&order=asc", key),
    status: 200,
    check: (res) =>
      expect((json(res).events as { event: { id: string } }[]).map((e) => e.event.id)).toEqual([
        "acme_chain_a",
        "acme_chain_b",
      ]),
  },
  {
    name: "GET /v1/events/:id",
    permission: "read",
    send: (f, key) => f.request("GET", "/v1/events/acme_3", key),
    status: 200,
    check: (res) => expect(json(res).event).toMatchObject({ id: "acme_3" }),
  },
  {
    name: "GET /v1/events/:id/trace",
    permission: "read",
    send: (f, key) => f.request("GET", "/v1/events/acme_chain_c/trace", key),
    status: 200,
    check: (res) => expect(json(res).event).toMatchObject({ event: { id: "acme_chain_c" } }),
  },
  {
    name: "GET /v1/targets/:type/:id/history",
    permission: "read",
    send: (f, key) => f.request("GET", "/v1/targets/record/rec_chain/history", key),
    status: 200,
    check: (res) =>
      expect(
        (json(res).events as { event: { id: string; action: string } }[])
          .filter((e) => e.event.action === "record.update")
          .map((e) => e.event.id),
      ).toEqual(["acme_chain_c", "acme_chain_b", "acme_chain_a", "acme_chain_root"]),
  },
  {
    name: "GET /v1/stats",
    permission: "read",
    send: (f, key) => f.request("GET", "/v1/stats?run_id=acme_run_chain", key),
    status: 200,
    check: (res) => expect(json(res).total).toBe(2),
  },
  {
    name: "GET /v1/log/checkpoint",
    permission: "prove",
    send: (f, key) => f.request("GET", "/v1/log/checkpoint", key),
    status: 200,
    check: (res) => expect(res.body).toMatch(/^trailproof\.localhost\/log\/acme\n\d+\n/),
  },
  {
    name: "GET /v1/log/key",
    permission: "prove",
    send: (f, key) => f.request("GET", "/v1/log/key", key),
    status: 200,
    check: (res) => expect(json(res).origin).toBe("trailproof.localhost/log/acme"),
  },
  {
    name: "GET /v1/log/entries",
    permission: "prove",
    send: (f, key) => f.request("GET", "/v1/log/entries?start=0&end=2", key),
    status: 200,
    check: (res) => expect(res.body.trimEnd().split("\n")).toHaveLength(2),
  },
  {
    name: "GET /v1/log/proof/inclusion",
    permission: "prove",
    send: (f, key) => f.request("GET", "/v1/log/proof/inclusion?index=0&size=2", key),
    status: 200,
    check: (res) => expect(json(res)).toMatchObject({ index: 0, size: 2, proof: [expect.any(String)] }),
  },
  {
    name: "GET /v1/log/proof/consistency",
    permission: "prove",
    send: (f, key) => f.request("GET", "/v1/log/proof/consistency?from=1&to=2", key),
    status: 200,
    check: (res) => expect(json(res)).toMatchObject({ from: 1, to: 2, proof: [expect.any(String)] }),
  },
  {
    name: "POST /v1/log/verify",
    permission: "verify",
    send: (f, key) => f.request("POST", "/v1/log/verify", key),
    status: 202,
    check: (res) => {
      expect(json(res)).toMatchObject({ status: expect.stringMatching(/^(running|done)$/), total: expect.any(Number) });
      expect(res.headers.location).toBe(`/v1/log/verify/${json(res).job_id}`);
    },
  },
  {
    name: "GET /v1/export",
    permission: "export",
    send: (f, key) => f.request("GET", "/v1/export", key),
    status: 200,
    check: (res) => expect(JSON.parse(res.body.split("\n")[0] ?? "")).toMatchObject({ tenant: "acme" }),
  },
  {
    name: "GET /v1/schemas",
    permission: "administer",
    send: (f, key) => f.request("GET", "/v1/schemas", key),
    status: 200,
    check: (res) => expect(json(res).schemas).toContainEqual(expect.objectContaining({ action: "app.page.update" })),
  },
  {
    name: "POST /v1/schemas",
    permission: "administer",
    send: (f, key, n) =>
      f.request("POST", "/v1/schemas", key, {
        action: `roles.check${"abcdefghijklmnopqrstuvwxyz"[n % 26]}${Math.floor(n / 26)}`,
        version: 1,
        kind: "update",
        category: "configuration",
        defaultRisk: "low",
      }),
    status: 201,
    check: (res) => expect(json(res)).toMatchObject({ version: 1, kind: "update" }),
  },
  {
    name: "GET /v1/schemas/:action",
    permission: "administer",
    send: (f, key) => f.request("GET", "/v1/schemas/user.login", key),
    status: 200,
    check: (res) => expect(json(res)).toMatchObject({ action: "user.login", versions: [{ version: 1 }] }),
  },
  {
    name: "GET /v1/keys",
    permission: "administer",
    send: (f, key) => f.request("GET", "/v1/keys", key),
    status: 200,
    check: (res, f) => expect(json(res).keys).toContainEqual(expect.objectContaining({ key_id: f.keyIds.acme.viewer })),
  },
  {
    name: "POST /v1/keys",
    permission: "administer",
    send: (f, key, n) => f.request("POST", "/v1/keys", key, { role: "viewer", name: `roles ${n}` }),
    status: 201,
    check: (res) => expect(json(res)).toMatchObject({ role: "viewer", key: expect.stringMatching(/^tpk_/) }),
  },
  {
    name: "DELETE /v1/keys/:id",
    permission: "administer",
    send: async (f, key, n) => {
      const tenantId = (await f.data.ledger.tenantRecord("acme")).tenantId;
      const doomed = await issueApiKey(f.data.access, {
        tenantId,
        role: "viewer",
        name: `doomed ${n}`,
        createdBy: "test",
      });
      return f.request("DELETE", `/v1/keys/${doomed.record.keyId}`, key);
    },
    status: 200,
    check: (res) => expect(json(res).revoked_at).toEqual(expect.any(String)),
  },
  {
    name: "GET /v1/settings",
    permission: "administer",
    send: (f, key) => f.request("GET", "/v1/settings", key),
    status: 200,
    check: (res) => expect(json(res)).toMatchObject({ tenant: "acme", unknown_actions: "reject" }),
  },
  {
    name: "PATCH /v1/settings",
    permission: "administer",
    send: (f, key) => f.request("PATCH", "/v1/settings", key, { unknown_actions: "reject" }),
    status: 200,
    check: (res) => expect(json(res)).toMatchObject({ tenant: "acme", unknown_actions: "reject" }),
  },
  {
    name: "POST /v1/tenants",
    permission: "operate",
    send: (f, key, n) => f.request("POST", "/v1/tenants", key, { name: `roles-${n}` }),
    status: 201,
    check: (res) => expect(json(res)).toMatchObject({ admin_key: expect.stringMatching(/^tpk_/) }),
  },
  {
    name: "GET /v1/tenants",
    permission: "operate",
    send: (f, key) => f.request("GET", "/v1/tenants", key),
    status: 200,
    check: (res) => expect(json(res).tenants).toContainEqual(expect.objectContaining({ tenant: "globex" })),
  },
  {
    name: "POST /v1/tenants/:tenant/keys",
    permission: "operate",
    send: (f, key, n) => f.request("POST", "/v1/tenants/globex/keys", key, { name: `recovery ${n}` }),
    status: 201,
    check: (res) => expect(json(res)).toMatchObject({ role: "admin", key: expect.stringMatching(/^tpk_/) }),
  },
  {
    name: "GET /metrics",
    permission: "operate",
    send: (f, key) => f.request("GET", "/metrics", key),
    status: 200,
    check: (res) => expect(res.body).toContain("trailproof_events_total"),
  },
  {
    name: "GET /v1/log/checkpoints",
    permission: "prove",
    send: (f, key) => f.request("GET", "/v1/log/checkpoints?limit=5", key),
    status: 200,
    check: (res) =>
      expect((json(res).checkpoints as { tree_size: number }[])[0]).toMatchObject({ tree_size: expect.any(Number) }),
  },
  {
    name: "GET /v1/automations",
    permission: "read",
    send: (f, key) => f.request("GET", "/v1/automations?days=30", key),
    status: 200,
    check: (res) => expect(json(res)).toMatchObject({ workflows: expect.any(Array), runs: expect.any(Array) }),
  },
  {
    name: "GET /v1/people",
    permission: "administer",
    send: (f, key) => f.request("GET", "/v1/people", key),
    status: 200,
    check: (res) => expect(json(res).people).toEqual(expect.any(Array)),
  },
  {
    name: "POST /v1/people",
    permission: "administer",
    send: (f, key, n) =>
      f.request("POST", "/v1/people", key, {
        username: `person${n}`,
        display_name: `Person ${n}`,
        role: "viewer",
        password: "a long enough password",
      }),
    status: 201,
    check: (res) => expect(json(res)).toMatchObject({ role: "viewer", enrolled: false }),
  },
  {
    name: "GET /v1/viewer-tokens",
    permission: "administer",
    send: async (f, key) => {
      // One token issued first, so an allowed list is never empty (a refused call changes nothing).
      if (key === f.acme.admin)
        await f.request("POST", "/v1/viewer-tokens", f.acme.admin, {
          viewer: { id: "listed-1" },
          filter: { tag: "t:a" },
        });
      return f.request("GET", "/v1/viewer-tokens", key);
    },
    status: 200,
    check: (res) => {
      const tokens = json(res).viewer_tokens as Record<string, unknown>[];
      expect(tokens).toContainEqual(
        expect.objectContaining({ viewer: { id: "listed-1", name: null }, filter: { tag: "t:a" } }),
      );
      expect(JSON.stringify(tokens)).not.toMatch(/tpv_/);
    },
  },
  {
    // The pseudonym of usr_ada (an actor of the fixture) under acme's key: what a viewer was shown.
    name: "POST /v1/pseudonyms/resolve",
    permission: "read_personal",
    send: async (f, key) => {
      const pseudonym = (await f.data.ledger.pseudonyms.pseudonym("acme", "usr_ada")) as string;
      return f.request("POST", "/v1/pseudonyms/resolve", key, { pseudonym, reason: "role matrix" });
    },
    status: 200,
    check: (res) => expect(json(res).id).toBe("usr_ada"),
  },
  {
    name: "GET /v1/approvals",
    permission: "administer",
    send: (f, key) => f.request("GET", "/v1/approvals", key),
    status: 200,
    check: (res) => expect(json(res).approvals).toEqual(expect.any(Array)),
  },
  {
    name: "POST /v1/log/key/rotate",
    permission: "administer",
    send: (f, key) => f.request("POST", "/v1/log/key/rotate", key, { reason: "role matrix" }),
    status: 202,
    check: (res) => expect(json(res).approval).toMatchObject({ status: "pending", action: "signing_key.rotate" }),
  },
  {
    name: "GET /v1/tenants/{tenant}/dual-control",
    permission: "operate",
    send: (f, key) => f.request("GET", "/v1/tenants/acme/dual-control", key),
    status: 200,
    check: (res) => expect(json(res)).toMatchObject({ tenant: "acme", single_admin: false }),
  },
  {
    name: "POST /v1/viewer-tokens",
    permission: "administer",
    send: (f, key) => f.request("POST", "/v1/viewer-tokens", key, { viewer: { id: "customer-1" } }),
    status: 201,
    check: (res) => expect(json(res).token).toMatch(/^tpv_/),
  },
];
