// The official Retraced client (@retracedhq/retraced), unchanged, against a
// real server over HTTP: every resolved reportEvent is the client having
// recomputed our hash and found it equal. Events are read back through our
// own API with an auditor key; refusals are checked to write nothing. The
// client has no retries: a 503 reaches the caller, and nothing is stored.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@retracedhq/retraced";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupTag } from "../../apps/server/src/compat/retraced/retraced-event.js";
import type { ApiFixture } from "../api/api-fixture.js";
import { type CompatServer, type FaultyProxy, startCompatServer, startFaultyProxy } from "./compat-fixture.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/compat/retraced");
const invoiceEvent = () => JSON.parse(readFileSync(join(FIXTURES, "invoice-event.json"), "utf8"));

let s: CompatServer;
let f: ApiFixture;
let base: string;

/** A JSON document read back, walked without checks: the assertions check it. */
type Doc = { [key: string]: Doc };
type Stored = { event: Doc };

const readBack = async (id: string) => (await s.readBack(id)) as unknown as Doc;

const size = () => s.size("acme");

beforeAll(async () => {
  s = await startCompatServer({ acceptUnknownActions: ["acme"] });
  f = s.f;
  base = s.base.origin;
});

afterAll(async () => {
  await f.close();
});

describe("Retraced client, unchanged, against Trailproof", () => {
  it("reports an event at the root; the id resolves only because our hash matched the client's", async () => {
    const client = new Client({
      projectId: "acme",
      apiKey: f.acme.ingest,
      endpoint: base,
      component: "billing",
      version: "abc123",
    });
    const id = await client.reportEvent({ ...invoiceEvent(), created: new Date("2026-11-03T04:05:06.789Z") });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const event = await readBack(id);
    expect(event).toMatchObject({
      id,
      action: "invoice.create",
      kind: "create",
      category: "data",
      occurred_at: "2026-11-03T04:05:06.789Z",
      actor: { type: "user", id: "usr:ada%1", name: "Ada Lovelace" },
      target: { type: "invoice", id: "inv:42;=%", name: "Invoice 42" },
      outcome: { status: "success" },
      message: "Ada created invoice 42",
      context: { ip: "203.0.113.9" },
      tags: [groupTag("Org:7;=%")],
    });
    expect(event.metadata?.retraced).toMatchObject({
      action: "invoice.create",
      crud: "c",
      group: { id: "Org:7;=%", name: "Acme Billing" },
      actor: { href: "https://app.example/u/ada", fields: { role: "owner" } },
      target: { type: "Invoice", href: "https://app.example/inv/42" },
      fields: { amount: "100", "a:b=c;d%": "x:y", Zeta: "upper first" },
      metadata: { plan: "pro", "k=v;": "%:" },
      external_id: "ext:9",
      component: "billing",
      version: "abc123",
    });
  });

  it("reports under /auditlog with a trailing slash (//publisher), an anonymous failure with empty fields", async () => {
    const client = new Client({ projectId: "acme", apiKey: f.acme.ingest, endpoint: `${base}/auditlog/` });
    const id = await client.reportEvent({
      action: "Login",
      crud: "r",
      is_anonymous: true,
      is_failure: true,
      fields: {},
      group: { id: "org_1" },
    } as never);
    const event = await readBack(id);
    expect(event).toMatchObject({
      action: "retraced.login",
      kind: "read",
      actor: { type: "user", id: "anonymous" },
      target: { type: "group", id: "org_1" },
      outcome: { status: "failure" },
    });
    expect(event.metadata?.retraced).toMatchObject({ action: "Login", is_anonymous: true, fields: {} });
  });

  it("reports in bulk: one id per event, in order, each hash verified", async () => {
    const client = new Client({ projectId: "acme", apiKey: f.acme.ingest, endpoint: `${base}/auditlog` });
    const ids = await client.reportEvents([
      { action: "doc.update", crud: "u", actor: { id: "u1" }, target: { id: "d1" } },
      { action: "doc.delete", crud: "d", actor: { id: "u2" }, target: { id: "d2" }, fields: { n: "1" } },
    ] as never);
    expect(ids).toHaveLength(2);
    const [first, second] = [await readBack(ids[0] as string), await readBack(ids[1] as string)];
    expect(first).toMatchObject({ action: "doc.update", kind: "update", actor: { id: "u1" }, target: { id: "d1" } });
    expect(second).toMatchObject({ action: "doc.delete", kind: "delete", actor: { id: "u2" }, target: { id: "d2" } });
  });

  it("refuses a wrong key with 401", async () => {
    const client = new Client({ projectId: "acme", apiKey: "tpk_not_a_key", endpoint: base });
    await expect(client.reportEvent({ action: "a.b", crud: "c", actor: { id: "u" } } as never)).rejects.toThrow(
      /Unexpected HTTP response: 401/,
    );
  });

  it("refuses a project the key may not write to, writing nothing", async () => {
    const before = await f.data.ledger.treeSize("globex");
    const client = new Client({ projectId: "globex", apiKey: f.acme.ingest, endpoint: base });
    await expect(client.reportEvent({ action: "a.b", crud: "c", actor: { id: "u" } } as never)).rejects.toThrow(
      /Unexpected HTTP response: 403/,
    );
    expect(await f.data.ledger.treeSize("globex")).toBe(before);
  });

  it.each([
    ["a target without an id", { action: "a.b", crud: "c", actor: { id: "u" }, target: { name: "no id" } }],
    ["no actor and not anonymous", { action: "a.b", crud: "c", target: { id: "t" } }],
    ["a source_ip that is not an IP", { action: "a.b", crud: "c", actor: { id: "u" }, source_ip: "not-an-ip" }],
    ["an unknown crud", { action: "a.b", crud: "x", actor: { id: "u" } }],
  ])("refuses %s with 400 and writes nothing", async (_, event) => {
    const before = await size();
    const client = new Client({ projectId: "acme", apiKey: f.acme.ingest, endpoint: base });
    await expect(client.reportEvent(event as never)).rejects.toThrow(/Unexpected HTTP response: 400/);
    expect(await size()).toBe(before);
  });

  it("refuses a whole bulk request when one event is refused, writing none of it", async () => {
    const before = await size();
    const client = new Client({ projectId: "acme", apiKey: f.acme.ingest, endpoint: base });
    const events = [
      { action: "doc.update", crud: "u", actor: { id: "u1" } },
      { action: "doc.update", crud: "u", actor: { id: "u1" }, source_ip: "999.1.1.1" },
    ];
    await expect(client.reportEvents(events as never)).rejects.toThrow(/Unexpected HTTP response: 400/);
    expect(await size()).toBe(before);
  });

  it("refuses a bulk request over the cap with 400 and a JSON body", async () => {
    const events = Array.from({ length: f.config.maxBatchEvents + 1 }, () => ({
      action: "a.b",
      crud: "c",
      actor: { id: "u" },
    }));
    const res = await fetch(`${base}/publisher/v1/project/acme/event/bulk`, {
      method: "POST",
      headers: { authorization: `token=${f.acme.ingest}`, "content-type": "application/json" },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: "REQUEST_INVALID" });
  });

  it("issues a viewer token for a group to an admin key; it reads that group's events only", async () => {
    const ingest = new Client({ projectId: "acme", apiKey: f.acme.ingest, endpoint: base });
    const mine = await ingest.reportEvent({
      action: "doc.view",
      crud: "r",
      actor: { id: "v1" },
      group: { id: "Team A" },
    } as never);
    const theirs = await ingest.reportEvent({
      action: "doc.view",
      crud: "r",
      actor: { id: "v2" },
      group: { id: "team a" },
    } as never);
    const admin = new Client({ projectId: "acme", apiKey: f.acme.admin, endpoint: base });
    const token = await admin.getViewerToken("Team A", "viewer-1", true);
    expect(token).toMatch(/^tpv_/);
    await f.settled();
    const res = await f.request("GET", "/v1/events?limit=500", token);
    expect(res.statusCode).toBe(200);
    const ids = (res.json() as { events: Stored[] }).events.map((e) => e.event.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    // Issuing it is recorded in the tenant's log, like POST /v1/viewer-tokens.
    const audit = await f.request("GET", "/v1/events?action=viewer_token.create&limit=5", f.acme.auditor);
    const issued = (audit.json() as { events: Stored[] }).events.map((e) => e.event.metadata);
    expect(issued).toContainEqual(expect.objectContaining({ retraced_group_id: "Team A", viewer_id: "viewer-1" }));
  });

  it("refuses a viewer token to the publisher (ingest) key: it may write, never read", async () => {
    const ingest = new Client({ projectId: "acme", apiKey: f.acme.ingest, endpoint: base });
    await expect(ingest.getViewerToken("Team A", "viewer-1", false)).rejects.toThrow(/Unexpected HTTP response: 403/);
  });

  describe("behind a server that answers 503 once", () => {
    let proxy: FaultyProxy;
    let proxied: string;
    beforeAll(async () => {
      proxy = await startFaultyProxy(s.base, (_req, n) =>
        n === 1
          ? {
              forward: false,
              status: 503,
              headers: { "content-type": "application/json", "retry-after": "1" },
              body: '{"message":"busy"}',
            }
          : undefined,
      );
      proxied = proxy.url.origin;
    });
    afterAll(() => proxy.close());

    it("has no retries: the 503 reaches the caller, nothing is stored, and the next call goes through", async () => {
      const before = await size();
      const client = new Client({ projectId: "acme", apiKey: f.acme.ingest, endpoint: proxied });
      const event = { action: "doc.update", crud: "u", actor: { id: "u1" }, target: { id: "d9" } };
      await expect(client.reportEvent(event as never)).rejects.toThrow(/Unexpected HTTP response: 503/);
      expect(await size()).toBe(before);
      const id = await client.reportEvent(event as never);
      expect(await size()).toBe(before + 1);
      expect(await readBack(id)).toMatchObject({ target: { id: "d9" } });
    });
  });
});
