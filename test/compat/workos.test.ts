// The official WorkOS SDK (@workos-inc/node 8.x), unchanged, against a real
// server over HTTP: events (deduplicated by Idempotency-Key, also across the
// SDK's own retries), schemas into our registry, exports as a CSV behind a
// key-less URL, and every refusal as the SDK's own exception with nothing
// written. Events are read back through our API with an auditor key.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  BadRequestException,
  GenericServerException,
  NotFoundException,
  UnauthorizedException,
  UnprocessableEntityException,
  WorkOS,
} from "@workos-inc/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workosEventId } from "../../apps/server/src/compat/workos/workos-event.js";
import type { ApiFixture } from "../api/api-fixture.js";
import { type CompatServer, type FaultyProxy, startCompatServer, startFaultyProxy } from "./compat-fixture.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/compat/workos");

/** A JSON document read back, walked without checks: the assertions check it. */
type Doc = { [key: string]: Doc };
type Stored = { event: Doc };

let s: CompatServer;
let f: ApiFixture;
let port: number;

/** The fixture event as the SDK takes it, with its own target id. */
function documentUpdated(targetId: string) {
  const event = JSON.parse(readFileSync(join(FIXTURES, "document-updated.json"), "utf8"));
  event.occurredAt = new Date(event.occurredAt);
  event.targets[0].id = targetId;
  return event;
}

const sdk = (key: string, at = port) => new WorkOS(key, { apiHostname: "127.0.0.1", port: at, https: false });

const byTarget = async (targetId: string) => (await s.events({ target_id: targetId })) as unknown as Doc[];

const size = (tenant: "acme" | "globex" = "acme") => s.size(tenant);

/** The exception a promise rejects with. */
async function thrown(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("the call did not throw");
}

beforeAll(async () => {
  s = await startCompatServer({ acceptUnknownActions: ["acme"] });
  f = s.f;
  port = Number(s.base.port);
});

afterAll(async () => {
  await f.close();
});

