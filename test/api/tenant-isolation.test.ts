// One tenant's key never sees, counts, proves or names another tenant's data:
// acme's event ids answer 404 to globex exactly like ids that do not exist,
// and every read of globex is checked by event id for acme data.
import type { TenantRole } from "@trailproof/protocol";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, problemOf, validEvent } from "./api-fixture.js";

let f: ApiFixture;
let acmeIds: Set<string>;

beforeAll(async () => {
  f = await buildApiFixture();
  // Every event id in acme's log, meta-audit and provisioning records included.
  const lines = (await f.request("GET", "/v1/log/entries?start=0&end=1000", f.acme.auditor)).body.trimEnd().split("\n");
  acmeIds = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
  expect(acmeIds.size).toBeGreaterThan(f.eventIds.acme.length);
});
afterAll(async () => {
  await f?.close();
});

const READERS = ["viewer", "auditor", "admin"] as const satisfies readonly TenantRole[];
const idsOf = (items: { event: { id: string } }[]) => items.map((i) => i.event.id);

function expectNoAcme(ids: readonly string[]) {
  expect(ids.length).toBeGreaterThan(0);
  expect(ids.filter((id) => acmeIds.has(id))).toEqual([]);
}

describe("another tenant's event ids", () => {
  it.each(READERS)("answer 404 EVENT_NOT_FOUND to a globex %s, for the event and its trace", async (role) => {
    const ids = [...f.eventIds.acme.slice(0, 5), "acme_chain_root", "acme_chain_b"];
    for (const id of ids) {
      for (const url of [`/v1/events/${id}`, `/v1/events/${id}/trace`]) {
        const res = await f.request("GET", url, f.globex[role]);
        expect(res.statusCode, url).toBe(404);
        expect(problemOf(res)).toMatchObject({ code: "EVENT_NOT_FOUND", detail: `no event "${id}" in this tenant` });
        expect(res.json()).not.toHaveProperty("event");
      }
    }
  });

  it("look exactly like ids that exist nowhere (no existence oracle)", async () => {
    const strip = (res: LightMyRequestResponse) => {
      const {
        request_id: _r,
        instance: _i,
        detail: _d,
        ...rest
      } = problemOf(res) as unknown as Record<string, unknown>;
      return { status: res.statusCode, ...rest };
    };
    const taken = await f.request("GET", "/v1/events/acme_chain_root", f.globex.admin);
    const free = await f.request("GET", "/v1/events/nowhere_chain_root", f.globex.admin);
    expect(strip(taken)).toEqual(strip(free));
  });

  it("exist for acme's own keys (the 404s above are about tenancy, not the ids)", async () => {
    const res = await f.request("GET", "/v1/events/acme_chain_root", f.acme.viewer);
    expect(res.statusCode).toBe(200);
  });
});

describe("globex reads contain no acme data", () => {
  it("search, unfiltered and by values only acme uses", async () => {
    const all = await f.request("GET", "/v1/events?limit=500", f.globex.viewer);
    expect(all.statusCode).toBe(200);
    const ids = idsOf(all.json().events);
    expectNoAcme(ids);
    expect(ids).toEqual(expect.arrayContaining(f.eventIds.globex));

    for (const query of ["run_id=acme_run_chain", "caused_by=acme_chain_root", "q=run:acme_run_chain"]) {
      const res = await f.request("GET", `/v1/events?${query}`, f.globex.auditor);
      expect(res.statusCode, query).toBe(200);
      expect(res.json()).toEqual({ events: [], next_cursor: null });
    }
  });

  it("a cursor from an acme search, replayed with a globex key, stays in globex", async () => {
    const page = await f.request("GET", "/v1/events?limit=3&order=asc", f.acme.viewer);
    const cursor = page.json().next_cursor as string;
    expect(cursor).toEqual(expect.any(String));
    const replay = await f.request("GET", `/v1/events?limit=3&order=asc&cursor=${cursor}`, f.globex.viewer);
    expect([200, 400]).toContain(replay.statusCode);
    if (replay.statusCode === 200) expectNoAcme(idsOf(replay.json().events));
    else expect(problemOf(replay).code).toBe("SEARCH_CURSOR_INVALID");
  });

  it("stats count globex's log only", async () => {
    await f.settled();
    const size = await f.data.ledger.treeSize("globex");
    const res = await f.request("GET", "/v1/stats?bucket=week", f.globex.viewer);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(size);
    const chain = await f.request("GET", "/v1/stats?run_id=acme_run_chain", f.globex.viewer);
    expect(chain.json().total).toBe(0);
  });

  it("history of a target both tenants have holds globex's changes only", async () => {
    const res = await f.request("GET", "/v1/targets/record/rec_chain/history?order=asc", f.globex.auditor);
    expect(res.statusCode).toBe(200);
    const ids = idsOf(res.json().events);
    expectNoAcme(ids);
    expect(ids.slice(0, 4)).toEqual(["globex_chain_root", "globex_chain_a", "globex_chain_b", "globex_chain_c"]);
  });

  it("a globex trace stops at a cause that names an acme event", async () => {
    const sent = validEvent("globex_cross", {
      action: "record.update",
      actor: { type: "automation", id: "wf_x" },
      target: { type: "record", id: "rec_cross" },
      automation: { origin: "workflow", run_id: "run_cross", caused_by: "acme_chain_root" },
    });
    const appended = await f.request("POST", "/v1/events", f.globex.ingest, sent);
    expect(appended.json().results[0].status).toBe("created");
    await f.settled();

    const trace = await f.request("GET", "/v1/events/globex_cross/trace", f.globex.auditor);
    expect(trace.statusCode).toBe(200);
    expect(trace.json()).toMatchObject({ ancestors: [], unresolved_cause: "acme_chain_root" });
    const acmeTrace = await f.request("GET", "/v1/events/acme_chain_root/trace", f.acme.auditor);
    expect(idsOf(acmeTrace.json().descendants)).not.toContain("globex_cross");
  });

  it("log entries and the export bundle", async () => {
    const size = await f.data.ledger.treeSize("globex");
    const entries = await f.request("GET", `/v1/log/entries?start=0&end=${size}`, f.globex.auditor);
    expect(entries.statusCode).toBe(200);
    const lines = entries.body.trimEnd().split("\n");
    expect(lines).toHaveLength(size);
    expectNoAcme(lines.map((l) => JSON.parse(l).id));

    const bundle = await f.request("GET", "/v1/export", f.globex.auditor);
    expect(bundle.statusCode).toBe(200);
    const [header, ...rest] = bundle.body
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(header).toMatchObject({ tenant: "globex", origin: "trailproof.localhost/log/globex" });
    const bundleIds = rest.filter((r) => typeof r.id === "string" && "action" in r).map((r) => r.id as string);
    expect(bundleIds).toEqual(expect.arrayContaining(f.eventIds.globex));
    expectNoAcme(bundleIds);
    expect(bundle.body).not.toContain("trailproof.localhost/log/acme");
  });
});

describe("a key cannot name another tenant", () => {
  it("in a query parameter", async () => {
    const res = await f.request("GET", "/v1/events?tenant=acme", f.globex.viewer);
    expect(res.statusCode).toBe(400);
    expect(problemOf(res).code).toBe("REQUEST_INVALID");
  });

  it.each(["/v1/tenants/acme/events", "/v1/acme/events", "/v1/events/acme/acme_1"])("in the path %s", async (url) => {
    const res = await f.request("GET", url, f.globex.admin);
    expect(res.statusCode).toBe(404);
    expect(problemOf(res).code).toBe("NOT_FOUND");
  });

  it("in a key, settings or event body", async () => {
    const key = await f.request("POST", "/v1/keys", f.globex.admin, { role: "admin", name: "x", tenant: "acme" });
    expect(problemOf(key).code).toBe("REQUEST_INVALID");
    const settings = await f.request("PATCH", "/v1/settings", f.globex.admin, {
      unknown_actions: "accept",
      tenant: "acme",
    });
    expect(problemOf(settings).code).toBe("REQUEST_INVALID");

    const acmeSize = await f.data.ledger.treeSize("acme");
    const event = await f.request(
      "POST",
      "/v1/events",
      f.globex.ingest,
      validEvent("named_tenant", { tenant: "acme" }),
    );
    expect(event.json().results[0]).toMatchObject({ status: "rejected", errors: [{ pointer: "/tenant" }] });
    expect(await f.data.ledger.treeSize("acme")).toBe(acmeSize);
  });

  it("by revoking its keys", async () => {
    const res = await f.request("DELETE", `/v1/keys/${f.keyIds.acme.viewer}`, f.globex.admin);
    expect(res.statusCode).toBe(404);
    expect(problemOf(res).code).toBe("KEY_NOT_FOUND");
    expect((await f.request("GET", "/v1/stats", f.acme.viewer)).statusCode).toBe(200);
    const listed = (await f.request("GET", "/v1/keys", f.globex.admin)).json().keys as { key_id: string }[];
    expect(listed.map((k) => k.key_id)).not.toContain(f.keyIds.acme.viewer);
  });
});

describe("the operator reads no tenant's events", () => {
  it.each([
    "/v1/events",
    "/v1/events/acme_1",
    "/v1/events/acme_chain_b/trace",
    "/v1/targets/record/rec_chain/history",
    "/v1/stats",
    "/v1/log/checkpoint",
    "/v1/log/key",
    "/v1/log/entries?start=0&end=5",
    "/v1/log/proof/inclusion?index=0&size=2",
    "/v1/log/proof/consistency?from=1&to=2",
    "/v1/export",
    "/v1/schemas",
    "/v1/keys",
    "/v1/settings",
  ])("GET %s is 403 AUTH_FORBIDDEN", async (url) => {
    const res = await f.request("GET", url, f.operator);
    expect(res.statusCode).toBe(403);
    expect(problemOf(res).code).toBe("AUTH_FORBIDDEN");
    expect(Object.keys(res.json())).not.toContain("events");
  });

  it("and lists tenants by name and size only", async () => {
    const res = await f.request("GET", "/v1/tenants", f.operator);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain("acme_");
    expect(Object.keys(res.json().tenants[0]).sort()).toEqual(["created_at", "origin", "tenant", "tree_size"]);
  });
});