describe("WorkOS SDK, unchanged, against Trailproof", () => {
  it("creates an event once for one Idempotency-Key, sent twice, and maps every field", async () => {
    const workos = sdk(f.acme.ingest);
    await workos.auditLogs.createEvent("acme", documentUpdated("doc:idem/ü"), { idempotencyKey: "k1" });
    await workos.auditLogs.createEvent("acme", documentUpdated("doc:idem/ü"), { idempotencyKey: "k1" });
    const events = await byTarget("doc:idem/ü");
    expect(events).toHaveLength(1);
    expect(events[0]?.id).toBe(workosEventId("acme", f.keyIds.acme.ingest, "k1"));
    expect(events[0]).toMatchObject({
      action: "document.updated",
      kind: "update",
      category: "data",
      occurred_at: "2026-11-03T04:05:06.789Z",
      actor: { type: "user", id: "user:01%;=", name: "Jon Smith" },
      target: { type: "document", id: "doc:idem/ü", name: "Q3 plan" },
      context: { ip: "192.0.2.8", user_agent: "Firefox" },
      metadata: {
        successful: true,
        count: 3,
        "a:b=c;d%": "x:y",
        workos: {
          action: "document.updated",
          version: 1,
          actor_type: "user",
          actor_metadata: { role: "admin" },
          targets: [
            { id: "doc:idem/ü", type: "document", name: "Q3 plan" },
            { id: "team_1", type: "team", metadata: { owner: "user_2" } },
          ],
        },
      },
    });
  });

  it("creates one event per call without a key of the caller's (the SDK makes a fresh one each time)", async () => {
    const workos = sdk(f.acme.ingest);
    await workos.auditLogs.createEvent("acme", documentUpdated("doc:nokey"));
    expect(await byTarget("doc:nokey")).toHaveLength(1);
    await workos.auditLogs.createEvent("acme", documentUpdated("doc:nokey"));
    expect(await byTarget("doc:nokey")).toHaveLength(2);
  });

  it("keeps a location that is not an IP in metadata", async () => {
    const event = { ...documentUpdated("doc:place"), context: { location: "New York, NY" } };
    await sdk(f.acme.ingest).auditLogs.createEvent("acme", event);
    const [stored] = await byTarget("doc:place");
    expect(stored?.context).toBeUndefined();
    expect(stored?.metadata?.workos).toMatchObject({ location: "New York, NY" });
  });

  it("refuses a wrong key as UnauthorizedException", async () => {
    const err = await thrown(sdk("tpk_wrong").auditLogs.createEvent("acme", documentUpdated("doc:x")));
    expect(err).toBeInstanceOf(UnauthorizedException);
  });

  it("refuses an organization the key may not write to with a JSON 403, writing nothing", async () => {
    const before = await size("globex");
    const err = await thrown(sdk(f.acme.ingest).auditLogs.createEvent("globex", documentUpdated("doc:x")));
    expect(err).toBeInstanceOf(GenericServerException);
    expect(err).toMatchObject({ status: 403, rawData: { code: "tenant_not_allowed" } });
    expect(await size("globex")).toBe(before);
  });

  it("refuses an event without targets as BadRequestException, writing nothing", async () => {
    const before = await size();
    const event = { ...documentUpdated("doc:x"), targets: [] };
    const err = await thrown(sdk(f.acme.ingest).auditLogs.createEvent("acme", event));
    expect(err).toBeInstanceOf(BadRequestException);
    expect(err).toMatchObject({ code: "request_invalid", errors: [{ field: "/event/targets" }] });
    expect(await size()).toBe(before);
  });

  it("refuses an event our validation refuses as UnprocessableEntityException, writing nothing", async () => {
    const before = await size();
    const event = documentUpdated("doc:x");
    event.actor.id = "usr_\u202eimda";
    const err = await thrown(sdk(f.acme.ingest).auditLogs.createEvent("acme", event));
    expect(err).toBeInstanceOf(UnprocessableEntityException);
    expect(err.message).toMatch(/\/actor\/id/);
    expect(await size()).toBe(before);
  });

  it("refuses an Idempotency-Key sent again with other content as ConflictException", async () => {
    const workos = sdk(f.acme.ingest);
    await workos.auditLogs.createEvent("acme", documentUpdated("doc:conflict"), { idempotencyKey: "k-conflict" });
    const other = { ...documentUpdated("doc:conflict"), metadata: { count: 4 } };
    const err = await thrown(workos.auditLogs.createEvent("acme", other, { idempotencyKey: "k-conflict" }));
    // 8.x maps 409 to ConflictException without exporting the class.
    expect(err).toMatchObject({ name: "ConflictException", status: 409 });
    expect(await byTarget("doc:conflict")).toHaveLength(1);
  });

  describe("through a proxy whose first answer fails", () => {
    let proxy: FaultyProxy;
    let proxyPort: number;
    /** The first request's fate: forwarded and its answer replaced, or answered without forwarding. */
    let first: { status: number; forward: boolean } | undefined;
    const seenKeys: string[] = [];

    beforeAll(async () => {
      proxy = await startFaultyProxy(s.base, (req) => {
        seenKeys.push(String(req.headers["idempotency-key"]));
        const fail = first;
        first = undefined;
        if (!fail) return undefined;
        // Forwarded: the server has stored the event; the client is told it failed.
        const body = fail.forward ? '{"message":"lost"}' : '{"message":"try again"}';
        return { forward: fail.forward, status: fail.status, headers: { "content-type": "application/json" }, body };
      });
      proxyPort = Number(proxy.url.port);
    });
    afterAll(() => proxy.close());

    it("retries a 502 after the server stored the event, with the same Idempotency-Key: one event", async () => {
      seenKeys.length = 0;
      first = { status: 502, forward: true };
      await sdk(f.acme.ingest, proxyPort).auditLogs.createEvent("acme", documentUpdated("doc:retry-502"));
      expect(seenKeys).toHaveLength(2);
      expect(seenKeys[1]).toBe(seenKeys[0]);
      expect(await byTarget("doc:retry-502")).toHaveLength(1);
    });

    it("retries a 500 that never reached the server: one event", async () => {
      first = { status: 500, forward: false };
      await sdk(f.acme.ingest, proxyPort).auditLogs.createEvent("acme", documentUpdated("doc:retry-500"));
      expect(await byTarget("doc:retry-500")).toHaveLength(1);
    });

    it("does not retry a 503 (8.x retries 408, 500, 502 and 504 only): the caller sees it, nothing is written", async () => {
      const before = await size();
      first = { status: 503, forward: false };
      const err = await thrown(
        sdk(f.acme.ingest, proxyPort).auditLogs.createEvent("acme", documentUpdated("doc:no-retry")),
      );
      expect(err).toBeInstanceOf(GenericServerException);
      expect(err).toMatchObject({ status: 503 });
      expect(await size()).toBe(before);
    });
  });

  describe("schemas", () => {
    const schema = {
      action: "invoice.paid",
      actor: { metadata: { role: "string" as const } },
      targets: [{ type: "invoice", metadata: { amount: "number" as const } }, { type: "customer" }],
      metadata: { amount: "number" as const },
    };

    it("registers a schema with an admin key as the action's next version; targets come back as an array", async () => {
      const created = await sdk(f.acme.admin).auditLogs.createSchema(schema);
      expect(created).toMatchObject({
        object: "audit_log_schema",
        version: 1,
        targets: [{ type: "invoice", metadata: { amount: "number" } }, { type: "customer" }],
        actor: { metadata: { role: "string" } },
        metadata: { amount: "number" },
      });
      const registry = await f.request("GET", "/v1/schemas/invoice.paid", f.acme.admin);
      expect(registry.statusCode).toBe(200);
      expect(registry.json()).toMatchObject({ versions: [{ action: "invoice.paid", version: 1 }] });
    });

    it("checks events of the action against it: a wrong metadata type is UnprocessableEntityException", async () => {
      const workos = sdk(f.acme.ingest);
      const event = {
        action: "invoice.paid",
        occurredAt: new Date("2026-11-04T00:00:00Z"),
        actor: { id: "u1", type: "user" },
        targets: [{ id: "inv_schema", type: "invoice" }],
        context: { location: "192.0.2.1" },
      };
      const before = await size();
      const err = await thrown(workos.auditLogs.createEvent("acme", { ...event, metadata: { amount: "ten" } }));
      expect(err).toBeInstanceOf(UnprocessableEntityException);
      expect(await size()).toBe(before);
      const wrongTarget = { ...event, targets: [{ id: "inv_schema", type: "receipt" }], metadata: { amount: 10 } };
      expect(await thrown(workos.auditLogs.createEvent("acme", wrongTarget))).toBeInstanceOf(
        UnprocessableEntityException,
      );
      await workos.auditLogs.createEvent("acme", { ...event, metadata: { amount: 10 } });
      const [stored] = await byTarget("inv_schema");
      expect(stored).toMatchObject({ action: "invoice.paid", action_version: 1, metadata: { amount: 10 } });
    });

    it("refuses schema registration to an ingest key", async () => {
      const err = await thrown(sdk(f.acme.ingest).auditLogs.createSchema({ ...schema, action: "invoice.void" }));
      expect(err).toMatchObject({ status: 403, rawData: { code: "auth_forbidden" } });
    });
  });

  describe("exports", () => {
    it("exports the range as a CSV at a URL that needs no key, and records the read", async () => {
      await sdk(f.acme.ingest).auditLogs.createEvent("acme", documentUpdated("doc:export,1"), {
        idempotencyKey: "exp",
      });
      const auditor = sdk(f.acme.auditor);
      const created = await auditor.auditLogs.createExport({
        organizationId: "acme",
        rangeStart: new Date("2026-11-03T00:00:00Z"),
        rangeEnd: new Date("2026-11-04T00:00:00Z"),
        actions: ["document.updated"],
        targets: ["team"],
      });
      expect(created).toMatchObject({ object: "audit_log_export", state: "ready" });
      const fetched = await auditor.auditLogs.getExport(created.id);
      expect(fetched).toMatchObject({ id: created.id, state: "ready" });
      expect(fetched.url).not.toBe(created.url);
      const res = await fetch(fetched.url as string);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
      const lines = (await res.text()).trim().split("\n");
      expect(lines[0]).toBe(
        "id,occurred_at,action,workos_action,actor_type,actor_id,actor_name,target_type,target_id,target_name,targets,location,user_agent,outcome,metadata",
      );
      const id = workosEventId("acme", f.keyIds.acme.ingest, "exp");
      const row = lines.find((l) => l.startsWith(`${id},`));
      expect(row).toContain('"doc:export,1"');
      expect(row).toContain("2026-11-03T04:05:06.789Z,document.updated,document.updated,user,user:01%;=,Jon Smith");
      expect(row).toContain("192.0.2.8,Firefox,success");
      // Every row matches the filter: document.updated with a team among its targets.
      for (const l of lines.slice(1)) expect(l).toContain("document.updated");
      await f.settled();
      const audit = await f.request("GET", "/v1/events?action=audit.export&limit=10", f.acme.auditor);
      const recorded = (audit.json() as { events: Stored[] }).events.map((e) => e.event.metadata);
      expect(recorded).toContainEqual(expect.objectContaining({ format: "workos_csv", export_id: created.id }));
    });

    it("answers a wrong token and an unknown export with a 404 JSON the SDK maps", async () => {
      const auditor = sdk(f.acme.auditor);
      const created = await auditor.auditLogs.createExport({
        organizationId: "acme",
        rangeStart: new Date("2026-11-03T00:00:00Z"),
        rangeEnd: new Date("2026-11-04T00:00:00Z"),
      });
      const forged = new URL(created.url as string);
      forged.searchParams.set("token", "A".repeat(43));
      const res = await fetch(forged);
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await thrown(auditor.auditLogs.getExport("audit_log_export_nope"))).toBeInstanceOf(NotFoundException);
      // Another tenant's auditor does not see it either.
      expect(await thrown(sdk(f.globex.auditor).auditLogs.getExport(created.id))).toBeInstanceOf(NotFoundException);
    });

    it("stops serving an export's URL once the key that made it is revoked", async () => {
      const made = await f.request("POST", "/v1/keys", f.acme.admin, { role: "auditor", name: "export-revoked" });
      expect(made.statusCode).toBe(201);
      const { key, key_id: keyId } = made.json() as { key: string; key_id: string };
      const created = await sdk(key).auditLogs.createExport({
        organizationId: "acme",
        rangeStart: new Date("2026-11-03T00:00:00Z"),
        rangeEnd: new Date("2026-11-04T00:00:00Z"),
      });
      expect((await fetch(created.url as string)).status).toBe(200);
      const fresh = await sdk(key).auditLogs.getExport(created.id);
      expect((await f.request("DELETE", `/v1/keys/${keyId}`, f.acme.admin)).statusCode).toBe(200);
      expect((await fetch(fresh.url as string)).status).toBe(404);
    });

    it("refuses exports to an ingest key", async () => {
      const err = await thrown(
        sdk(f.acme.ingest).auditLogs.createExport({
          organizationId: "acme",
          rangeStart: new Date("2026-11-03T00:00:00Z"),
          rangeEnd: new Date("2026-11-04T00:00:00Z"),
        }),
      );
      expect(err).toMatchObject({ status: 403 });
    });
  });
});
